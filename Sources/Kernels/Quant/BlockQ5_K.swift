// q5_K: 256 values in 176 bytes, ggml's `block_q5_K`: 8 sub-blocks of 32 values.
//   bytes 0..<2    d       f16 scale of the sub-block scales
//   bytes 2..<4    dmin    f16 scale of the sub-block mins
//   bytes 4..<16   scales  eight 6-bit scales and eight 6-bit mins (KQuantScaleMins.swift)
//   bytes 16..<48  qh      fifth bits: bit s of byte l belongs to value 32·s + l
//   bytes 48..<176 qs      low 4 bits, placed as in q4_K: byte 32·k + l holds value
//                          64·k + l (low nibble) and value 64·k + 32 + l (high nibble)
// value = d·scale[s] · q − dmin·min[s], s = the value's sub-block

import GGUF

struct BlockQ5_K: DotBlock {
    static var ggmlType: GGMLType { .q5_K }

    var d: UInt16
    var dmin: UInt16
    var scales: InlineArray<12, UInt8>
    var qh: InlineArray<32, UInt8>
    var qs: InlineArray<128, UInt8>

    /// The 5-bit level of every value, in value order.
    var levels: InlineArray<256, Int8> {
        var q = InlineArray<256, Int8>(repeating: 0)
        for k in 0..<4 {
            for l in 0..<32 {
                q[64 * k + l] = Int8(qs[32 * k + l] & 0x0F)
                q[64 * k + 32 + l] = Int8(qs[32 * k + l] >> 4)
            }
        }
        for s in 0..<8 {
            for l in 0..<32 where qh[l] & (1 << s) != 0 {
                q[32 * s + l] += 16
            }
        }
        return q
    }

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let q = levels
        for s in 0..<8 {
            let (scale, min) = kScaleMin(scales, s)
            let ds = Float(fp16Bits: d) * Float(scale)
            let ms = Float(fp16Bits: dmin) * Float(min)
            for i in 32 * s..<32 * s + 32 {
                out[i] = ds * Float(q[i]) - ms
            }
        }
    }

    func dot(_ a: BlockQ8_K) -> Float {
        let q = levels
        var sum: Int32 = 0
        var minSum: Int32 = 0
        for s in 0..<8 {
            let (scale, min) = kScaleMin(scales, s)
            var subSum: Int32 = 0
            for i in 32 * s..<32 * s + 32 {
                subSum += Int32(q[i]) * Int32(a.qs[i])
            }
            sum += Int32(scale) * subSum
            minSum += Int32(min) * (Int32(a.bsums[2 * s]) + Int32(a.bsums[2 * s + 1]))
        }
        return Float(fp16Bits: d) * a.d * Float(sum) - Float(fp16Bits: dmin) * a.d * Float(minSum)
    }
}
