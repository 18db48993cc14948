import Kernels

/// A SiLU-gated feed-forward network, `down · (silu(gate · x) ⊙ up · x)` (llama.cpp's
/// `build_ffn` with SILU and PAR): DeepSeek's leading dense blocks, every routed expert, and the
/// shared experts.
struct GatedFFN: Sendable {
    let gate: WeightMatrix
    let up: WeightMatrix
    let down: WeightMatrix

    init(gate: WeightMatrix, up: WeightMatrix, down: WeightMatrix) {
        self.gate = gate
        self.up = up
        self.down = down
    }

    /// `ffn_gate<suffix>`, `ffn_up<suffix>`, `ffn_down<suffix>` of block `layer`.
    init(_ w: inout WeightLoader, layer: Int, suffix: String = "", dim: Int, width: Int) throws(ModelError) {
        let p = "blk.\(layer).ffn_"
        gate = try w.matrix(p + "gate" + suffix + ".weight", rows: width, cols: dim)
        up = try w.matrix(p + "up" + suffix + ".weight", rows: width, cols: dim)
        down = try w.matrix(p + "down" + suffix + ".weight", rows: dim, cols: width)
    }

    /// Bytes of weights one pass reads.
    var weightBytes: Int { [gate, up, down].reduce(0) { $0 + $1.rows * $1.rowBytes } }

    /// `x` is tokens × dim; writes tokens × dim to `out`.
    func apply(_ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>, state: ModelState) {
        let width = gate.rows
        let g = state.scratch.buffer("ffn.gate", tokens * width), u = state.scratch.buffer("ffn.up", tokens * width)
        MatMul.multiply([(gate, g), (up, u)], x, tokens: tokens, pool: state.pool, scratch: state.matmul) { rows in
            for t in 0..<tokens { Elementwise.swiGLU(g + t * width, u + t * width, count: width, elements: rows) }
        }
        MatMul.multiply(down, g, tokens: tokens, into: out, pool: state.pool, scratch: state.matmul)
    }
}
