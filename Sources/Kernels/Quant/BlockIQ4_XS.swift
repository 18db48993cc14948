// iq4_xs: 256 values in 136 bytes, ggml's `block_iq4_xs`: 8 sub-blocks of 32 values.
//   bytes 0..<2    d         f16 scale of the sub-block scales
//   bytes 2..<4    scales_h  little-endian uint16: bits 2s..2s+1 are the top bits of scale s
//   bytes 4..<8    scales_l  low 4 bits of scale s: byte s/2, low nibble for even s
//   bytes 8..<136  qs        4-bit indices into iq4_nl's table; sub-block s uses bytes
//                            16·s ..< 16·s + 16, byte j holding value 32·s + j (low nibble)
//                            and 32·s + 16 + j (high nibble)
// value = d · (scale[s] − 32) · table[index]

import GGUF

struct BlockIQ4_XS: DotBlock {
    static var ggmlType: GGMLType { .iq4_xs }

    var d: UInt16
    var scalesHigh: UInt16
    var scalesLow: InlineArray<4, UInt8>
    var qs: InlineArray<128, UInt8>

    /// Sub-block `s`'s scale with the bias removed (-32..<32).
    func scale(_ s: Int) -> Int32 {
        let low = Int32(scalesLow[s / 2] >> (4 * (s % 2)) & 0x0F)
        let high = Int32(scalesHigh >> (2 * s) & 3)
        return (low | high << 4) - 32
    }

    /// The table level of value `16·s + j` or `16·s + 16 + j` of sub-block `s`.
    func level(_ s: Int, _ j: Int, high: Bool) -> Int8 {
        let byte = qs[16 * s + j]
        return iq4Levels[Int(high ? byte >> 4 : byte & 0x0F)]
    }

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        for s in 0..<8 {
            let ds = d * Float(scale(s))
            for j in 0..<16 {
                out[32 * s + j] = ds * Float(level(s, j, high: false))
                out[32 * s + 16 + j] = ds * Float(level(s, j, high: true))
            }
        }
    }

    func dot(_ a: BlockQ8_K) -> Float {
        let dd = Float(fp16Bits: d) * a.d
        var total: Float = 0
        for s in 0..<8 {
            var sum: Int32 = 0
            for j in 0..<16 {
                sum += Int32(a.qs[32 * s + j]) * Int32(level(s, j, high: false))
                sum += Int32(a.qs[32 * s + 16 + j]) * Int32(level(s, j, high: true))
            }
            total += dd * Float(scale(s)) * Float(sum)
        }
        return total
    }
}
