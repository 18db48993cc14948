import GGUF

/// A header-only GGUF of DeepSeek-R1 671B in Q4_K_M, built from the published architecture
/// (DeepSeek-V3's config.json) with the tensor types llama.cpp's quantizer gives Q4_K_M: 61 blocks,
/// the first 3 dense, then 256 routed experts (8 used) and 1 shared expert per block, multi-head
/// latent attention. Its tensors add up to about 404 GB, as `deepseek-r1:671b` in Ollama's library.
public enum DeepSeekR1Skeleton {
    public enum Layout: String, Sendable, CaseIterable {
        /// One `attn_kv_b` per block and 128 KV heads declared: conversions before about April 2025,
        /// including the Ollama library blob of January 2025.
        case legacy
        /// `attn_k_b` and `attn_v_b`, one KV head of 576/512 declared (`*_mla` keys): current conversions.
        case mla
    }

    static let embedding = 7168, vocabulary = 129_280, blocks = 61, leadingDense = 3
    static let denseWidth = 18_432, expertWidth = 2048, experts = 256, usedExperts = 8, sharedExperts = 1
    static let heads = 128, queryRank = 1536, latentRank = 512, nopeDim = 128, ropeDim = 64, valueDim = 128

    public static func writer(layout: Layout) throws -> GGUFWriter {
        var w = GGUFWriter()
        for (key, value) in metadata(layout) { try w.set(key, value) }
        let shapes = tensorShapes(layout)
        var mix = Q4KMediumMix(layerCount: blocks, expertCount: experts, tiedEmbeddings: false,
                               attentionValueCount: shapes.filter { Q4KMediumMix.isAttentionValueLike($0.name) }.count)
        for (name, shape) in shapes { try w.declareTensor(name: name, type: mix.type(of: name, shape: shape), shape: shape) }
        return w
    }

    static func metadata(_ layout: Layout) -> [(String, GGUFValue)] {
        let a = "deepseek2."
        var keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("deepseek2")),
            ("general.name", .string("DeepSeek R1 671B Q4_K_M (header-only skeleton)")),
            ("general.file_type", .uint32(15)),  // LLAMA_FTYPE_MOSTLY_Q4_K_M
            ("general.quantization_version", .uint32(2)),
            (a + "vocab_size", .uint32(UInt32(vocabulary))),
            (a + "context_length", .uint32(163_840)),
            (a + "embedding_length", .uint32(UInt32(embedding))),
            (a + "block_count", .uint32(UInt32(blocks))),
            (a + "feed_forward_length", .uint32(UInt32(denseWidth))),
            (a + "leading_dense_block_count", .uint32(UInt32(leadingDense))),
            (a + "attention.head_count", .uint32(UInt32(heads))),
            (a + "attention.layer_norm_rms_epsilon", .float32(1e-6)),
            (a + "attention.q_lora_rank", .uint32(UInt32(queryRank))),
            (a + "attention.kv_lora_rank", .uint32(UInt32(latentRank))),
            (a + "rope.dimension_count", .uint32(UInt32(ropeDim))),
            (a + "rope.freq_base", .float32(10_000)),
            (a + "rope.scaling.type", .string("yarn")),
            (a + "rope.scaling.factor", .float32(40)),
            (a + "rope.scaling.original_context_length", .uint32(4096)),
            (a + "rope.scaling.yarn_log_multiplier", .float32(0.1)),
            (a + "expert_count", .uint32(UInt32(experts))),
            (a + "expert_used_count", .uint32(UInt32(usedExperts))),
            (a + "expert_shared_count", .uint32(UInt32(sharedExperts))),
            (a + "expert_feed_forward_length", .uint32(UInt32(expertWidth))),
            (a + "expert_group_count", .uint32(8)),
            (a + "expert_group_used_count", .uint32(4)),
            (a + "expert_weights_scale", .float32(2.5)),
            (a + "expert_weights_norm", .bool(true)),
            (a + "expert_gating_func", .uint32(2)),
        ]
        switch layout {
        case .legacy:
            keys += [(a + "attention.head_count_kv", .uint32(UInt32(heads))),
                     (a + "attention.key_length", .uint32(UInt32(nopeDim + ropeDim))),
                     (a + "attention.value_length", .uint32(UInt32(valueDim)))]
        case .mla:
            keys += [(a + "attention.head_count_kv", .uint32(1)),
                     (a + "attention.key_length", .uint32(UInt32(latentRank + ropeDim))),
                     (a + "attention.value_length", .uint32(UInt32(latentRank))),
                     (a + "attention.key_length_mla", .uint32(UInt32(nopeDim + ropeDim))),
                     (a + "attention.value_length_mla", .uint32(UInt32(valueDim)))]
        }
        return keys
    }

    /// Names and ggml shapes (row length first) in the order the converter writes them.
    static func tensorShapes(_ layout: Layout) -> [(name: String, shape: [Int])] {
        var t: [(String, [Int])] = [("token_embd.weight", [embedding, vocabulary])]
        for i in 0..<blocks {
            let p = "blk.\(i)."
            t += [(p + "attn_norm.weight", [embedding]),
                  (p + "attn_q_a_norm.weight", [queryRank]),
                  (p + "attn_kv_a_norm.weight", [latentRank]),
                  (p + "attn_q_a.weight", [embedding, queryRank]),
                  (p + "attn_q_b.weight", [queryRank, heads * (nopeDim + ropeDim)]),
                  (p + "attn_kv_a_mqa.weight", [embedding, latentRank + ropeDim])]
            switch layout {
            case .legacy: t.append((p + "attn_kv_b.weight", [latentRank, heads * (nopeDim + valueDim)]))
            case .mla: t += [(p + "attn_k_b.weight", [nopeDim, latentRank, heads]), (p + "attn_v_b.weight", [latentRank, valueDim, heads])]
            }
            t += [(p + "attn_output.weight", [heads * valueDim, embedding]), (p + "ffn_norm.weight", [embedding])]
            if i < leadingDense {
                t += [(p + "ffn_gate.weight", [embedding, denseWidth]), (p + "ffn_up.weight", [embedding, denseWidth]),
                      (p + "ffn_down.weight", [denseWidth, embedding])]
            } else {
                t += [(p + "ffn_gate_inp.weight", [embedding, experts]), (p + "exp_probs_b.bias", [experts]),
                      (p + "ffn_gate_exps.weight", [embedding, expertWidth, experts]),
                      (p + "ffn_up_exps.weight", [embedding, expertWidth, experts]),
                      (p + "ffn_down_exps.weight", [expertWidth, embedding, experts]),
                      (p + "ffn_gate_shexp.weight", [embedding, expertWidth * sharedExperts]),
                      (p + "ffn_up_shexp.weight", [embedding, expertWidth * sharedExperts]),
                      (p + "ffn_down_shexp.weight", [expertWidth * sharedExperts, embedding])]
            }
        }
        return t + [("output_norm.weight", [embedding]), ("output.weight", [embedding, vocabulary])]
    }
}

extension DeepSeekR1Skeleton {
    /// Tensors of a llama-quantize Q4_K_M `file` whose type differs from what the mix the skeleton
    /// uses would choose: "name: file q5_K, mix q4_K". Empty when the mix agrees everywhere.
    public static func typeMismatches(against file: GGUFFile) -> [String] {
        let arch = file.architecture ?? ""
        var mix = Q4KMediumMix(layerCount: file["\(arch).block_count"]?.intValue ?? 0,
                               expertCount: file["\(arch).expert_count"]?.intValue ?? 0,
                               tiedEmbeddings: file.tensor(named: "output.weight") == nil,
                               attentionValueCount: file.tensors.filter { Q4KMediumMix.isAttentionValueLike($0.name) }.count)
        return file.tensors.compactMap { t in
            let chosen = mix.type(of: t.name, shape: t.shape)
            return chosen == t.type ? nil : "\(t.name): file \(t.type.name), mix \(chosen.name)"
        }
    }
}
