/// What a tensor does, read from its GGUF name. The tern policy places by role: routed experts
/// are the only tensors it lets spill to RAM, because decoding reads just the chosen few of them.
public enum TensorRole: String, Sendable, CaseIterable, Comparable {
    case embedding = "token embedding"
    case attention = "attention"
    case norm = "norms"
    case router = "router"
    case sharedExpert = "shared experts"
    case denseFFN = "dense FFN"
    case routedExpert = "routed experts"
    case output = "output"
    case other = "other"

    /// The role of the tensor called `name` (`blk.N.attn_kv_b.weight`, `output_norm.weight`, …).
    public init(tensorName name: String) {
        let base = Self.baseName(name)
        if base == "token_embd" || base == "per_layer_token_embd" { self = .embedding; return }
        if base == "output" || base == "output_norm" { self = .output; return }
        if base.hasSuffix("_exps") { self = .routedExpert; return }
        if base.hasSuffix("_shexp") { self = .sharedExpert; return }
        if base == "ffn_gate_inp" || base == "exp_probs_b" { self = .router; return }
        if base.hasSuffix("_norm") { self = .norm; return }
        if base.hasPrefix("attn_") { self = .attention; return }
        if base.hasPrefix("ffn_") { self = .denseFFN; return }
        self = .other
    }

    /// The layer index of `blk.N.…`, nil for tensors outside the blocks.
    public static func layer(ofTensor name: String) -> Int? {
        guard name.hasPrefix("blk.") else { return nil }
        return Int(name.dropFirst(4).prefix { $0 != "." })
    }

    /// `blk.3.attn_kv_b.weight` → `attn_kv_b`; `output.weight` → `output`.
    static func baseName(_ name: String) -> String {
        var parts = name.split(separator: ".")
        if parts.first == "blk", parts.count >= 2 { parts.removeFirst(2) }
        if let last = parts.last, ["weight", "bias"].contains(last) { parts.removeLast() }
        return parts.joined(separator: ".")
    }

    public static func < (a: TensorRole, b: TensorRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
