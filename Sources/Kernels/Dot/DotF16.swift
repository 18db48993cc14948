import GGUF

/// f16 · f16, reproducing `ggml_vec_dot_f16` (ggml-cpu/vec.cpp) as built for AVX-512 without
/// AVX512-FP16 (ggml-cpu/simd-mappings.h: 16 halves widened to floats per vector, 4 vectors per
/// step): the f32 kernel's fused 64-value steps and reduction over the widened values; the
/// values past the last whole step are float products added one by one in double, as ggml's
/// `ggml_float` sum does. Both products and sums are exact copies of ggml's, so widening
/// halves first (weights in MatMul's tiles, activations always) changes nothing.
///
/// Kernel form: the values widened to floats (exactly), for weights and activations alike.
enum DotF16: RowDotKernel {
    static var weightType: GGMLType { .f16 }
    static var activationType: GGMLType { .f16 }
    static func unpackedBytes(count: Int) -> Int { PreparedFloats.bytes(count: count) }
    static func preparedBytes(count: Int) -> Int { PreparedFloats.bytes(count: count) }

    static func unpack(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer {
        PreparedFloats.prepare(halves: row, into: scratch, count: count)
        return UnsafeRawPointer(scratch)
    }

    static func prepare(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) {
        PreparedFloats.prepare(halves: row, into: scratch, count: count)
    }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var sum = Double(FloatRows.stepSum(weights, activations, steps: count / 64))
        for i in count / 64 * 64..<count {
            sum += Double(weights.load(fromByteOffset: 4 * i, as: Float.self) * activations.load(fromByteOffset: 4 * i, as: Float.self))
        }
        return Float(sum)
    }

    static func dot(stored first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int,
                    scratch _: UnsafeMutableRawPointer) -> (Float, Float) {
        func stored(_ row: UnsafeRawPointer) -> Float {
            var sum = Double(FloatRows.stepSum(halves: row, activations, steps: count / 64))
            for i in count / 64 * 64..<count {
                sum += Double(halfValue(at: row + 2 * i) * activations.load(fromByteOffset: 4 * i, as: Float.self))
            }
            return Float(sum)
        }
        return (stored(first), stored(second))
    }
}
