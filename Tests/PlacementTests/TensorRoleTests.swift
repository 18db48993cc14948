import GGUF
import Placement
import Testing

@Suite("Tensor roles from names")
struct TensorRoleTests {
    @Test(arguments: [
        ("token_embd.weight", TensorRole.embedding, nil as Int?), ("output.weight", .output, nil), ("output_norm.weight", .output, nil),
        ("blk.0.attn_q.weight", .attention, 0), ("blk.1.attn_k.bias", .attention, 1), ("blk.2.attn_output.weight", .attention, 2),
        ("blk.3.attn_kv_a_mqa.weight", .attention, 3), ("blk.3.attn_kv_b.weight", .attention, 3),
        ("blk.3.attn_k_b.weight", .attention, 3), ("blk.3.attn_v_b.weight", .attention, 3),
        ("blk.3.attn_q_a.weight", .attention, 3), ("blk.3.attn_q_b.weight", .attention, 3),
        ("blk.3.attn_q_a_norm.weight", .norm, 3), ("blk.3.attn_kv_a_norm.weight", .norm, 3), ("blk.60.ffn_norm.weight", .norm, 60),
        ("blk.4.ffn_gate_inp.weight", .router, 4), ("blk.4.exp_probs_b.bias", .router, 4),
        ("blk.4.ffn_up_shexp.weight", .sharedExpert, 4), ("blk.4.ffn_down_exps.weight", .routedExpert, 4),
        ("blk.0.ffn_gate.weight", .denseFFN, 0), ("rope_freqs.weight", .other, nil),
    ])
    func role(name: String, role: TensorRole, layer: Int?) {
        #expect(TensorRole(tensorName: name) == role)
        #expect(TensorRole.layer(ofTensor: name) == layer)
    }
}

@Suite("Tied embeddings")
struct TiedEmbeddingTests {
    /// Without `output.weight` the embedding is the output head: planned with the output and read whole.
    @Test func tiedEmbeddingIsTheOutput() throws {
        var w = GGUFWriter()
        try w.set("general.architecture", .string("llama"))
        for (key, value) in [("block_count", 1), ("embedding_length", 64), ("attention.head_count", 2), ("feed_forward_length", 128)] {
            try w.set("llama.\(key)", .uint32(UInt32(value)))
        }
        try w.declareTensor(name: "token_embd.weight", type: .q8_0, shape: [64, 1000])
        try w.declareTensor(name: "blk.0.attn_q.weight", type: .f16, shape: [64, 64])
        let footprint = try ModelFootprint(file: try GGUFFile(bytes: w.header(), data: .headerOnly))
        let embedding = try #require(footprint.tensors.first)
        #expect(embedding.role == .output)
        #expect(embedding.bytesReadPerToken == embedding.bytes)
    }
}
