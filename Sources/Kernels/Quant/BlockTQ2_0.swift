// tq2_0: 256 ternary values in 66 bytes, ggml's `block_tq2_0` (2.0625 bits per value).
//   bytes 0..<64   qs   2-bit codes t: bits 2n..2n+1 of byte 32·h + l belong to value
//                       128·h + 32·n + l
//   bytes 64..<66  d    f16 scale
// value = (t − 1) · d, t in 0...2 (code 3 would be +2; ggml's quantizer never writes it)

import GGUF

struct BlockTQ2_0: DotBlock {
    static var ggmlType: GGMLType { .tq2_0 }

    var qs: InlineArray<64, UInt8>
    var d: UInt16

    /// Every value's code minus one, in value order.
    var levels: InlineArray<256, Int8> {
        var t = InlineArray<256, Int8>(repeating: 0)
        for h in 0..<2 {
            for n in 0..<4 {
                for l in 0..<32 {
                    t[128 * h + 32 * n + l] = Int8(qs[32 * h + l] >> (2 * n) & 3) - 1
                }
            }
        }
        return t
    }

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        let t = levels
        for i in 0..<256 {
            out[i] = Float(t[i]) * d
        }
    }

    func dot(_ a: BlockQ8_K) -> Float {
        let t = levels
        var sum: Int32 = 0
        for i in 0..<256 {
            sum += Int32(t[i]) * Int32(a.qs[i])
        }
        return Float(sum) * (a.d * Float(fp16Bits: d))
    }
}
