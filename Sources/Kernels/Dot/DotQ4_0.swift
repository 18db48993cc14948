import GGUF

/// q4_0 · q8_0, reproducing `ggml_vec_dot_q4_0_q8_0` (ggml-cpu/arch/x86/quants.c, AVX2 path):
/// levels less 8 against the activation quants, eight lane sums per block fused into eight
/// accumulators with the product of the two f16 scales; `hsum_float_8` at the end.
enum DotQ4_0: RowDotKernel {
    static var weightType: GGMLType { .q4_0 }
    static var activationType: GGMLType { .q8_0 }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var w = weights, a = activations
        var acc = SIMD8<Float>()
        for _ in 0..<count / 32 {
            let scale = halfValue(at: w) * halfValue(at: a)
            let levels = nibbleBytes(w + 2)
            let sums = laneSums(even: levels.unsignedEven &- 8, odd: levels.unsignedOdd &- 8,
                                activations: a.loadUnaligned(fromByteOffset: 2, as: BytePairs.self))
            acc.addProduct(SIMD8(repeating: scale), exactFloats(sums))
            w += 18
            a += 34
        }
        return horizontalSum(acc)
    }
}

/// The 32 levels (0..<16) packed in the 16 bytes at `p` as bytes in value order: the low
/// nibbles are values 0..<16, the high nibbles values 16..<32 (`bytes_from_nibbles_32`).
@inline(__always)
func nibbleBytes(_ p: UnsafeRawPointer) -> BytePairs {
    let packed = p.loadUnaligned(as: SIMD8<UInt16>.self)
    let levels = SIMD16<UInt16>(lowHalf: packed & 0x0F0F, highHalf: (packed &>> 4) & 0x0F0F)
    return unsafeBitCast(levels, to: BytePairs.self)
}
