import GGUF

/// q5_K · q8_K, reproducing `ggml_vec_dot_q5_K_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 path).
/// Per 256-value block: eight int32 lanes summing sub-block scale × lane sum over the four
/// 64-value chunks, fused into eight accumulators with d·d_x. The minimums are one integer per
/// block, fused into a scalar sum with −dmin·d_x (gcc and clang both contract
/// `summs += dmin * …` into one FMA), added last to `hsum_float_8` of the accumulators.
enum DotQ5_K: RowDotKernel {
    static var weightType: GGMLType { .q5_K }
    static var activationType: GGMLType { .q8_K }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var w = weights, a = activations
        var acc = SIMD8<Float>()
        var minimums: Float = 0
        for _ in 0..<count / 256 {
            let ad = a.loadUnaligned(as: Float.self)
            let d = ad * halfValue(at: w)
            let dmin = -ad * halfValue(at: w + 2)
            let packed = KScalesAndMins(w + 4)
            let minLanes = packed.minimumLanes(bsums: a + 260)
            minimums = minimums.addingProduct(dmin, Float(minLanes.wrappedSum()))

            let fifthBits = w.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt16>.self)
            var sums = SIMD8<Int32>()
            var q5 = w + 48, q8 = a + 4
            for j in 0..<4 {
                let nibbles = q5.loadUnaligned(as: SIMD16<UInt16>.self)
                let low = (nibbles & 0x0F0F) | ((fifthBits &>> UInt16(2 * j)) & 0x0101) &<< 4
                let high = ((nibbles &>> 4) & 0x0F0F) | ((fifthBits &>> UInt16(2 * j + 1)) & 0x0101) &<< 4
                let lowSums = laneSums(unsigned: unsafeBitCast(low, to: BytePairs.self),
                                       activations: q8.loadUnaligned(as: BytePairs.self))
                let highSums = laneSums(unsigned: unsafeBitCast(high, to: BytePairs.self),
                                        activations: q8.loadUnaligned(fromByteOffset: 32, as: BytePairs.self))
                sums &+= lowSums &* packed.scale(2 * j) &+ highSums &* packed.scale(2 * j + 1)
                q5 += 32
                q8 += 64
            }
            // A lane can pass 2²² here (31 · 128 · 4 · 63 · 8), so convert with rounding.
            acc.addProduct(SIMD8(repeating: d), roundedFloats(sums))
            w += 176
            a += 292
        }
        return horizontalSum(acc) + minimums
    }
}
