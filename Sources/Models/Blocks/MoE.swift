import Kernels

/// A model with mixture-of-experts layers reports how large its experts are, so a caller can
/// compare the expert bytes a decode step reads (`ModelState.expertBytesRead`) with the total.
public protocol MoEStatistics: LanguageModel {
    /// Bytes of all expert weights, routed and shared, over every MoE layer.
    var expertWeightBytes: Int { get }
    /// The fraction of `expertWeightBytes` one decoded token should read: (used + shared) over
    /// (total + shared) experts, weighted by each layer's expert sizes.
    var expectedExpertFraction: Double { get }
}

/// A mixture-of-experts feed-forward layer as llama.cpp's `build_moe_ffn` plus shared experts:
/// the router (`ffn_gate_inp`) picks experts per token, each chosen expert's output is scaled by
/// its weight, the outputs are summed in choice order, and the shared experts' output is added.
///
/// Only the chosen experts' weights are read. A batch is grouped by expert, so each expert's
/// matrices are read once per batch however many of the batch's tokens chose it.
struct MixtureOfExperts: Sendable {
    let router: WeightMatrix
    /// Added to the scores for choosing experts only (`exp_probs_b`, DeepSeek-V3).
    let selectionBias: [Float]?
    let experts: [GatedFFN]
    /// The shared experts as one FFN (`ffn_*_shexp`, their widths concatenated), if any.
    let shared: GatedFFN?
    let routing: ExpertRouting

    /// Loads block `layer`'s router, experts (`ffn_{gate,up,down}_exps`) and shared experts.
    init(_ w: inout WeightLoader, layer: Int, dim: Int, expertWidth: Int, sharedExperts: Int,
         routing: ExpertRouting) throws(ModelError) {
        let p = "blk.\(layer)."
        let n = routing.experts
        router = try w.matrix(p + "ffn_gate_inp.weight", rows: n, cols: dim)
        selectionBias = w.has(p + "exp_probs_b.bias") ? try w.vector(p + "exp_probs_b.bias", count: n) : nil
        let gates = try w.matrices(p + "ffn_gate_exps.weight", rows: expertWidth, cols: dim, count: n)
        let ups = try w.matrices(p + "ffn_up_exps.weight", rows: expertWidth, cols: dim, count: n)
        let downs = try w.matrices(p + "ffn_down_exps.weight", rows: dim, cols: expertWidth, count: n)
        experts = (0..<n).map { GatedFFN(gate: gates[$0], up: ups[$0], down: downs[$0]) }
        shared = sharedExperts > 0
            ? try GatedFFN(&w, layer: layer, suffix: "_shexp", dim: dim, width: expertWidth * sharedExperts) : nil
        self.routing = routing
    }

    /// Bytes of every routed and shared expert.
    var expertWeightBytes: Int { experts.reduce(shared?.weightBytes ?? 0) { $0 + $1.weightBytes } }

    /// Bytes a single token reads: its `used` experts (taken as average-sized) and the shared ones.
    var expectedBytesPerToken: Double {
        let routed = experts.reduce(0) { $0 + $1.weightBytes }
        return Double(routed) * Double(routing.used) / Double(routing.experts) + Double(shared?.weightBytes ?? 0)
    }

    /// `x` is tokens × dim (already normalized); writes tokens × dim to `out`.
    func apply(_ x: UnsafePointer<Float>, tokens n: Int, into out: UnsafeMutablePointer<Float>, state: ModelState) {
        let dim = router.cols, used = routing.used, count = routing.experts
        let s = state.scratch
        let scores = s.buffer("moe.scores", n * count), selection = s.buffer("moe.selection", count)
        let weights = s.buffer("moe.weights", n * used)
        let perSlot = s.buffer("moe.slots", n * used * dim)
        MatMul.multiply(router, x, tokens: n, into: scores, pool: state.pool, scratch: state.matmul)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: n * used) { chosen in
            let bias = selectionBias
            bias.withOptionalPointer { b in
                for t in 0..<n {
                    routing.route(logits: scores + t * count, bias: b, selection: selection,
                                  chosen: chosen.baseAddress! + t * used, weights: weights + t * used)
                }
            }
            // Each expert once: gather the rows that chose it, run it, scatter its weighted output to
            // the (token, slot) it was chosen in.
            let rows = s.buffer("moe.rows", n * dim), result = s.buffer("moe.result", n * dim)
            withUnsafeTemporaryAllocation(of: Int.self, capacity: n * used) { picks in
                for e in 0..<count {
                    var m = 0
                    for i in 0..<(n * used) where chosen[i] == Int32(e) {
                        picks[m] = i
                        (rows + m * dim).update(from: x + (i / used) * dim, count: dim)
                        m += 1
                    }
                    guard m > 0 else { continue }
                    experts[e].apply(rows, tokens: m, into: result, state: state)
                    state.expertBytesRead += experts[e].weightBytes
                    for j in 0..<m {
                        let w = weights[picks[j]], src = result + j * dim, dst = perSlot + picks[j] * dim
                        for d in 0..<dim { dst[d] = src[d] * w }
                    }
                }
            }
        }
        for t in 0..<n {
            let o = out + t * dim
            o.update(from: perSlot + t * used * dim, count: dim)
            for k in 1..<used { Elementwise.add(o, perSlot + (t * used + k) * dim, count: dim) }
        }
        if let shared {
            let sh = s.buffer("moe.shared", n * dim)
            shared.apply(x, tokens: n, into: sh, state: state)
            state.expertBytesRead += shared.weightBytes
            Elementwise.add(out, sh, count: n * dim)
        }
    }
}

extension Optional where Wrapped == [Float] {
    /// The array's storage for the duration of `body`, or nil.
    func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .some(let a): a.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: body(nil)
        }
    }
}
