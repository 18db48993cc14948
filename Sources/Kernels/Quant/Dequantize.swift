import GGUF

/// Decodes `src`, whole blocks of `type`, into one float per value, bit for bit as ggml's
/// `to_float` does. Rows need no separating: any number of rows is one long run of blocks.
/// Throws if the type is unsupported or `src` does not hold exactly `dst.count` values.
public func dequantize(_ type: GGMLType, _ src: UnsafeRawBufferPointer, into dst: UnsafeMutableBufferPointer<Float>) throws(KernelsError) {
    guard let traits = QuantTraits.table[type] else { throw .unsupported(type, .dequantize) }
    try checkByteCount(type, values: dst.count, bytes: src.count)
    guard let source = src.baseAddress, let destination = dst.baseAddress else { return }
    traits.dequantize(source, destination, dst.count)
}

/// Throws unless `bytes` is exactly the size of `values` values of `type`.
func checkByteCount(_ type: GGMLType, values: Int, bytes: Int) throws(KernelsError) {
    guard let expected = type.byteCount(values: values) else {
        throw .notWholeBlocks(type, values: values)
    }
    guard expected == bytes else {
        throw .byteCountMismatch(type, values: values, expectedBytes: expected, actualBytes: bytes)
    }
}
