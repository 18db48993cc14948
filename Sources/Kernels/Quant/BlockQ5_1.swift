// q5_1: 32 values in 24 bytes, ggml's `block_q5_1`.
//   bytes 0..<2   d    f16 scale
//   bytes 2..<4   m    f16 minimum
//   bytes 4..<8   qh   fifth bits, a little-endian uint32: bit j belongs to value j
//   bytes 8..<24  qs   low 4 bits: byte j holds value j (low nibble) and j+16 (high nibble)
// value = q · d + m

import GGUF

struct BlockQ5_1: DotBlock {
    static var ggmlType: GGMLType { .q5_1 }

    var d: UInt16
    var m: UInt16
    var qh: InlineArray<4, UInt8>
    var qs: InlineArray<16, UInt8>

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        let m = Float(fp16Bits: self.m)
        let q = fiveBitLevels(qs: qs, qh: qh)
        for j in 0..<32 {
            out[j] = Float(q[j]) * d + m
        }
    }

    /// The minimum's share uses the activation block's stored `s` (f16 of d·Σq), as ggml does.
    func dot(_ a: BlockQ8_1) -> Float {
        let q = fiveBitLevels(qs: qs, qh: qh)
        var sum: Int32 = 0
        for j in 0..<32 {
            sum += Int32(q[j]) * Int32(a.qs[j])
        }
        return Float(fp16Bits: d) * Float(fp16Bits: a.d) * Float(sum) + Float(fp16Bits: m) * Float(fp16Bits: a.s)
    }
}
