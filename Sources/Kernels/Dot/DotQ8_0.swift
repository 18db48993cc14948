import GGUF

/// q8_0 · q8_0, reproducing `ggml_vec_dot_q8_0_q8_0` (ggml-cpu/arch/x86/quants.c, AVX2 path):
/// per 32-value block, eight lane sums of four products each, turned into floats and fused
/// into eight accumulators with the product of the two f16 scales; `hsum_float_8` at the end.
enum DotQ8_0: ScaledBlockLevels {
    static var weightType: GGMLType { .q8_0 }
    static var blockBytes: Int { 34 }

    @inline(__always)
    static func storeLevels(_ block: UnsafeRawPointer, _ out: UnsafeMutableRawPointer) {
        storeLaneForm(signedBytes: block.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int16>.self), to: out)
    }
}
