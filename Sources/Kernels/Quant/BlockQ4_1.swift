// q4_1: 32 values in 20 bytes, ggml's `block_q4_1`.
//   bytes 0..<2   d    f16 scale
//   bytes 2..<4   m    f16 minimum
//   bytes 4..<20  qs   4-bit quants q: byte j holds value j (low nibble) and j+16 (high nibble)
// value = q · d + m

import GGUF

struct BlockQ4_1: DotBlock, ReferenceQuantizable {
    static var ggmlType: GGMLType { .q4_1 }

    var d: UInt16
    var m: UInt16
    var qs: InlineArray<16, UInt8>

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        let m = Float(fp16Bits: self.m)
        for j in 0..<16 {
            out[j] = Float(qs[j] & 0x0F) * d + m
            out[j + 16] = Float(qs[j] >> 4) * d + m
        }
    }

    /// `quantize_row_q4_1_ref`: 16 levels spread evenly from the block's minimum to its maximum.
    init(quantizing x: UnsafePointer<Float>) {
        var min = Float.greatestFiniteMagnitude
        var max = -Float.greatestFiniteMagnitude
        for j in 0..<32 {
            if x[j] < min { min = x[j] }
            if x[j] > max { max = x[j] }
        }
        let d = (max - min) / 15
        let id: Float = d != 0 ? 1 / d : 0
        self.d = d.fp16Bits
        self.m = min.fp16Bits
        qs = InlineArray(repeating: 0)
        for j in 0..<16 {
            let lo = Swift.min(15, Int8(truncatingIfNeeded: truncatedInt32((x[j] - min) * id + 0.5)))
            let hi = Swift.min(15, Int8(truncatingIfNeeded: truncatedInt32((x[j + 16] - min) * id + 0.5)))
            qs[j] = UInt8(truncatingIfNeeded: lo) | UInt8(truncatingIfNeeded: hi) << 4
        }
    }

    /// The minimum's share uses the activation block's stored `s` (f16 of d·Σq), as ggml does.
    func dot(_ a: BlockQ8_1) -> Float {
        var sum: Int32 = 0
        for j in 0..<16 {
            sum += Int32(qs[j] & 0x0F) * Int32(a.qs[j])
            sum += Int32(qs[j] >> 4) * Int32(a.qs[j + 16])
        }
        return Float(fp16Bits: d) * Float(fp16Bits: a.d) * Float(sum) + Float(fp16Bits: m) * Float(fp16Bits: a.s)
    }
}
