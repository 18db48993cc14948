import GGUF
import Placement
import TestSupport
import Testing

@Suite("R1 671B skeleton and the Q4_K_M type mix")
struct SkeletonTests {
    /// Ollama lists deepseek-r1:671b at 404 GB; the skeleton's tensors land within 2 %.
    @Test(arguments: DeepSeekR1Skeleton.Layout.allCases)
    func totalIsWithinTwoPercentOf404GB(layout: DeepSeekR1Skeleton.Layout) {
        let file = layout == .legacy ? R1Skeleton.legacy : R1Skeleton.mla
        let total = file.tensors.reduce(0) { $0 + $1.byteCount }
        #expect(abs(Double(total) / 404e9 - 1) < 0.02, "\(total) bytes")
        #expect(!file.hasTensorData)
        #expect(file.fileSize < 1 << 20)
    }

    /// Spot checks against what llama-quantize gives R1 in Q4_K_M.
    @Test(arguments: [
        ("output.weight", GGMLType.q6_K), ("token_embd.weight", .q4_K), ("output_norm.weight", .f32),
        ("blk.0.ffn_down.weight", .q6_K), ("blk.7.ffn_down_exps.weight", .q4_K), ("blk.9.ffn_down_exps.weight", .q6_K),
        ("blk.10.ffn_down_shexp.weight", .q4_K), ("blk.60.ffn_down_exps.weight", .q6_K), ("blk.5.ffn_gate_inp.weight", .f32),
        ("blk.5.attn_kv_b.weight", .q6_K), ("blk.8.attn_kv_b.weight", .q4_K), ("blk.5.attn_output.weight", .q4_K),
        ("blk.5.ffn_up_exps.weight", .q4_K), ("blk.5.attn_kv_a_norm.weight", .f32),
    ])
    func legacyTypes(name: String, type: GGMLType) throws {
        #expect(try #require(R1Skeleton.legacy.tensor(named: name)).type == type)
    }

    @Test func mlaLayoutSplitsKVB() throws {
        let f = R1Skeleton.mla
        #expect(f.tensor(named: "blk.0.attn_kv_b.weight") == nil)
        // 128-wide rows are not whole Q4_K blocks: llama.cpp falls back to Q5_0.
        #expect(try #require(f.tensor(named: "blk.0.attn_k_b.weight")).type == .q5_0)
        #expect(try #require(f.tensor(named: "blk.0.attn_v_b.weight")).type == .q4_K)
    }

    /// The mix reproduces every type of the tiny Q4_K_M file that llama-quantize made (8 experts,
    /// tied embeddings, rows too short for K-quants: the special cases and fallbacks).
    @Test func mixMatchesLlamaQuantizeOnTheTinyModel() throws {
        let model = TestModel.tinyDeepSeekQ4_K_M
        guard model.shouldTest else { return }
        let file = try GGUFFile(path: model.path)
        let mismatches = DeepSeekR1Skeleton.typeMismatches(against: file)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
