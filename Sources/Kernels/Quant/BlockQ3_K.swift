// q3_K: 256 values in 110 bytes, ggml's `block_q3_K`: 16 sub-blocks of 16 values.
//   bytes 0..<32   hmask   high bits: bit j of byte l belongs to value 32·j + l; a clear
//                          bit means the level is 4 lower
//   bytes 32..<96  qs      low 2 bits, placed as in q2_K: bits 2g..2g+1 of byte 32·h + l
//                          belong to value 128·h + 32·g + l
//   bytes 96..<108 scales  sixteen 6-bit scales, stored with a bias of 32: the low nibble of
//                          scale s is in byte s (s < 8, low nibble) or s − 8 (high nibble);
//                          its top 2 bits are bits 2·(s/4).. of byte 8 + s % 4
//   bytes 108..<110 d      f16 scale of the scales
// value = d · (scale[s] − 32) · q, q in -4..<4, s = the value's sub-block

import GGUF

struct BlockQ3_K: DotBlock {
    static var ggmlType: GGMLType { .q3_K }

    var hmask: InlineArray<32, UInt8>
    var qs: InlineArray<64, UInt8>
    var scales: InlineArray<12, UInt8>
    var d: UInt16

    /// Every value's level (-4..<4), in value order.
    var levels: InlineArray<256, Int8> {
        var q = InlineArray<256, Int8>(repeating: 0)
        for h in 0..<2 {
            for g in 0..<4 {
                for l in 0..<32 {
                    let low = Int8(qs[32 * h + l] >> (2 * g) & 3)
                    let highSet = hmask[l] & (1 << (4 * h + g)) != 0
                    q[128 * h + 32 * g + l] = highSet ? low : low - 4
                }
            }
        }
        return q
    }

    /// Sub-block `s`'s scale with the bias removed (-32..<32).
    func scale(_ s: Int) -> Int32 {
        let low = s < 8 ? scales[s] & 0x0F : scales[s - 8] >> 4
        let high = scales[8 + s % 4] >> (2 * (s / 4)) & 3
        return Int32(low | high << 4) - 32
    }

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let q = levels
        for s in 0..<16 {
            let ds = Float(fp16Bits: d) * Float(scale(s))
            for i in 16 * s..<16 * s + 16 {
                out[i] = ds * Float(q[i])
            }
        }
    }

    func dot(_ a: BlockQ8_K) -> Float {
        let q = levels
        var sum: Int32 = 0
        for s in 0..<16 {
            var subSum: Int32 = 0
            for i in 16 * s..<16 * s + 16 {
                subSum += Int32(q[i]) * Int32(a.qs[i])
            }
            sum += scale(s) * subSum
        }
        return Float(fp16Bits: d) * a.d * Float(sum)
    }
}
