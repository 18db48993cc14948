import GGUF
@testable import Kernels
@testable import Models
import TestSupport
import Testing

/// Multi-head latent attention's compressed cache (per token and layer: the latent and the RoPE
/// key, in f16) and the YaRN settings llama.cpp derives for `deepseek2` (docs/deepseek.md).
@Suite("MLA cache and YaRN")
struct MLACacheTests {
    /// DeepSeek-R1 671B's attention keys (config.json as convert_hf_to_gguf.py writes it).
    static func r1Metadata() throws -> GGUFFile {
        var w = GGUFWriter()
        let a = "deepseek2."
        try w.set("general.architecture", .string("deepseek2"))
        let ints: [(String, UInt32)] = [
            ("block_count", 61), ("context_length", 163_840), ("attention.head_count", 128),
            ("attention.q_lora_rank", 1536), ("attention.kv_lora_rank", 512), ("rope.dimension_count", 64),
            ("attention.key_length_mla", 192), ("attention.value_length_mla", 128),
            ("attention.key_length", 576), ("attention.value_length", 512),
            ("rope.scaling.original_context_length", 4096),
        ]
        for (k, v) in ints { try w.set(a + k, .uint32(v)) }
        try w.set(a + "rope.freq_base", .float32(10_000))
        try w.set(a + "rope.scaling.type", .string("yarn"))
        try w.set(a + "rope.scaling.factor", .float32(40))
        try w.set(a + "rope.scaling.yarn_log_multiplier", .float32(0.1))
        return try GGUFFile(bytes: w.serialized())
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekF16.shouldTest))
    func tinyModelCachesLatentAndRopeKeyOnly() throws {
        let file = try GGUFFile(path: TestModel.tinyDeepSeekF16.path)
        let lm = try Architectures.load(file)
        let state = lm.makeState(contextSize: 100, batchSize: 16, pool: ThreadPool(threads: 1))
        let key = { (k: String) in try file.int("deepseek2." + k) }
        let perToken = try key("block_count") * (key("attention.kv_lora_rank") + key("rope.dimension_count")) * 2
        #expect(perToken == 4 * (128 + 16) * 2)
        #expect(state.cacheBytesPerToken == perToken)
        #expect(state.cacheBytes == 100 * perToken)
        // Without compression each head would cache its own key (48) and value (64): 3584 bytes.
        let heads = try key("attention.head_count")
        let uncompressed = try key("block_count") * heads * (key("attention.key_length_mla") + key("attention.value_length_mla")) * 2
        #expect(uncompressed == 3584 && state.cacheBytesPerToken * 3 < uncompressed)
        withExtendedLifetime(file) {}
    }

    @Test func r1CachesSeventyOneTimesLessThanMultiHeadAttention() throws {
        let file = try Self.r1Metadata()
        let c = try MLAConfig(Hyperparameters(file: file, arch: "deepseek2"))
        let cache = KVCache(layers: 61, contextSize: 1, latentWidth: c.latentWidth, ropeWidth: c.ropeDim)
        #expect(cache.bytesPerToken == 70_272)
        let uncompressed = 61 * c.heads * (c.queryKeyDim + c.valueDim) * 2
        #expect(uncompressed == 4_997_120)
        #expect(uncompressed / cache.bytesPerToken == 71)
        // A 128k context (131,072 tokens): 9.2 GB compressed against 655 GB.
        #expect(cache.bytesPerToken * 131_072 == 9_210_691_584)
        #expect(uncompressed * 131_072 == 654_982_512_640)
    }

    @Test func r1KQScaleFoldsYaRNMscaleSquared() throws {
        let c = try MLAConfig(Hyperparameters(file: try Self.r1Metadata(), arch: "deepseek2"))
        // mscale = 1 + 0.1 · ln 40; kq_scale = mscale² / √192.
        #expect(abs(c.kqScale - 0.135_233_8) < 1e-6)
        #expect(c.nopeDim == 128 && c.queryKeyDim == 192 && c.cacheRowWidth == 576)
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekF16.shouldTest))
    func tinyModelYaRNMatchesLlamaCpp() throws {
        let file = try GGUFFile(path: TestModel.tinyDeepSeekF16.path)
        let c = try MLAConfig(Hyperparameters(file: file, arch: "deepseek2"))
        #expect(abs(c.kqScale - 0.270_467_6) < 1e-6)
        #expect(c.rope.freqScale == 1 / Float(40) && c.rope.extFactor == 1)
        #expect(c.rope.correctionDims == (2, 6))
        // ggml multiplies the rotation by attn_factor · (1 + 0.1 · ln 40); llama.cpp sets
        // attn_factor so that this is 1.
        var angles = [Float](repeating: 0, count: c.ropeDim)
        c.rope.fillCache(position: 1234, &angles)
        for i in stride(from: 0, to: c.ropeDim, by: 2) {
            #expect(abs(angles[i] * angles[i] + angles[i + 1] * angles[i + 1] - 1) < 1e-6)
        }
    }
}
