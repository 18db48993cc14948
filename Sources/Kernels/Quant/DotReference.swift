import GGUF

/// The scalar reference dot product of a weight row of `type` with an activation row of
/// `type.vecDotType` (made by `quantizeActivation`), `count` values each. Integer sums inside
/// each block, float across blocks, in the order of ggml's generic `vec_dot`; it agrees with
/// ggml's SIMD kernels to within 1e-6·Σ|block max weight · activation|. Later optimized
/// kernels are tested against it.
public func dotReference(
    _ type: GGMLType, weightRow: UnsafeRawBufferPointer, activationRow: UnsafeRawBufferPointer, count: Int
) throws(KernelsError) -> Float {
    guard let dot = QuantTraits.table[type]?.dot else { throw .unsupported(type, .dot) }
    try checkByteCount(type, values: count, bytes: weightRow.count)
    try checkByteCount(dot.activationType, values: count, bytes: activationRow.count)
    guard let weights = weightRow.baseAddress, let activations = activationRow.baseAddress else { return 0 }
    return dot.row(weights, activations, count)
}
