import GGUF

/// f16 · f16, reproducing `ggml_vec_dot_f16` (ggml-cpu/vec.cpp) as built for AVX-512 without
/// AVX512-FP16 (ggml-cpu/simd-mappings.h: 16 halves widened to floats per vector, 4 vectors per
/// step): four 16-lane fused accumulators over 64-value steps, folded 0+2, 1+3, then 0+1 and
/// reduced by halving; the values past the last whole step are float products added one by
/// one in double, as ggml's `ggml_float` sum does.
///
/// Each 16-lane accumulator is kept as two 8-lane halves, the even and the odd lanes, because
/// halves are widened two to a 32-bit word. The reduction below undoes that split exactly.
enum DotF16: RowDotKernel {
    static var weightType: GGMLType { .f16 }
    static var activationType: GGMLType { .f16 }

    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        var w = weights, a = activations
        var even = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var odd = even
        for _ in 0..<count / 64 {
            accumulate(&even.0, &odd.0, w, a)
            accumulate(&even.1, &odd.1, w + 32, a + 32)
            accumulate(&even.2, &odd.2, w + 64, a + 64)
            accumulate(&even.3, &odd.3, w + 96, a + 96)
            w += 128
            a += 128
        }
        let evenSum = (even.0 + even.2) + (even.1 + even.3)
        let oddSum = (odd.0 + odd.2) + (odd.1 + odd.3)
        // Halving the 16 lanes: lane i + lane i+8, then + i+4, then + i+2, then 0 + 1. In
        // even/odd form the even lanes only ever meet even lanes until the last step.
        let evenFour = evenSum.lowHalf + evenSum.highHalf, oddFour = oddSum.lowHalf + oddSum.highHalf
        let evenTwo = evenFour.lowHalf + evenFour.highHalf, oddTwo = oddFour.lowHalf + oddFour.highHalf
        var sum = Double((evenTwo[0] + evenTwo[1]) + (oddTwo[0] + oddTwo[1]))
        for _ in 0..<count % 64 {
            sum += Double(halfValue(at: w) * halfValue(at: a))
            w += 2
            a += 2
        }
        return Float(sum)
    }

    /// Fuses 16 weight halves times 16 activation halves into one accumulator's even and odd lanes.
    @inline(__always)
    private static func accumulate(_ even: inout SIMD8<Float>, _ odd: inout SIMD8<Float>, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer) {
        let weightWords = w.loadUnaligned(as: SIMD8<UInt32>.self)
        let activationWords = a.loadUnaligned(as: SIMD8<UInt32>.self)
        even.addProduct(halfFloats(weightWords & 0xFFFF), halfFloats(activationWords & 0xFFFF))
        odd.addProduct(halfFloats(weightWords &>> 16), halfFloats(activationWords &>> 16))
    }
}

/// Eight f16 values, one in the low half of each lane, widened exactly to floats: the
/// magnitude bits moved to a float's exponent and fraction place and scaled by 2¹¹², which
/// is exact for normal and subnormal halves alike; infinities and NaNs get the all-ones
/// exponent (payload kept); then the sign.
@inline(__always)
func halfFloats(_ bits: SIMD8<UInt32>) -> SIMD8<Float> {
    let magnitude = bits & 0x7FFF
    let scaled = unsafeBitCast(magnitude &<< 13, to: SIMD8<Float>.self) * 0x1p112
    var result = unsafeBitCast(scaled, to: SIMD8<UInt32>.self)
    result.replace(with: (magnitude &<< 13) | 0x7F80_0000, where: magnitude .>= 0x7C00)
    return unsafeBitCast(result | (bits & 0x8000) &<< 16, to: SIMD8<Float>.self)
}
