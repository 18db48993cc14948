import GGUF

/// The KV-cache element type a plan sizes the cache in.
public enum KVCacheType: String, Sendable, CaseIterable {
    case f16, f32, q8_0, q4_0

    /// Bytes for a row of `width` values; nil when a quantized row is not whole 32-value blocks.
    public func rowBytes(_ width: Int) -> Int? {
        switch self {
        case .f16: width * 2
        case .f32: width * 4
        case .q8_0: width % 32 == 0 ? GGMLType.q8_0.byteCount(values: width) : nil
        case .q4_0: width % 32 == 0 ? GGMLType.q4_0.byteCount(values: width) : nil
        }
    }

    /// Ollama's bytes per element (q4_0 counts half a byte; block scales ignored).
    var ollamaBytesPerElement: Double {
        switch self {
        case .f16: 2
        case .f32: 4
        case .q8_0: 1
        case .q4_0: 0.5
        }
    }
}
