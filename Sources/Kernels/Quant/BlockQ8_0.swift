// q8_0: 32 values in 34 bytes, ggml's `block_q8_0`.
//   bytes 0..<2   d    f16 scale
//   bytes 2..<34  qs   32 int8 quants
// value = q · d
// Both a weight type and the activation type of q4_0, q5_0, q8_0, iq4_nl and mxfp4.

import GGUF

struct BlockQ8_0: DotBlock, ReferenceQuantizable, ActivationBlock {
    static var ggmlType: GGMLType { .q8_0 }

    var d: UInt16
    var qs: InlineArray<32, Int8>

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        for j in 0..<32 {
            out[j] = Float(qs[j]) * d
        }
    }

    /// `quantize_row_q8_0_ref` (model files): multiplies by 1/d and rounds half away from zero.
    init(quantizing x: UnsafePointer<Float>) {
        var amax: Float = 0
        for j in 0..<32 {
            amax = Swift.max(amax, abs(x[j]))
        }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        self.d = d.fp16Bits
        qs = InlineArray(repeating: 0)
        for j in 0..<32 {
            qs[j] = Int8(truncatingIfNeeded: roundedInt32HalfAway(x[j] * id))
        }
    }

    /// The x86 `quantize_row_q8_0` (activations): multiplies by 127/amax and rounds half to even.
    /// On rare ties or 1-ulp cases it differs from the reference quantizer; ggml uses this one.
    init(quantizingActivation x: UnsafePointer<Float>) {
        let (d, q) = activationQuants32(x)
        self.d = d.fp16Bits
        qs = q
    }

    func dot(_ a: BlockQ8_0) -> Float {
        var sum: Int32 = 0
        for j in 0..<32 {
            sum += Int32(qs[j]) * Int32(a.qs[j])
        }
        return Float(sum) * (Float(fp16Bits: d) * Float(fp16Bits: a.d))
    }
}

/// The shared core of x86 `quantize_row_q8_0` and `quantize_row_q8_1` for one 32-value block:
/// the float32 scale d = amax/127 (before any f16 rounding) and the quants, saturated to int8
/// as the packing instructions do.
func activationQuants32(_ x: UnsafePointer<Float>) -> (d: Float, qs: InlineArray<32, Int8>) {
    var amax: Float = 0
    for j in 0..<32 {
        amax = Swift.max(amax, abs(x[j]))
    }
    let d = amax / 127
    let id: Float = amax != 0 ? 127 / amax : 0
    var qs = InlineArray<32, Int8>(repeating: 0)
    for j in 0..<32 {
        qs[j] = saturatedInt8(roundedInt32HalfEven(x[j] * id))
    }
    return (d, qs)
}
