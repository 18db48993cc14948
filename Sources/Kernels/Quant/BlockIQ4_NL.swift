// iq4_nl: 32 values in 18 bytes, ggml's `block_iq4_nl`.
//   bytes 0..<2   d    f16 scale
//   bytes 2..<18  qs   4-bit indices into a non-linear table: byte j holds value j (low
//                      nibble) and j+16 (high nibble)
// value = d · table[index]

import GGUF

/// The 16 non-linear levels of iq4_nl and iq4_xs (ggml's `kvalues_iq4nl`).
let iq4Levels: InlineArray<16, Int8> = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]

struct BlockIQ4_NL: DotBlock {
    static var ggmlType: GGMLType { .iq4_nl }

    var d: UInt16
    var qs: InlineArray<16, UInt8>

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        for j in 0..<16 {
            out[j] = d * Float(iq4Levels[Int(qs[j] & 0x0F)])
            out[j + 16] = d * Float(iq4Levels[Int(qs[j] >> 4)])
        }
    }

    func dot(_ a: BlockQ8_0) -> Float {
        var sum: Int32 = 0
        for j in 0..<16 {
            sum += Int32(a.qs[j]) * Int32(iq4Levels[Int(qs[j] & 0x0F)])
            sum += Int32(a.qs[j + 16]) * Int32(iq4Levels[Int(qs[j] >> 4)])
        }
        return Float(fp16Bits: a.d) * Float(fp16Bits: d) * Float(sum)
    }
}
