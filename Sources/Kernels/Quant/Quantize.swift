import GGUF

/// Encodes floats to `type` with ggml's reference quantizer and no importance matrix, byte for
/// byte as `ggml_quantize_chunk` writes model files. Available for f16, bf16, q4_0, q4_1,
/// q5_0, q8_0, q4_K, q6_K and q8_K. Any input is accepted; NaN or infinite values give
/// whatever ggml gives, without trapping.
public func quantize(_ type: GGMLType, _ src: UnsafeBufferPointer<Float>, into dst: UnsafeMutableRawBufferPointer) throws(KernelsError) {
    guard let quantizeRow = QuantTraits.table[type]?.quantize else { throw .unsupported(type, .quantize) }
    try checkByteCount(type, values: src.count, bytes: dst.count)
    guard let source = src.baseAddress, let destination = dst.baseAddress else { return }
    quantizeRow(source, destination, src.count)
}

/// Encodes an activation row to `type`, a `vecDotType`, as ggml's CPU backend does on x86
/// before its dot products (`from_float`). Available for f32, f16, bf16, q8_0, q8_1 and q8_K.
/// For q8_0 this rounds half to even where `quantize` rounds half away from zero.
public func quantizeActivation(_ type: GGMLType, _ src: UnsafeBufferPointer<Float>, into dst: UnsafeMutableRawBufferPointer) throws(KernelsError) {
    guard let quantizeRow = QuantTraits.table[type]?.quantizeActivation else { throw .unsupported(type, .quantizeActivation) }
    try checkByteCount(type, values: src.count, bytes: dst.count)
    guard let source = src.baseAddress, let destination = dst.baseAddress else { return }
    quantizeRow(source, destination, src.count)
}
