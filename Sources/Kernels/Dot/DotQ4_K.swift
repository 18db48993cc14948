import GGUF

/// q4_K · q8_K, reproducing `ggml_vec_dot_q4_K_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 path).
/// Per 256-value block: eight int32 lanes summing sub-block scale × lane sum over the four
/// 64-value chunks, fused into eight accumulators with d·d_x; the minimums as four lanes of
/// min[2k]·Σ₃₂[2k] + min[2k+1]·Σ₃₂[2k+1] (Σ₃₂ from the activation's bsums) fused into four
/// accumulators with −dmin·d_x. At the end `hsum_float_8` plus the four minimum lanes summed
/// as (0+2)+(1+3).
enum DotQ4_K: RowDotKernel {
    static var weightType: GGMLType { .q4_K }
    static var activationType: GGMLType { .q8_K }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var w = weights, a = activations
        var acc = SIMD8<Float>()
        var minAcc = SIMD4<Float>()
        for _ in 0..<count / 256 {
            let ad = a.loadUnaligned(as: Float.self)
            let d = ad * halfValue(at: w)
            let dmin = -ad * halfValue(at: w + 2)
            let packed = KScalesAndMins(w + 4)
            minAcc.addProduct(SIMD4(repeating: dmin), exactFloats(packed.minimumLanes(bsums: a + 260)))

            var sums = SIMD8<Int32>()
            var q4 = w + 16, q8 = a + 4
            for j in 0..<4 {
                let nibbles = q4.loadUnaligned(as: SIMD16<UInt16>.self)
                let low = unsafeBitCast(nibbles & 0x0F0F, to: BytePairs.self)
                let high = unsafeBitCast((nibbles &>> 4) & 0x0F0F, to: BytePairs.self)
                let lowSums = laneSums(unsigned: low, activations: q8.loadUnaligned(as: BytePairs.self))
                let highSums = laneSums(unsigned: high, activations: q8.loadUnaligned(fromByteOffset: 32, as: BytePairs.self))
                sums &+= lowSums &* packed.scale(2 * j) &+ highSums &* packed.scale(2 * j + 1)
                q4 += 32
                q8 += 64
            }
            acc.addProduct(SIMD8(repeating: d), exactFloats(sums))
            w += 144
            a += 292
        }
        let minPairs = minAcc.lowHalf + minAcc.highHalf
        return horizontalSum(acc) + (minPairs[0] + minPairs[1])
    }
}

/// The eight 6-bit scales and eight 6-bit mins of a q4_K or q5_K block, from the 12 bytes at
/// `p` (layout in Quant/KQuantScaleMins.swift), one byte per value.
struct KScalesAndMins {
    /// Scales 0..<4 and 4..<8, mins 0..<4 and 4..<8, each four bytes little-endian.
    let scalesLow: UInt32, scalesHigh: UInt32, minsLow: UInt32, minsHigh: UInt32

    @inline(__always)
    init(_ p: UnsafeRawPointer) {
        let first = p.loadUnaligned(as: UInt32.self)
        let second = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let third = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        scalesLow = first & 0x3F3F_3F3F
        minsLow = second & 0x3F3F_3F3F
        scalesHigh = (third & 0x0F0F_0F0F) | ((first >> 6) & 0x0303_0303) << 4
        minsHigh = ((third >> 4) & 0x0F0F_0F0F) | ((second >> 6) & 0x0303_0303) << 4
    }

    /// Sub-block `s`'s scale.
    @inline(__always)
    func scale(_ s: Int) -> Int32 {
        let word = s < 4 ? scalesLow : scalesHigh
        return Int32(truncatingIfNeeded: (word >> UInt32(8 * (s & 3))) & 0xFF)
    }

    /// The four minimum lanes of the block's dot product: lane k = min[2k]·Σ₃₂[2k] +
    /// min[2k+1]·Σ₃₂[2k+1], where Σ₃₂[s] is the activation's sum over sub-block s, from the 16
    /// int16 bsums at `bsums`.
    @inline(__always)
    func minimumLanes(bsums: UnsafeRawPointer) -> SIMD4<Int32> {
        let pairs = bsums.loadUnaligned(as: SIMD8<Int32>.self)
        let subBlockSums = ((pairs &<< 16) &>> 16) &+ (pairs &>> 16)
        let words = SIMD8<UInt32>(lowHalf: SIMD4(repeating: minsLow), highHalf: SIMD4(repeating: minsHigh))
        let mins = unsafeBitCast((words &>> SIMD8(0, 8, 16, 24, 0, 8, 16, 24)) & 0xFF, to: SIMD8<Int32>.self)
        let products = mins &* subBlockSums
        return products.evenHalf &+ products.oddHalf
    }
}
