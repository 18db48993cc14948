// mxfp4: 32 values in 17 bytes, ggml's `block_mxfp4` (OCP microscaling FP4).
//   byte 0        e    E8M0 shared exponent: the scale is 2^(e − 127)
//   bytes 1..<17  qs   4-bit E2M1 codes: byte j holds value j (low nibble) and j+16 (high)
// value = table[code] · 2^(e − 128), where the table holds the E2M1 values doubled

import GGUF

/// E2M1 values times two, so they are integers (ggml's `kvalues_mxfp4`).
let e2m1DoubledLevels: InlineArray<16, Int8> = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12]

/// Half of the E8M0 scale, 2^(e − 128), which undoes the table's doubling; e 0 and 1 give
/// float32 subnormals (ggml's `ggml_e8m0_to_fp32_half`).
func e8m0HalfScale(_ e: UInt8) -> Float {
    e < 2 ? Float(bitPattern: 0x0020_0000 << UInt32(e)) : Float(bitPattern: UInt32(e - 1) << 23)
}

struct BlockMXFP4: DotBlock {
    static var ggmlType: GGMLType { .mxfp4 }

    var e: UInt8
    var qs: InlineArray<16, UInt8>

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = e8m0HalfScale(e)
        for j in 0..<16 {
            out[j] = Float(e2m1DoubledLevels[Int(qs[j] & 0x0F)]) * d
            out[j + 16] = Float(e2m1DoubledLevels[Int(qs[j] >> 4)]) * d
        }
    }

    func dot(_ a: BlockQ8_0) -> Float {
        var sum: Int32 = 0
        for j in 0..<16 {
            sum += Int32(a.qs[j]) * Int32(e2m1DoubledLevels[Int(qs[j] & 0x0F)])
            sum += Int32(a.qs[j + 16]) * Int32(e2m1DoubledLevels[Int(qs[j] >> 4)])
        }
        return Float(fp16Bits: a.d) * e8m0HalfScale(e) * Float(sum)
    }
}
