import GGUF

/// q4_1 · q8_1, reproducing `ggml_vec_dot_q4_1_q8_1` (ggml-cpu/arch/x86/quants.c, AVX2 path):
/// unsigned levels against the activation quants, eight lane sums per block fused into eight
/// accumulators with the product of the two f16 scales. The minimums' shares m·s (exact: a
/// product of two halves) go into a separate scalar sum, added last to `hsum_float_8` of the
/// accumulators.
enum DotQ4_1: RowDotKernel {
    static var weightType: GGMLType { .q4_1 }
    static var activationType: GGMLType { .q8_1 }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var w = weights, a = activations
        var acc = SIMD8<Float>()
        var minimums: Float = 0
        for _ in 0..<count / 32 {
            let scale = halfValue(at: w) * halfValue(at: a)
            minimums += halfValue(at: w + 2) * halfValue(at: a + 2)
            let sums = laneSums(unsigned: nibbleBytes(w + 4),
                                activations: a.loadUnaligned(fromByteOffset: 4, as: BytePairs.self))
            acc.addProduct(SIMD8(repeating: scale), exactFloats(sums))
            w += 20
            a += 36
        }
        return horizontalSum(acc) + minimums
    }
}
