// q8_1: 32 values in 36 bytes, ggml's `block_q8_1`.
//   bytes 0..<2   d    f16 scale
//   bytes 2..<4   s    f16 of d · Σq, with d still in float32
//   bytes 4..<36  qs   32 int8 quants
// value = q · d
// Only an activation type: the one of q4_1 and q5_1, whose dot products use `s` for the minimum.

import GGUF

struct BlockQ8_1: ActivationBlock {
    static var ggmlType: GGMLType { .q8_1 }

    var d: UInt16
    var s: UInt16
    var qs: InlineArray<32, Int8>

    /// ggml has no `to_float` for q8_1; this is the evident q · d, ignoring `s`.
    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        for j in 0..<32 {
            out[j] = Float(qs[j]) * d
        }
    }

    /// The x86 `quantize_row_q8_1`: q8_0's quants, plus `s` from the quants' sum.
    init(quantizingActivation x: UnsafePointer<Float>) {
        let (d, q) = activationQuants32(x)
        var sum: Int32 = 0
        for j in 0..<32 {
            sum += Int32(q[j])
        }
        self.d = d.fp16Bits
        self.s = (d * Float(sum)).fp16Bits
        qs = q
    }
}
