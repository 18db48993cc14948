// q5_0: 32 values in 22 bytes, ggml's `block_q5_0`.
//   bytes 0..<2   d    f16 scale
//   bytes 2..<6   qh   fifth bits, a little-endian uint32: bit j belongs to value j
//   bytes 6..<22  qs   low 4 bits: byte j holds value j (low nibble) and j+16 (high nibble)
// value = (q - 16) · d

import GGUF

struct BlockQ5_0: DotBlock, ReferenceQuantizable {
    static var ggmlType: GGMLType { .q5_0 }

    var d: UInt16
    var qh: InlineArray<4, UInt8>
    var qs: InlineArray<16, UInt8>

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        let q = fiveBitLevels(qs: qs, qh: qh)
        for j in 0..<32 {
            out[j] = Float(Int32(q[j]) - 16) * d
        }
    }

    /// `quantize_row_q5_0_ref`: like q4_0 with 32 levels; the largest magnitude maps to -16.
    init(quantizing x: UnsafePointer<Float>) {
        var amax: Float = 0
        var max: Float = 0
        for j in 0..<32 where amax < abs(x[j]) {
            amax = abs(x[j])
            max = x[j]
        }
        let d = max / -16
        let id: Float = d != 0 ? 1 / d : 0
        self.d = d.fp16Bits
        var levels = InlineArray<32, UInt8>(repeating: 0)
        for j in 0..<32 {
            let q = Swift.min(31, Int8(truncatingIfNeeded: truncatedInt32(x[j] * id + 16.5)))
            levels[j] = UInt8(truncatingIfNeeded: q)
        }
        qs = InlineArray(repeating: 0)
        var high: UInt32 = 0
        for j in 0..<16 {
            qs[j] = (levels[j] & 0x0F) | (levels[j + 16] & 0x0F) << 4
        }
        for j in 0..<32 {
            high |= UInt32((levels[j] & 0x10) >> 4) << UInt32(j)
        }
        qh = InlineArray(repeating: 0)
        for b in 0..<4 {
            qh[b] = UInt8(truncatingIfNeeded: high >> UInt32(8 * b))
        }
    }

    func dot(_ a: BlockQ8_0) -> Float {
        let q = fiveBitLevels(qs: qs, qh: qh)
        var sum: Int32 = 0
        for j in 0..<32 {
            sum += (Int32(q[j]) - 16) * Int32(a.qs[j])
        }
        return Float(fp16Bits: d) * Float(fp16Bits: a.d) * Float(sum)
    }
}

/// The 5-bit levels (0..<32) of a q5_0 or q5_1 block: the nibble of `qs` plus bit j of the
/// little-endian word `qh` as bit 4.
func fiveBitLevels(qs: InlineArray<16, UInt8>, qh: InlineArray<4, UInt8>) -> InlineArray<32, UInt8> {
    let high = UInt32(qh[0]) | UInt32(qh[1]) << 8 | UInt32(qh[2]) << 16 | UInt32(qh[3]) << 24
    var levels = InlineArray<32, UInt8>(repeating: 0)
    for j in 0..<16 {
        levels[j] = qs[j] & 0x0F
        levels[j + 16] = qs[j] >> 4
    }
    for j in 0..<32 {
        levels[j] |= UInt8(truncatingIfNeeded: (high >> UInt32(j)) & 1) << 4
    }
    return levels
}
