import GGUF
import Kernels
import Models
import TestSupport
import Testing

/// Files converted before attn_k_b/attn_v_b existed carry one attn_kv_b per block and no *_mla
/// keys. The loader splits attn_kv_b; on the F16 file (f32 attention weights) that is exact, so
/// rewriting the file in the old layout must not change a single logit.
@Suite("MLA legacy attn_kv_b")
struct MLALegacyTensorTests {
    /// The tiny F16 model rewritten as an older conversion would have written it.
    static func legacyFile(from file: GGUFFile) throws -> GGUFFile {
        var w = GGUFWriter(version: file.version)
        for entry in file.metadata where !entry.key.hasSuffix("_mla") {
            switch entry.key {
            case "deepseek2.attention.key_length": try w.set(entry.key, .uint32(48))
            case "deepseek2.attention.value_length": try w.set(entry.key, .uint32(64))
            case "deepseek2.attention.head_count_kv": try w.set(entry.key, .uint32(4))
            default: try w.set(entry.key, entry.value)
            }
        }
        let heads = 4, latent = 128, nope = 32, value = 64
        for t in file.tensors where !t.name.hasSuffix("attn_k_b.weight") && !t.name.hasSuffix("attn_v_b.weight") {
            try w.addTensor(name: t.name, type: t.type, shape: t.shape, data: .view(file.data(for: t)))
            guard t.name.hasSuffix("attn_kv_a_norm.weight") else { continue }
            let block = t.name.dropLast("attn_kv_a_norm.weight".count)
            let kb = floats(file, block + "attn_k_b.weight"), vb = floats(file, block + "attn_v_b.weight")
            // Per head: nope rows of keys, then value rows, each over the latent.
            var kvb: [Float] = []
            for h in 0..<heads {
                for d in 0..<nope { kvb += (0..<latent).map { kb[(h * latent + $0) * nope + d] } }
                kvb += vb[(h * value * latent)..<((h + 1) * value * latent)]
            }
            let bytes = kvb.withUnsafeBytes { Array($0) }
            try w.addTensor(name: block + "attn_kv_b.weight", type: .f32, shape: [latent, heads * (nope + value)], data: .bytes(bytes))
        }
        return try GGUFFile(bytes: w.serialized())
    }

    static func floats(_ file: GGUFFile, _ name: Substring) -> [Float] {
        let data = file.data(for: file.tensor(named: String(name))!)
        return Array(data.bindMemory(to: Float.self))
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekF16.shouldTest))
    func splittingAttnKVBGivesTheSameLogits() throws {
        let file = try GGUFFile(path: TestModel.tinyDeepSeekF16.path)
        let legacy = try Self.legacyFile(from: file)
        #expect(legacy.tensor(named: "blk.0.attn_kv_b.weight") != nil && legacy.tensor(named: "blk.0.attn_k_b.weight") == nil)
        let pool = ThreadPool(threads: 2)
        let prompt: [Int32] = [151646, 785, 6722, 315, 9625, 374]
        var results: [[Float]] = []
        for f in [file, legacy] {
            let lm = try Architectures.load(f)
            let state = lm.makeState(contextSize: 16, batchSize: 16, pool: pool)
            var logits = Array(try lm.forward(prompt, state: state, allLogits: true))
            logits += try lm.forward([1398], state: state, allLogits: false)
            results.append(logits)
        }
        #expect(differingValues(results[0], results[1]) == 0)
    }
}
