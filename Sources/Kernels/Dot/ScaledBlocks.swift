/// How a q4_0, q5_0 or q8_0 block keeps its levels.
protocol ScaledBlockLevels {
    /// Bytes per block; the f16 scale comes first in every one.
    static var blockBytes: Int { get }
    /// Writes the block's 32 levels, as signed values, in lane form at `out`.
    static func storeLevels(_ block: UnsafeRawPointer, _ out: UnsafeMutableRawPointer)
}

/// The kernel form of q4_0, q5_0 and q8_0 weight rows, which is also that of prepared q8_0
/// activation rows: 32-value blocks in lane form (64 bytes each), then one float scale per
/// block. The three ggml kernels differ only in how they unpack levels; their float steps are
/// the same, so one dot serves them all.
enum ScaledBlocks {
    static func bytes(count: Int) -> Int { count / 32 * 68 }

    /// Per block, the eight lane sums as floats fused with d_w·d_a into eight accumulators,
    /// then `hsum_float_8` (`ggml_vec_dot_q4_0_q8_0`, `…q5_0_q8_0`, `…q8_0_q8_0`, AVX2 paths).
    @inline(__always)
    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        let blocks = count / 32
        let weightScales = (weights + blocks * 64).assumingMemoryBound(to: Float.self)
        let activationScales = (activations + blocks * 64).assumingMemoryBound(to: Float.self)
        var w = weights, a = activations
        var acc = SIMD8<Float>()
        for b in 0..<blocks {
            acc.addProduct(SIMD8(repeating: weightScales[b] * activationScales[b]), exactFloats(laneSums(w, a)))
            w += 64
            a += 64
        }
        return horizontalSum(acc)
    }

    /// Unpacks a row of `count` values of the type `Levels` describes.
    @inline(__always)
    static func unpack<Levels: ScaledBlockLevels>(_: Levels.Type, _ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer {
        let blocks = count / 32
        let scales = (scratch + blocks * 64).assumingMemoryBound(to: Float.self)
        var block = row, lanes = scratch
        for b in 0..<blocks {
            scales[b] = halfValue(at: block)
            Levels.storeLevels(block, lanes)
            block += Levels.blockBytes
            lanes += 64
        }
        return UnsafeRawPointer(scratch)
    }
}
