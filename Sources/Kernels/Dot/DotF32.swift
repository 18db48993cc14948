import GGUF

/// f32 · f32, reproducing `ggml_vec_dot_f32` (ggml-cpu/vec.cpp) as built for AVX-512
/// (ggml-cpu/simd-mappings.h: 16 floats per vector, 4 vectors per step): four 16-lane fused
/// accumulators over 64-value steps, folded 0+2, 1+3, then 0+1, reduced by halving
/// (`_mm512_reduce_add_ps`). The values past the last whole step go into that sum one by one
/// as g++ 12 (Debian's) compiles `sumf += x[i]*y[i]` for an AVX-512 CPU it has no tuning for:
/// its vectorized epilogue multiplies whole groups of 8 and adds the products in order, and
/// its scalar tail fuses the last n mod 8. ggml's fixture has no f32 rows to confirm this, and
/// model rows are whole 64-value steps.
///
/// Kernel form: the floats themselves; weight rows are read where they are.
enum DotF32: RowDotKernel {
    static var weightType: GGMLType { .f32 }
    static var activationType: GGMLType { .f32 }
    static func unpackedBytes(count: Int) -> Int { 0 }
    static func preparedBytes(count: Int) -> Int { PreparedFloats.bytes(count: count) }

    static func unpack(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer { row }

    static func prepare(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) {
        PreparedFloats.prepare(floats: row, into: scratch, count: count)
    }

    static func dot(stored first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int,
                    scratch _: UnsafeMutableRawPointer) -> (Float, Float) {
        (dot(first, activations, count: count), dot(second, activations, count: count))
    }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var sum = FloatRows.stepSum(weights, activations, steps: count / 64)
        var w = weights + count / 64 * 256, a = activations + count / 64 * 256
        for _ in 0..<count % 64 / 8 * 8 {
            sum += w.loadUnaligned(as: Float.self) * a.loadUnaligned(as: Float.self)
            w += 4
            a += 4
        }
        for _ in 0..<count % 8 {
            sum = sum.addingProduct(w.loadUnaligned(as: Float.self), a.loadUnaligned(as: Float.self))
            w += 4
            a += 4
        }
        return sum
    }
}

/// The whole-step part shared by the f32 and f16 dots.
enum FloatRows {
    /// Four 16-lane fused accumulators over `steps` steps of 64 values, folded 0+2, 1+3, then
    /// 0+1 (`GGML_F32_VEC_REDUCE`), and reduced by halving.
    @inline(__always)
    static func stepSum(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, steps: Int) -> Float {
        var sums = Sums()
        for step in 0..<steps {
            sums.add(weights + 256 * step, activations + 256 * step)
        }
        return sums.total
    }

    /// `stepSum` over f16 weights, each step widened into a stack buffer just before its use.
    @inline(__always)
    static func stepSum(halves weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, steps: Int) -> Float {
        var sums = Sums()
        var floats = StepBuffer()
        floats.withBytes { buffer in
            for step in 0..<steps {
                widenHalves(weights + 128 * step, into: buffer.assumingMemoryBound(to: Float.self), count: 64)
                sums.add(buffer, activations + 256 * step)
            }
        }
        return sums.total
    }

    /// Stack room for one step of 64 floats. LLVM keeps the stores and reloads in registers, so
    /// widening f16 weights through it costs only the `vcvtph2ps`.
    private struct StepBuffer {
        private var storage = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())

        @inline(__always)
        mutating func withBytes<R>(_ body: (UnsafeMutableRawPointer) -> R) -> R {
            withUnsafeMutableBytes(of: &storage) { body($0.baseAddress!) }
        }
    }

    private struct Sums {
        var sum0 = SIMD16<Float>(), sum1 = SIMD16<Float>(), sum2 = SIMD16<Float>(), sum3 = SIMD16<Float>()

        var total: Float { horizontalSum((sum0 + sum2) + (sum1 + sum3)) }

        /// Fuses one step: 64 weights at `w` times 64 activations at `a`.
        @inline(__always)
        mutating func add(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer) {
            sum0.addProduct(w.loadUnaligned(as: SIMD16<Float>.self), a.loadUnaligned(as: SIMD16<Float>.self))
            sum1.addProduct(w.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self), a.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
            sum2.addProduct(w.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self), a.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self))
            sum3.addProduct(w.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self), a.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self))
        }
    }
}
