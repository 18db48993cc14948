import GGUF
import Kernels

/// How the KV cache stores its values. f16 is llama.cpp's default and the one its outputs (and our
/// fidelity tests) assume; f32 doubles the memory for extra precision; q8_0 roughly halves it.
public enum KVCacheType: String, Sendable, CaseIterable {
    case f16, f32, q8_0

    /// Bytes for a row of `width` values (q8_0 needs whole 32-value blocks).
    func rowBytes(_ width: Int) -> Int? {
        switch self {
        case .f16: width * 2
        case .f32: width * 4
        case .q8_0: GGMLType.q8_0.byteCount(values: width)
        }
    }
}

/// The key/value cache: per layer, one row of `width` values per position for keys and one for
/// values (or, for multi-head latent attention, one f16 row per position whose leading part is
/// also the value).
final class KVCache: @unchecked Sendable {
    let layers: Int
    let contextSize: Int
    let type: KVCacheType
    let keyWidth: [Int]
    let valueWidth: [Int]
    /// Values are the leading `valueWidth` entries of each key row, stored once (MLA's latent).
    let valuesInKeys: Bool
    private let keyRowBytes: [Int]
    private let valueRowBytes: [Int]
    private let keys: [UnsafeMutableRawPointer]
    private let values: [UnsafeMutableRawPointer]

    /// Throws when a row cannot be stored in `type` (q8_0 needs whole 32-value blocks).
    static func check(keyWidth: [Int], valueWidth: [Int], type: KVCacheType) throws(ModelError) {
        for (k, v) in zip(keyWidth, valueWidth) where type.rowBytes(k) == nil || type.rowBytes(v) == nil {
            throw .unsupportedCacheType(type.rawValue, reason: "rows of \(k) and \(v) values are not whole q8_0 blocks")
        }
    }

    /// A cache of `type`; the widths must have passed `check`.
    init(layers: Int, contextSize: Int, keyWidth: [Int], valueWidth: [Int], type: KVCacheType = .f16) {
        precondition((try? Self.check(keyWidth: keyWidth, valueWidth: valueWidth, type: type)) != nil, "unchecked KV widths")
        self.layers = layers
        self.contextSize = contextSize
        self.type = type
        self.keyWidth = keyWidth
        self.valueWidth = valueWidth
        valuesInKeys = false
        keyRowBytes = keyWidth.map { type.rowBytes($0)! }
        valueRowBytes = valueWidth.map { type.rowBytes($0)! }
        keys = keyRowBytes.map { .allocate(byteCount: contextSize * $0, alignment: 64) }
        values = valueRowBytes.map { .allocate(byteCount: contextSize * max($0, 1), alignment: 64) }
    }

    /// A cache whose values are a prefix of its keys: multi-head latent attention keeps one f16 row
    /// per position of `latentWidth + ropeWidth` values, the latent serving as key and value.
    init(layers: Int, contextSize: Int, latentWidth: Int, ropeWidth: Int) {
        self.layers = layers
        self.contextSize = contextSize
        type = .f16
        keyWidth = .init(repeating: latentWidth + ropeWidth, count: layers)
        valueWidth = .init(repeating: latentWidth, count: layers)
        valuesInKeys = true
        keyRowBytes = keyWidth.map { $0 * 2 }
        valueRowBytes = keyRowBytes
        keys = keyRowBytes.map { .allocate(byteCount: contextSize * $0, alignment: 64) }
        values = []
    }

    deinit {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
    }

    var bytes: Int { contextSize * bytesPerToken }

    /// Bytes one position takes across all layers.
    var bytesPerToken: Int {
        (0..<layers).reduce(0) { $0 + keyRowBytes[$1] + (valuesInKeys ? 0 : valueRowBytes[$1]) }
    }

    func keyRow(_ layer: Int, _ position: Int) -> UnsafeMutableRawPointer { keys[layer] + position * keyRowBytes[layer] }
    func valueRow(_ layer: Int, _ position: Int) -> UnsafeMutableRawPointer {
        valuesInKeys ? keyRow(layer, position) : values[layer] + position * valueRowBytes[layer]
    }

    /// Bytes from one position's key row to the next one's.
    func keyRowStride(_ layer: Int) -> Int { keyRowBytes[layer] }

    /// Bytes from one position's value row to the next one's.
    func valueRowStride(_ layer: Int) -> Int { valuesInKeys ? keyRowBytes[layer] : valueRowBytes[layer] }

    /// An f16 cache's key row as f16 bits.
    func key(_ layer: Int, _ position: Int) -> UnsafeMutablePointer<UInt16> {
        precondition(type == .f16, "f16 access to a \(type) cache")
        return keyRow(layer, position).assumingMemoryBound(to: UInt16.self)
    }

    /// An f16 cache's value row as f16 bits.
    func value(_ layer: Int, _ position: Int) -> UnsafeMutablePointer<UInt16> {
        precondition(type == .f16, "f16 access to a \(type) cache")
        return valueRow(layer, position).assumingMemoryBound(to: UInt16.self)
    }

    /// Stores a row, rounding to f16 as ggml's copy into the cache does.
    static func store(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<UInt16>) {
        for i in 0..<count { dst[i] = src[i].fp16Bits }
    }

    /// Stores a key or value row in the cache's type: f16 rounding, f32 as is, or q8_0 blocks made by
    /// the CPU backend's activation quantizer (what ggml's copy into a q8_0 cache uses).
    func store(_ src: UnsafePointer<Float>, count: Int, key: Bool, layer: Int, position: Int) {
        let dst = key ? keyRow(layer, position) : valueRow(layer, position)
        switch type {
        case .f16: Self.store(src, count: count, into: dst.assumingMemoryBound(to: UInt16.self))
        case .f32: dst.copyMemory(from: src, byteCount: count * 4)
        case .q8_0:
            // The row was checked to be whole blocks when the cache was made, so this cannot throw.
            let bytes = GGMLType.q8_0.byteCount(values: count)!
            try! quantizeActivation(.q8_0, UnsafeBufferPointer(start: src, count: count),
                                    into: UnsafeMutableRawBufferPointer(start: dst, count: bytes))
        }
    }
}
