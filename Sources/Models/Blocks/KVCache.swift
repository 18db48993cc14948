import Kernels

/// The key/value cache in f16, as llama.cpp keeps it by default: per layer, one row of
/// `width` values per position for keys and one for values.
final class KVCache: @unchecked Sendable {
    let layers: Int
    let contextSize: Int
    let keyWidth: [Int]
    let valueWidth: [Int]
    private let keys: [UnsafeMutablePointer<UInt16>]
    private let values: [UnsafeMutablePointer<UInt16>]

    init(layers: Int, contextSize: Int, keyWidth: [Int], valueWidth: [Int]) {
        self.layers = layers
        self.contextSize = contextSize
        self.keyWidth = keyWidth
        self.valueWidth = valueWidth
        keys = (0..<layers).map { .allocate(capacity: contextSize * keyWidth[$0]) }
        values = (0..<layers).map { .allocate(capacity: contextSize * max(valueWidth[$0], 1)) }
    }

    convenience init(layers: Int, contextSize: Int, keyWidth: Int, valueWidth: Int) {
        self.init(layers: layers, contextSize: contextSize, keyWidth: .init(repeating: keyWidth, count: layers),
                  valueWidth: .init(repeating: valueWidth, count: layers))
    }

    deinit {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
    }

    var bytes: Int { (0..<layers).reduce(0) { $0 + contextSize * (keyWidth[$1] + valueWidth[$1]) * 2 } }

    func key(_ layer: Int, _ position: Int) -> UnsafeMutablePointer<UInt16> { keys[layer] + position * keyWidth[layer] }
    func value(_ layer: Int, _ position: Int) -> UnsafeMutablePointer<UInt16> { values[layer] + position * valueWidth[layer] }

    /// Stores a row, rounding to f16 as ggml's copy into the cache does.
    static func store(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<UInt16>) {
        for i in 0..<count { dst[i] = src[i].fp16Bits }
    }
}
