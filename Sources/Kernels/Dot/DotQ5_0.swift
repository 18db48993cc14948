import GGUF

/// q5_0 · q8_0, reproducing `ggml_vec_dot_q5_0_q8_0` (ggml-cpu/arch/x86/quants.c, AVX2 path):
/// levels less 16 against the activation quants, eight lane sums per block fused into eight
/// accumulators with the product of the two f16 scales; `hsum_float_8` at the end.
enum DotQ5_0: RowDotKernel {
    static var weightType: GGMLType { .q5_0 }
    static var activationType: GGMLType { .q8_0 }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var w = weights, a = activations
        var acc = SIMD8<Float>()
        for _ in 0..<count / 32 {
            let scale = halfValue(at: w) * halfValue(at: a)
            let sums = laneSums(signed: fiveBitBytesLess16(w + 2),
                                activations: a.loadUnaligned(fromByteOffset: 2, as: BytePairs.self))
            acc.addProduct(SIMD8(repeating: scale), exactFloats(sums))
            w += 22
            a += 34
        }
        return horizontalSum(acc)
    }
}

/// A q5_0 block's 32 levels less 16 as signed bytes, from its 4 bytes of fifth bits at `p`
/// followed by its 16 bytes of nibbles. A clear fifth bit makes the byte's top nibble 0xF
/// (the nibble less 16), a set one leaves the nibble as is.
@inline(__always)
func fiveBitBytesLess16(_ p: UnsafeRawPointer) -> BytePairs {
    let nibbles = unsafeBitCast(nibbleBytes(p + 4), to: SIMD8<UInt32>.self)
    let fifthBits = SIMD8<UInt32>(repeating: p.loadUnaligned(as: UInt32.self))
    // Lane k covers values 4k..<4k+4: its four fifth bits, spread one to each byte's bit 0
    // (bit i lands on bit 8i alone; the shifted copies never overlap).
    let four = (fifthBits &>> SIMD8(0, 4, 8, 12, 16, 20, 24, 28)) & 0xF
    let spread = (four &* 0x0020_4081) & 0x0101_0101
    let bytes = nibbles | ((spread ^ 0x0101_0101) &* 0xF0)
    return unsafeBitCast(bytes, to: BytePairs.self)
}
