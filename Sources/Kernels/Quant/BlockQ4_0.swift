// q4_0: 32 values in 18 bytes, ggml's `block_q4_0`.
//   bytes 0..<2   d    f16 scale
//   bytes 2..<18  qs   4-bit quants q: byte j holds value j (low nibble) and j+16 (high nibble)
// value = (q - 8) · d

import GGUF

struct BlockQ4_0: DotBlock, ReferenceQuantizable {
    static var ggmlType: GGMLType { .q4_0 }

    var d: UInt16
    var qs: InlineArray<16, UInt8>

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        for j in 0..<16 {
            out[j] = Float(Int32(qs[j] & 0x0F) - 8) * d
            out[j + 16] = Float(Int32(qs[j] >> 4) - 8) * d
        }
    }

    /// `quantize_row_q4_0_ref`: the value of largest magnitude maps to level -8 exactly, so
    /// its sign decides the sign of the scale.
    init(quantizing x: UnsafePointer<Float>) {
        var amax: Float = 0
        var max: Float = 0
        for j in 0..<32 where amax < abs(x[j]) {
            amax = abs(x[j])
            max = x[j]
        }
        let d = max / -8
        let id: Float = d != 0 ? 1 / d : 0
        self.d = d.fp16Bits
        qs = InlineArray(repeating: 0)
        for j in 0..<16 {
            let lo = Swift.min(15, Int8(truncatingIfNeeded: truncatedInt32(x[j] * id + 8.5)))
            let hi = Swift.min(15, Int8(truncatingIfNeeded: truncatedInt32(x[j + 16] * id + 8.5)))
            qs[j] = UInt8(truncatingIfNeeded: lo) | UInt8(truncatingIfNeeded: hi) << 4
        }
    }

    func dot(_ a: BlockQ8_0) -> Float {
        var sum: Int32 = 0
        for j in 0..<16 {
            sum += (Int32(qs[j] & 0x0F) - 8) * Int32(a.qs[j])
            sum += (Int32(qs[j] >> 4) - 8) * Int32(a.qs[j + 16])
        }
        return Float(sum) * Float(fp16Bits: d) * Float(fp16Bits: a.d)
    }
}
