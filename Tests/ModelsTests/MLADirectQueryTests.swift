import GGUF
import Kernels
import Models
import TestSupport
import Testing

/// V2-Lite-style files have `q_lora_rank` 0 and one `attn_q` instead of attn_q_a → norm →
/// attn_q_b. Both forms are built here from the tiny F16 model so they compute the same query:
/// with unit attention norms the input to attn_q_a has RMS 1 (up to ε), so an identity attn_q_a
/// with a unit norm passes it through, and attn_q_b = attn_q = q_b · diag(q_a_norm) · q_a.
@Suite("MLA direct query")
struct MLADirectQueryTests {
    static let dim = 64, rank = 256, queryWidth = 4 * 48

    static func floats(_ file: GGUFFile, _ name: String) -> [Float] {
        Array(file.data(for: file.tensor(named: name)!).bindMemory(to: Float.self))
    }

    static func bytes(_ v: [Float]) -> GGUFWriter.TensorData { .bytes(v.withUnsafeBytes { Array($0) }) }

    /// The F16 model with unit attention norms and every block's query as one `dim` → heads·48
    /// matrix, stored as `attn_q` (`direct`) or as an identity low-rank pair.
    static func variant(of file: GGUFFile, direct: Bool) throws -> GGUFFile {
        var w = GGUFWriter(version: file.version)
        for entry in file.metadata where entry.key != "deepseek2.attention.q_lora_rank" { try w.set(entry.key, entry.value) }
        if !direct { try w.set("deepseek2.attention.q_lora_rank", .uint32(UInt32(dim))) }
        let identity = (0..<dim * dim).map { Float($0 / dim == $0 % dim ? 1 : 0) }
        for t in file.tensors {
            let name = t.name
            if name.hasSuffix("attn_q_a.weight") || name.hasSuffix("attn_q_a_norm.weight") { continue }
            if name.hasSuffix("attn_norm.weight") {
                try w.addTensor(name: name, type: .f32, shape: t.shape, data: bytes([Float](repeating: 1, count: dim)))
            } else if name.hasSuffix("attn_q_b.weight") {
                let block = String(name.dropLast("attn_q_b.weight".count))
                let qb = floats(file, name), norm = floats(file, block + "attn_q_a_norm.weight"), qa = floats(file, block + "attn_q_a.weight")
                var q = [Float](repeating: 0, count: queryWidth * dim)
                for r in 0..<queryWidth {
                    for c in 0..<dim {
                        var s = 0.0
                        for k in 0..<rank { s += Double(qb[r * rank + k]) * Double(norm[k]) * Double(qa[k * dim + c]) }
                        q[r * dim + c] = Float(s)
                    }
                }
                if direct {
                    try w.addTensor(name: block + "attn_q.weight", type: .f32, shape: [dim, queryWidth], data: bytes(q))
                } else {
                    try w.addTensor(name: block + "attn_q_a.weight", type: .f32, shape: [dim, dim], data: bytes(identity))
                    try w.addTensor(name: block + "attn_q_a_norm.weight", type: .f32, shape: [dim], data: bytes([Float](repeating: 1, count: dim)))
                    try w.addTensor(name: name, type: .f32, shape: [dim, queryWidth], data: bytes(q))
                }
            } else {
                try w.addTensor(name: name, type: t.type, shape: t.shape, data: .view(file.data(for: t)))
            }
        }
        return try GGUFFile(bytes: w.serialized())
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekF16.shouldTest))
    func attnQMatchesTheEquivalentLowRankQuery() throws {
        let file = try GGUFFile(path: TestModel.tinyDeepSeekF16.path)
        let direct = try Self.variant(of: file, direct: true), lowRank = try Self.variant(of: file, direct: false)
        #expect(direct.tensor(named: "blk.0.attn_q.weight") != nil && direct.tensor(named: "blk.0.attn_q_b.weight") == nil)
        let pool = ThreadPool(threads: 2)
        let prompt: [Int32] = [151646, 785, 6722, 315, 9625, 374]
        var results: [[Float]] = []
        for f in [direct, lowRank] {
            let lm = try Architectures.load(f)
            let state = lm.makeState(contextSize: 16, batchSize: 16, pool: pool)
            results.append(Array(try lm.forward(prompt, state: state, allLogits: true)))
        }
        let worst = zip(results[0], results[1]).reduce(0) { max($0, abs($1.0 - $1.1)) }
        #expect(worst < 1e-2, "largest logit difference \(worst)")
        withExtendedLifetime(file) {}
    }
}
