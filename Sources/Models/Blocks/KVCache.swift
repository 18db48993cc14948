import Kernels

/// The key/value cache in f16, as llama.cpp keeps it by default: per layer, one row of
/// `width` values per position for keys and one for values (or, for multi-head latent attention,
/// one row per position whose leading part is also the value).
final class KVCache: @unchecked Sendable {
    let layers: Int
    let contextSize: Int
    let keyWidth: [Int]
    let valueWidth: [Int]
    /// Values are the leading `valueWidth` entries of each key row, stored once (MLA's latent).
    let valuesInKeys: Bool
    private let keys: [UnsafeMutablePointer<UInt16>]
    private let values: [UnsafeMutablePointer<UInt16>]

    init(layers: Int, contextSize: Int, keyWidth: [Int], valueWidth: [Int]) {
        self.layers = layers
        self.contextSize = contextSize
        self.keyWidth = keyWidth
        self.valueWidth = valueWidth
        valuesInKeys = false
        keys = (0..<layers).map { .allocate(capacity: contextSize * keyWidth[$0]) }
        values = (0..<layers).map { .allocate(capacity: contextSize * max(valueWidth[$0], 1)) }
    }

    /// A cache whose values are a prefix of its keys: multi-head latent attention keeps one row per
    /// position of `latentWidth + ropeWidth` values, the latent serving as key and value.
    init(layers: Int, contextSize: Int, latentWidth: Int, ropeWidth: Int) {
        self.layers = layers
        self.contextSize = contextSize
        keyWidth = .init(repeating: latentWidth + ropeWidth, count: layers)
        valueWidth = .init(repeating: latentWidth, count: layers)
        valuesInKeys = true
        keys = (0..<layers).map { _ in .allocate(capacity: contextSize * (latentWidth + ropeWidth)) }
        values = []
    }

    convenience init(layers: Int, contextSize: Int, keyWidth: Int, valueWidth: Int) {
        self.init(layers: layers, contextSize: contextSize, keyWidth: .init(repeating: keyWidth, count: layers),
                  valueWidth: .init(repeating: valueWidth, count: layers))
    }

    deinit {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
    }

    var bytes: Int { contextSize * bytesPerToken }

    /// Bytes one position takes across all layers.
    var bytesPerToken: Int {
        (0..<layers).reduce(0) { $0 + (keyWidth[$1] + (valuesInKeys ? 0 : valueWidth[$1])) * 2 }
    }

    func key(_ layer: Int, _ position: Int) -> UnsafeMutablePointer<UInt16> { keys[layer] + position * keyWidth[layer] }
    func value(_ layer: Int, _ position: Int) -> UnsafeMutablePointer<UInt16> {
        valuesInKeys ? key(layer, position) : values[layer] + position * valueWidth[layer]
    }

    /// Stores a row, rounding to f16 as ggml's copy into the cache does.
    static func store(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<UInt16>) {
        for i in 0..<count { dst[i] = src[i].fp16Bits }
    }
}
