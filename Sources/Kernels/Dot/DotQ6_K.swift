import GGUF

/// q6_K · q8_K, reproducing `ggml_vec_dot_q6_K_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 path).
/// Per 256-value block: eight int32 lanes summing sub-block scale × lane sum of the unsigned
/// 6-bit levels over the eight 32-value chunks, less 32·(scale[2k]·Σ₁₆[2k] + scale[2k+1]·Σ₁₆[2k+1])
/// in lane k for the levels' offset (Σ₁₆ being the activation's bsums), converted to float with
/// rounding and fused into eight accumulators with d·d_x; `hsum_float_8` at the end.
enum DotQ6_K: RowDotKernel {
    static var weightType: GGMLType { .q6_K }
    static var activationType: GGMLType { .q8_K }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var w = weights, a = activations
        var acc = SIMD8<Float>()
        for _ in 0..<count / 256 {
            let d = a.loadUnaligned(as: Float.self) * halfValue(at: w + 208)
            let scales = w + 192, bsums = a + 260
            var offsets = SIMD8<Int32>()
            for k in 0..<8 {
                offsets[k] = Int32(bsums.loadUnaligned(fromByteOffset: 4 * k, as: Int16.self)) * Int32(scales.load(fromByteOffset: 2 * k, as: Int8.self))
                    + Int32(bsums.loadUnaligned(fromByteOffset: 4 * k + 2, as: Int16.self)) * Int32(scales.load(fromByteOffset: 2 * k + 1, as: Int8.self))
            }
            var sums = SIMD8<Int32>()
            var ql = w, qh = w + 128, q8 = a + 4, scale = scales
            for _ in 0..<2 {
                let lowA = ql.loadUnaligned(as: SIMD16<UInt16>.self)
                let lowB = ql.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt16>.self)
                let highBits = qh.loadUnaligned(as: SIMD16<UInt16>.self)
                sums &+= scaledLaneSums((lowA & 0x0F0F) | (highBits & 0x0303) &<< 4, q8, scale)
                sums &+= scaledLaneSums((lowB & 0x0F0F) | ((highBits &>> 2) & 0x0303) &<< 4, q8 + 32, scale + 2)
                sums &+= scaledLaneSums(((lowA &>> 4) & 0x0F0F) | ((highBits &>> 4) & 0x0303) &<< 4, q8 + 64, scale + 4)
                sums &+= scaledLaneSums(((lowB &>> 4) & 0x0F0F) | ((highBits &>> 6) & 0x0303) &<< 4, q8 + 96, scale + 6)
                ql += 64
                qh += 32
                q8 += 128
                scale += 8
            }
            sums &-= offsets &<< 5
            // Lanes can pass 2²⁴, where ggml's conversion rounds.
            acc.addProduct(SIMD8(repeating: d), roundedFloats(sums))
            w += 210
            a += 292
        }
        return horizontalSum(acc)
    }

    /// The lane sums of 32 levels (bytes below 64) with the 32 activation quants at `q8`, lanes
    /// 0..<4 times the int8 scale at `scales`, lanes 4..<8 times the next one (each 16-value
    /// sub-block has its own scale).
    @inline(__always)
    private static func scaledLaneSums(_ levels: SIMD16<UInt16>, _ q8: UnsafeRawPointer, _ scales: UnsafeRawPointer) -> SIMD8<Int32> {
        let scale = SIMD8<Int32>(lowHalf: SIMD4(repeating: Int32(scales.load(as: Int8.self))),
                                 highHalf: SIMD4(repeating: Int32(scales.load(fromByteOffset: 1, as: Int8.self))))
        return laneSums(unsigned: unsafeBitCast(levels, to: BytePairs.self), activations: q8.loadUnaligned(as: BytePairs.self)) &* scale
    }
}
