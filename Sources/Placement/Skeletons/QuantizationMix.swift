import GGUF

/// The tensor types llama.cpp's quantizer picks for a Q4_K_M file (`llama_tensor_get_type` in
/// src/llama-quant.cpp), for the tensor kinds decoder and MoE models have: Q4_K by default, Q6_K
/// for the output, for the attention-value-like tensors and ffn_down of the "more bits" layers,
/// extra bits for 8-expert models, F32 for what is never quantized, and the shape fallbacks.
/// Tensors must be offered in file order (the attention-value counter depends on it).
struct Q4KMediumMix {
    let layerCount: Int
    let expertCount: Int
    let tiedEmbeddings: Bool
    /// How many attention-value-like tensors the file has, and how many were typed so far.
    let attentionValueCount: Int
    private var attentionValueIndex = 0

    init(layerCount: Int, expertCount: Int, tiedEmbeddings: Bool, attentionValueCount: Int) {
        self.layerCount = layerCount
        self.expertCount = expertCount
        self.tiedEmbeddings = tiedEmbeddings
        self.attentionValueCount = attentionValueCount
    }

    /// llama.cpp's "use more bits" layers: the first and last eighth, and every third in between.
    static func usesMoreBits(_ layer: Int, of count: Int) -> Bool {
        layer < count / 8 || layer >= 7 * count / 8 || (layer - count / 8) % 3 == 2
    }

    static func isAttentionValueLike(_ name: String) -> Bool {
        name.contains("attn_v.weight") || name.contains("attn_qkv.weight") || name.contains("attn_kv_b.weight")
    }

    mutating func type(of name: String, shape: [Int]) -> GGMLType {
        guard Self.isQuantized(name, shape: shape) else { return .f32 }
        return Self.fallback(preferred(name), rowLength: shape[0])
    }

    /// Norms, routers and vectors stay F32.
    static func isQuantized(_ name: String, shape: [Int]) -> Bool {
        shape.count >= 2 && name.hasSuffix("weight") && !name.contains("_norm.weight") && !name.contains("ffn_gate_inp.weight")
    }

    private mutating func preferred(_ name: String) -> GGMLType {
        let layer = TensorRole.layer(ofTensor: name) ?? 0
        if name == "output.weight" || (tiedEmbeddings && name == "token_embd.weight") { return .q6_K }
        if name == "token_embd.weight" { return .q4_K }
        if Self.isAttentionValueLike(name) {
            defer { attentionValueIndex += 1 }
            if name.contains("attn_qkv.weight") { return .q5_K }
            if expertCount == 8 { return .q8_0 }
            return Self.usesMoreBits(attentionValueIndex, of: attentionValueCount) ? .q6_K : .q4_K
        }
        if name.contains("attn_k.weight") { return expertCount == 8 ? .q8_0 : .q4_K }
        if name.contains("ffn_down") { return Self.usesMoreBits(layer, of: layerCount) ? .q6_K : .q4_K }
        if name.contains("attn_output.weight") { return expertCount == 8 ? .q5_K : .q4_K }
        return .q4_K
    }

    /// A row that is not whole blocks of the chosen type takes llama.cpp's fallback, then F16.
    static func fallback(_ type: GGMLType, rowLength: Int) -> GGMLType {
        guard rowLength % type.blockSize != 0 else { return type }
        let next: GGMLType = switch type {
        case .q4_K: .q5_0
        case .q5_K: .q5_1
        case .q6_K: .q8_0
        default: .f16
        }
        return rowLength % next.blockSize == 0 ? next : .f16
    }
}
