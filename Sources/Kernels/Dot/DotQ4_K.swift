import GGUF

/// q4_K · q8_K, reproducing `ggml_vec_dot_q4_K_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 path).
/// Per 256-value block: eight int32 lanes summing sub-block scale × lane sum over the eight
/// sub-blocks, fused into eight accumulators with d·d_x; the minimums as four lanes of
/// min[2k]·Σ₃₂[2k] + min[2k+1]·Σ₃₂[2k+1] (Σ₃₂ from the activation's bsums) fused into four
/// accumulators with −dmin·d_x. At the end `hsum_float_8` plus the four minimum lanes summed
/// as (0+2)+(1+3).
enum DotQ4_K: KQuantLevels {
    static var weightType: GGMLType { .q4_K }
    static var blockBytes: Int { 144 }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        let blocks = count / 256
        var acc = SIMD8<Float>()
        var minAcc = SIMD4<Float>()
        for b in 0..<blocks {
            let (d, dmin) = KQuantRows.blockScales(weights, activations, block: b, blocks: blocks)
            let sums = KQuantRows.blockSums(weights, activations, block: b, blocks: blocks)
            minAcc.addProduct(SIMD4(repeating: dmin), exactFloats(sums.minimums))
            // Lanes stay below 2²² here (8 · 63 · 4 · 15 · 128), so the exact conversion holds.
            acc.addProduct(SIMD8(repeating: d), exactFloats(sums.levels))
        }
        let minPairs = minAcc.lowHalf + minAcc.highHalf
        return horizontalSum(acc) + (minPairs[0] + minPairs[1])
    }

    @inline(__always)
    static func levels(_ block: UnsafeRawPointer, _ j: Int) -> (SIMD16<UInt16>, SIMD16<UInt16>) {
        let nibbles = block.loadUnaligned(fromByteOffset: 16 + 32 * j, as: SIMD16<UInt16>.self)
        return (nibbles & 0x0F0F, (nibbles &>> 4) & 0x0F0F)
    }
}
