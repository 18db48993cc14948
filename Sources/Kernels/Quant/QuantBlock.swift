import GGUF

/// One block of a ggml tensor type, laid out byte for byte as ggml stores it (its stride is
/// `ggmlType.blockBytes`), so a row of blocks can be read straight out of a GGUF mapping.
///
/// Half-precision fields hold their UInt16 bits, as ggml's `ggml_half` does, never `Float16`:
/// Swift 6.3.1 passes a struct of a `Float16` followed by a small `InlineArray` of bytes
/// wrongly by value (the array arrives zeroed at -O; -Onone crashes).
protocol QuantBlock: BitwiseCopyable, Sendable {
    static var ggmlType: GGMLType { get }
    /// Writes this block's `ggmlType.blockSize` values, computed exactly as ggml's `to_float`.
    func dequantize(into out: UnsafeMutablePointer<Float>)
}

/// A block type with ggml's reference quantizer (`ggml_quantize_chunk` without an importance
/// matrix), the one that writes model files.
protocol ReferenceQuantizable: QuantBlock {
    /// Quantizes `ggmlType.blockSize` values.
    init(quantizing values: UnsafePointer<Float>)
}

/// A block type that ggml's CPU matmul quantizes activations to (a `vec_dot_type`).
protocol ActivationBlock: QuantBlock {
    /// Quantizes `ggmlType.blockSize` values as the CPU backend's `from_float` does on x86.
    init(quantizingActivation values: UnsafePointer<Float>)
}

/// A weight block type with a reference dot product against its activation block type.
protocol DotBlock: QuantBlock {
    associatedtype Activation: ActivationBlock
    /// This block's share of the row dot product, computed in the order of ggml's scalar
    /// `vec_dot` (integer sums inside the block, then float scales).
    func dot(_ activation: Activation) -> Float
}

extension QuantBlock {
    static var valuesPerBlock: Int { ggmlType.blockSize }
}

// Row drivers: loop over the blocks of a row. Blocks are loaded unaligned because a GGUF
// row of, say, 18-byte q4_0 blocks only guarantees the alignment of its first byte.

func dequantizeRow<B: QuantBlock>(_: B.Type, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    let n = B.valuesPerBlock
    for i in 0..<count / n {
        src.loadUnaligned(fromByteOffset: i * MemoryLayout<B>.stride, as: B.self).dequantize(into: dst + i * n)
    }
}

func quantizeRow<B: ReferenceQuantizable>(_: B.Type, _ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, count: Int) {
    let n = B.valuesPerBlock
    for i in 0..<count / n {
        dst.storeBytes(of: B(quantizing: src + i * n), toByteOffset: i * MemoryLayout<B>.stride, as: B.self)
    }
}

func quantizeActivationRow<B: ActivationBlock>(_: B.Type, _ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, count: Int) {
    let n = B.valuesPerBlock
    for i in 0..<count / n {
        dst.storeBytes(of: B(quantizingActivation: src + i * n), toByteOffset: i * MemoryLayout<B>.stride, as: B.self)
    }
}

/// Sums the blocks' shares in float, left to right, as ggml's scalar `vec_dot` does.
func dotRow<B: DotBlock>(_: B.Type, _ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count / B.valuesPerBlock {
        let w = weights.loadUnaligned(fromByteOffset: i * MemoryLayout<B>.stride, as: B.self)
        let a = activations.loadUnaligned(fromByteOffset: i * MemoryLayout<B.Activation>.stride, as: B.Activation.self)
        sum += w.dot(a)
    }
    return sum
}
