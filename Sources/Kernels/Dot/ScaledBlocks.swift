import GGUF

/// How a q4_0, q5_0 or q8_0 block keeps its levels.
protocol ScaledBlockLevels: RowDotKernel {
    /// Bytes per block; the f16 scale comes first in every one.
    static var blockBytes: Int { get }
    /// Writes the block's 32 levels, as signed values, in lane form at `out`.
    static func storeLevels(_ block: UnsafeRawPointer, _ out: UnsafeMutableRawPointer)
}

extension ScaledBlockLevels {
    // Everything but the level unpacking is shared: the activations are q8_0 and the float steps
    // are ggml's for all three types.
    static var activationType: GGMLType { .q8_0 }
    static func unpackedBytes(count: Int) -> Int { ScaledBlocks.bytes(count: count) }
    static func preparedBytes(count: Int) -> Int { PreparedQ8_0.bytes(count: count) }

    static func unpack(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer {
        ScaledBlocks.unpack(Self.self, row, into: scratch, count: count)
    }

    static func prepare(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) {
        PreparedQ8_0.prepare(row, into: scratch, count: count)
    }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        ScaledBlocks.dot(weights, activations, count: count)
    }

    static func dot(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> (Float, Float) {
        ScaledBlocks.dot(first, second, activations, count: count)
    }
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
        let scales = (weights + blocks * 64).assumingMemoryBound(to: Float.self)
        let activationScales = (activations + blocks * 64).assumingMemoryBound(to: Float.self)
        var acc = SIMD8<Float>()
        for b in 0..<blocks {
            addBlock(weights + 64 * b, scales[b], activations + 64 * b, activationScales[b], to: &acc)
        }
        return horizontalSum(acc)
    }

    /// Two rows' dots at once: the same steps, the two accumulator chains interleaved.
    @inline(__always)
    static func dot(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> (Float, Float) {
        let blocks = count / 32
        let firstScales = (first + blocks * 64).assumingMemoryBound(to: Float.self)
        let secondScales = (second + blocks * 64).assumingMemoryBound(to: Float.self)
        let activationScales = (activations + blocks * 64).assumingMemoryBound(to: Float.self)
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        for b in 0..<blocks {
            let a = activations + 64 * b
            addBlock(first + 64 * b, firstScales[b], a, activationScales[b], to: &acc0)
            addBlock(second + 64 * b, secondScales[b], a, activationScales[b], to: &acc1)
        }
        return (horizontalSum(acc0), horizontalSum(acc1))
    }

    /// Fuses one block, in lane form at `lanes` with scale `scale`, into `acc`.
    @inline(__always)
    static func addBlock(_ lanes: UnsafeRawPointer, _ scale: Float, _ activations: UnsafeRawPointer, _ activationScale: Float,
                         to acc: inout SIMD8<Float>) {
        acc.addProduct(SIMD8(repeating: scale * activationScale), exactFloats(laneSums(lanes, activations)))
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
