// q2_K: 256 values in 84 bytes, ggml's `block_q2_K`: 16 sub-blocks of 16 values.
//   bytes 0..<16   scales  per sub-block: 4-bit scale (low nibble), 4-bit min (high nibble)
//   bytes 16..<80  qs      2-bit quants. In half h (values 128·h ..< 128·h + 128), bits
//                          2g..2g+1 of byte 32·h + l belong to value 128·h + 32·g + l
//   bytes 80..<82  d       f16 scale of the sub-block scales
//   bytes 82..<84  dmin    f16 scale of the sub-block mins
// value = d·scale[s] · q − dmin·min[s], s = the value's sub-block

import GGUF

struct BlockQ2_K: DotBlock {
    static var ggmlType: GGMLType { .q2_K }

    var scales: InlineArray<16, UInt8>
    var qs: InlineArray<64, UInt8>
    var d: UInt16
    var dmin: UInt16

    /// The 2-bit level of every value, in value order.
    var levels: InlineArray<256, Int8> {
        var q = InlineArray<256, Int8>(repeating: 0)
        for h in 0..<2 {
            for g in 0..<4 {
                for l in 0..<32 {
                    q[128 * h + 32 * g + l] = Int8(qs[32 * h + l] >> (2 * g) & 3)
                }
            }
        }
        return q
    }

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let q = levels
        for s in 0..<16 {
            let ds = Float(fp16Bits: d) * Float(scales[s] & 0x0F)
            let ms = Float(fp16Bits: dmin) * Float(scales[s] >> 4)
            for i in 16 * s..<16 * s + 16 {
                out[i] = ds * Float(q[i]) - ms
            }
        }
    }

    func dot(_ a: BlockQ8_K) -> Float {
        let q = levels
        var sum: Int32 = 0
        var minSum: Int32 = 0
        for s in 0..<16 {
            var subSum: Int32 = 0
            for i in 16 * s..<16 * s + 16 {
                subSum += Int32(q[i]) * Int32(a.qs[i])
            }
            sum += Int32(scales[s] & 0x0F) * subSum
            minSum += Int32(scales[s] >> 4) * Int32(a.bsums[s])
        }
        return a.d * Float(fp16Bits: d) * Float(sum) - a.d * Float(fp16Bits: dmin) * Float(minSum)
    }
}
