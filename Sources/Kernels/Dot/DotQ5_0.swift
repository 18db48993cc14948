import GGUF

/// q5_0 · q8_0, reproducing `ggml_vec_dot_q5_0_q8_0` (ggml-cpu/arch/x86/quants.c, AVX2 path):
/// levels less 16 against the activation quants, eight lane sums per block fused into eight
/// accumulators with the product of the two f16 scales; `hsum_float_8` at the end.
enum DotQ5_0: ScaledBlockLevels {
    static var weightType: GGMLType { .q5_0 }
    static var blockBytes: Int { 22 }

    @inline(__always)
    static func storeLevels(_ block: UnsafeRawPointer, _ out: UnsafeMutableRawPointer) {
        storeLaneForm(unsignedBytes: fiveBitBytes(block + 2), offset: -16, to: out)
    }
}

/// A q5_0 block's 32 levels (0..<32) as bytes in value order, from its 4 bytes of fifth bits
/// at `p` (bit j belongs to value j) followed by its 16 bytes of nibbles.
@inline(__always)
func fiveBitBytes(_ p: UnsafeRawPointer) -> SIMD16<UInt16> {
    let fifthBits = SIMD8<UInt32>(repeating: p.loadUnaligned(as: UInt32.self))
    // Lane k covers values 4k..<4k+4: its four fifth bits, spread one to each byte's bit 0
    // (bit i lands on bit 8i alone; the shifted copies never overlap), then moved to bit 4.
    let four = (fifthBits &>> SIMD8(0, 4, 8, 12, 16, 20, 24, 28)) & 0xF
    let spread = (four &* 0x0020_4081) & 0x0101_0101
    return nibbleBytes(p + 4) | unsafeBitCast(spread &<< 4, to: SIMD16<UInt16>.self)
}
