import GGUF

/// q6_K · q8_K, reproducing `ggml_vec_dot_q6_K_q8_K` (ggml-cpu/arch/x86/quants.c, AVX2 path).
/// Per 256-value block: eight int32 lanes summing sub-block scale × lane sum of the unsigned
/// 6-bit levels over the eight 32-value runs, less 32·(scale[2k]·Σ₁₆[2k] + scale[2k+1]·Σ₁₆[2k+1])
/// in lane k for the levels' offset (Σ₁₆ being the activation's bsums), converted to float with
/// rounding and fused into eight accumulators with d·d_x; `hsum_float_8` at the end.
///
/// Kernel form: per block 512 bytes of lane form, levels multiplied by their sub-block's scale;
/// then columns of float d and of the 16 scales as int16 (32 bytes per block).
enum DotQ6_K: RowDotKernel {
    static var weightType: GGMLType { .q6_K }
    static var activationType: GGMLType { .q8_K }
    static func unpackedBytes(count: Int) -> Int { count / 256 * 548 }
    static func preparedBytes(count: Int) -> Int { PreparedQ8_K.bytes(count: count) }

    static func unpack(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer {
        let blocks = count / 256
        let scales = (scratch + blocks * 512).assumingMemoryBound(to: Float.self)
        var block = row, lanes = scratch, scales16 = scratch + blocks * 516
        for b in 0..<blocks {
            scales[b] = halfValue(at: block + 208)
            for s in 0..<16 {
                scales16.storeBytes(of: Int16(block.load(fromByteOffset: 192 + s, as: Int8.self)), toByteOffset: 2 * s, as: Int16.self)
            }
            for half in 0..<2 {
                let lowA = block.loadUnaligned(fromByteOffset: 64 * half, as: SIMD16<UInt16>.self)
                let lowB = block.loadUnaligned(fromByteOffset: 64 * half + 32, as: SIMD16<UInt16>.self)
                let highBits = block.loadUnaligned(fromByteOffset: 128 + 32 * half, as: SIMD16<UInt16>.self)
                let scales = block + 192 + 8 * half, out = lanes + 256 * half
                storeRun((lowA & 0x0F0F) | (highBits & 0x0303) &<< 4, scales: scales, to: out)
                storeRun((lowB & 0x0F0F) | ((highBits &>> 2) & 0x0303) &<< 4, scales: scales + 2, to: out + 64)
                storeRun(((lowA &>> 4) & 0x0F0F) | ((highBits &>> 4) & 0x0303) &<< 4, scales: scales + 4, to: out + 128)
                storeRun(((lowB &>> 4) & 0x0F0F) | ((highBits &>> 6) & 0x0303) &<< 4, scales: scales + 6, to: out + 192)
            }
            block += 210
            lanes += 512
            scales16 += 32
        }
        return UnsafeRawPointer(scratch)
    }

    /// Stores a 32-value run of levels in lane form, times the int8 scale at `scales` for values
    /// 0..<16 (one 16-value sub-block) and the next scale for values 16..<32.
    @inline(__always)
    private static func storeRun(_ levels: SIMD16<UInt16>, scales: UnsafeRawPointer, to out: UnsafeMutableRawPointer) {
        let scale = SIMD16<Int16>(lowHalf: SIMD8(repeating: Int16(scales.load(as: Int8.self))),
                                  highHalf: SIMD8(repeating: Int16(scales.load(fromByteOffset: 1, as: Int8.self))))
        storeLaneForm(unsignedBytes: levels, scale: scale, to: out)
    }

    static func prepare(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) {
        PreparedQ8_K.prepare(row, into: scratch, count: count)
    }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        let blocks = count / 256
        let weightScales = (weights + blocks * 512).assumingMemoryBound(to: Float.self)
        let activationScales = (activations + PreparedQ8_K.scalesOffset(blocks: blocks)).assumingMemoryBound(to: Float.self)
        let scales16 = weights + blocks * 516, bsums = activations + PreparedQ8_K.bsumsOffset(blocks: blocks)
        var acc = SIMD8<Float>()
        for b in 0..<blocks {
            let w = weights + 512 * b, a = activations + 512 * b
            var sums = SIMD8<Int32>()
            for s in 0..<8 {
                sums &+= laneSums(w + 64 * s, a + 64 * s)
            }
            sums &-= pairSums(scales16 + 32 * b, bsums + 32 * b) &<< 5
            // Lanes can pass 2²⁴, where ggml's conversion rounds.
            acc.addProduct(SIMD8(repeating: activationScales[b] * weightScales[b]), roundedFloats(sums))
        }
        return horizontalSum(acc)
    }
}
