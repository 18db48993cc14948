import GGUF

/// q4_1 · q8_1, reproducing `ggml_vec_dot_q4_1_q8_1` (ggml-cpu/arch/x86/quants.c, AVX2 path):
/// unsigned levels against the activation quants, eight lane sums per block fused into eight
/// accumulators with the product of the two f16 scales. The minimums' shares m·s (exact: a
/// product of two halves) go into a separate scalar sum, added last to `hsum_float_8` of the
/// accumulators.
///
/// Kernel form: blocks in lane form, then columns of float d and float m (weights) or of float
/// d and float s (prepared q8_1 activations).
enum DotQ4_1: RowDotKernel {
    static var weightType: GGMLType { .q4_1 }
    static var activationType: GGMLType { .q8_1 }
    static func unpackedBytes(count: Int) -> Int { count / 32 * 72 }
    static func preparedBytes(count: Int) -> Int { PreparedQ8_1.bytes(count: count) }

    static func unpack(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer {
        let blocks = count / 32
        let scales = (scratch + blocks * 64).assumingMemoryBound(to: Float.self)
        let minimums = scales + blocks
        var block = row, lanes = scratch
        for b in 0..<blocks {
            scales[b] = halfValue(at: block)
            minimums[b] = halfValue(at: block + 2)
            storeLaneForm(unsignedBytes: nibbleBytes(block + 4), to: lanes)
            block += 20
            lanes += 64
        }
        return UnsafeRawPointer(scratch)
    }

    static func prepare(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) {
        PreparedQ8_1.prepare(row, into: scratch, count: count)
    }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var sums = Sums()
        let blocks = count / 32
        for b in 0..<blocks {
            sums.addBlock(b, weights, activations, blocks: blocks)
        }
        return sums.total
    }

    static func dot(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> (Float, Float) {
        var sums0 = Sums(), sums1 = Sums()
        let blocks = count / 32
        for b in 0..<blocks {
            sums0.addBlock(b, first, activations, blocks: blocks)
            sums1.addBlock(b, second, activations, blocks: blocks)
        }
        return (sums0.total, sums1.total)
    }

    /// One row's running sums: eight lanes of scaled lane sums, and the minimums apart.
    private struct Sums {
        var acc = SIMD8<Float>()
        var minimums: Float = 0

        var total: Float { horizontalSum(acc) + minimums }

        /// Adds block `b` of rows of `blocks` blocks.
        @inline(__always)
        mutating func addBlock(_ b: Int, _ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, blocks: Int) {
            let weightScales = (weights + blocks * 64).assumingMemoryBound(to: Float.self)
            let activationScales = (activations + blocks * 64).assumingMemoryBound(to: Float.self)
            minimums += weightScales[blocks + b] * activationScales[blocks + b]
            acc.addProduct(SIMD8(repeating: weightScales[b] * activationScales[b]), exactFloats(laneSums(weights + 64 * b, activations + 64 * b)))
        }
    }
}
