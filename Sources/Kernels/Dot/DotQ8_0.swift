import GGUF

/// q8_0 · q8_0, reproducing `ggml_vec_dot_q8_0_q8_0` (ggml-cpu/arch/x86/quants.c, AVX2 path):
/// per 32-value block, eight lane sums of four products each, turned into floats and fused
/// into eight accumulators with the product of the two f16 scales; `hsum_float_8` at the end.
enum DotQ8_0: RowDotKernel {
    static var weightType: GGMLType { .q8_0 }
    static var activationType: GGMLType { .q8_0 }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var w = weights, a = activations
        var acc = SIMD8<Float>()
        for _ in 0..<count / 32 {
            let scale = halfValue(at: w) * halfValue(at: a)
            let sums = laneSums(signed: w.loadUnaligned(fromByteOffset: 2, as: BytePairs.self),
                                activations: a.loadUnaligned(fromByteOffset: 2, as: BytePairs.self))
            acc.addProduct(SIMD8(repeating: scale), exactFloats(sums))
            w += 34
            a += 34
        }
        return horizontalSum(acc)
    }
}
