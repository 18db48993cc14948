import GGUF

/// q5_K · q8_K, reproducing `ggml_vec_dot_q5_K_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 path).
/// Per 256-value block: eight int32 lanes summing sub-block scale × lane sum over the eight
/// sub-blocks, fused into eight accumulators with d·d_x. The minimums are one integer per
/// block, fused into a scalar sum with −dmin·d_x (gcc and clang both contract
/// `summs += dmin * …` into one FMA), added last to `hsum_float_8` of the accumulators.
enum DotQ5_K: KQuantLevels {
    static var weightType: GGMLType { .q5_K }
    static var blockBytes: Int { 176 }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        let blocks = count / 256
        var acc = SIMD8<Float>()
        var minimums: Float = 0
        for b in 0..<blocks {
            let (d, dmin) = KQuantRows.blockScales(weights, activations, block: b, blocks: blocks)
            let sums = KQuantRows.blockSums(weights, activations, block: b, blocks: blocks)
            minimums = minimums.addingProduct(dmin, Float(sums.minimums.wrappedSum()))
            // A lane can pass 2²² here (31 · 128 · 4 · 63 · 8), so convert with rounding.
            acc.addProduct(SIMD8(repeating: d), roundedFloats(sums.levels))
        }
        return horizontalSum(acc) + minimums
    }

    @inline(__always)
    static func levels(_ block: UnsafeRawPointer, _ j: Int) -> (SIMD16<UInt16>, SIMD16<UInt16>) {
        let fifthBits = block.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt16>.self)
        let nibbles = block.loadUnaligned(fromByteOffset: 48 + 32 * j, as: SIMD16<UInt16>.self)
        let low = (nibbles & 0x0F0F) | ((fifthBits &>> UInt16(2 * j)) & 0x0101) &<< 4
        let high = ((nibbles &>> 4) & 0x0F0F) | ((fifthBits &>> UInt16(2 * j + 1)) & 0x0101) &<< 4
        return (low, high)
    }
}
