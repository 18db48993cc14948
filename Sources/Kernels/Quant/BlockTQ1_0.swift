// tq1_0: 256 ternary values in 54 bytes, ggml's `block_tq1_0` (1.6875 bits per value).
//   bytes 0..<48   qs   five trits per byte, as a base-3 fraction of 256: byte b of the
//                       first 32 holds values b + 32·n (n = 0..<5, most significant first);
//                       byte 32 + b of the last 16 holds values 160 + b + 16·n
//   bytes 48..<52  qh   four trits per byte: byte b holds values 240 + b + 4·n (n = 0..<4)
//   bytes 52..<54  d    f16 scale
// value = (t − 1) · d, t in 0...2
// Trit n of byte q is ⌊3·(q·3^n mod 256) / 256⌋: multiplying by 3^n rotates it to the top.

import GGUF

struct BlockTQ1_0: DotBlock {
    static var ggmlType: GGMLType { .tq1_0 }

    var qs: InlineArray<48, UInt8>
    var qh: InlineArray<4, UInt8>
    var d: UInt16

    /// Every value's trit minus one (-1, 0 or 1), in value order.
    var levels: InlineArray<256, Int8> {
        let powersOf3: InlineArray<5, UInt8> = [1, 3, 9, 27, 81]
        func trit(_ byte: UInt8, _ n: Int) -> Int8 {
            let rotated = byte &* powersOf3[n]
            return Int8((UInt16(rotated) * 3) >> 8) - 1
        }
        var t = InlineArray<256, Int8>(repeating: 0)
        for n in 0..<5 {
            for b in 0..<32 {
                t[32 * n + b] = trit(qs[b], n)
            }
            for b in 0..<16 {
                t[160 + 16 * n + b] = trit(qs[32 + b], n)
            }
        }
        for n in 0..<4 {
            for b in 0..<4 {
                t[240 + 4 * n + b] = trit(qh[b], n)
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
        return Float(sum) * (Float(fp16Bits: d) * a.d)
    }
}
