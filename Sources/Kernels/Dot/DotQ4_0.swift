import GGUF

/// q4_0 · q8_0, reproducing `ggml_vec_dot_q4_0_q8_0` (ggml-cpu/arch/x86/quants.c, AVX2 path):
/// levels less 8 against the activation quants, eight lane sums per block fused into eight
/// accumulators with the product of the two f16 scales; `hsum_float_8` at the end.
enum DotQ4_0: ScaledBlockLevels {
    static var weightType: GGMLType { .q4_0 }
    static var blockBytes: Int { 18 }

    @inline(__always)
    static func storeLevels(_ block: UnsafeRawPointer, _ out: UnsafeMutableRawPointer) {
        storeLaneForm(unsignedBytes: nibbleBytes(block + 2), offset: -8, to: out)
    }
}
