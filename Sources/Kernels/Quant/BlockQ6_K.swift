// q6_K: 256 values in 210 bytes, ggml's `block_q6_K`: 16 sub-blocks of 16 values.
//   bytes 0..<128   ql      low 4 bits. In half h (values 128·h ..< 128·h + 128), byte
//                           64·h + l holds value 128·h + l (low nibble) and + 64 + l (high),
//                           byte 64·h + 32 + l holds + 32 + l (low) and + 96 + l (high)
//   bytes 128..<192 qh      high 2 bits: bits 2g..2g+1 of byte 32·h + l belong to value
//                           128·h + 32·g + l
//   bytes 192..<208 scales  16 int8 sub-block scales
//   bytes 208..<210 d       f16 scale of the scales
// value = d · scale[s] · (q − 32), s = the value's sub-block

import GGUF

struct BlockQ6_K: DotBlock, ReferenceQuantizable {
    static var ggmlType: GGMLType { .q6_K }

    var ql: InlineArray<128, UInt8>
    var qh: InlineArray<64, UInt8>
    var scales: InlineArray<16, Int8>
    var d: UInt16

    /// Every value's level minus 32 (so in -32..<32), in value order.
    var levels: InlineArray<256, Int8> {
        var q = InlineArray<256, Int8>(repeating: 0)
        for h in 0..<2 {
            for g in 0..<4 {
                for l in 0..<32 {
                    let low = ql[64 * h + 32 * (g & 1) + l] >> (4 * (g >> 1)) & 0x0F
                    let high = qh[32 * h + l] >> (2 * g) & 3
                    q[128 * h + 32 * g + l] = Int8(low | high << 4) - 32
                }
            }
        }
        return q
    }

    func dequantize(into out: UnsafeMutablePointer<Float>) {
        let d = Float(fp16Bits: self.d)
        let q = levels
        for i in 0..<256 {
            out[i] = d * Float(scales[i / 16]) * Float(q[i])
        }
    }

    /// `quantize_row_q6_K_ref`: fits each sub-block's scale, quantizes the scales to int8
    /// against the largest in magnitude (which maps to -128), then re-picks every level
    /// against the stored scales. A block whose scales are all ~0 is stored as all zero bytes.
    init(quantizing x: UnsafePointer<Float>) {
        var levels = [UInt8](repeating: 0, count: 256)
        var subScales = InlineArray<16, Float>(repeating: 0)
        var maxScale: Float = 0
        var maxAbsScale: Float = 0
        for s in 0..<16 {
            let fit = fitSymmetricScale(UnsafeBufferPointer(start: x + 16 * s, count: 16), maxLevel: 32)
            levels.replaceSubrange(16 * s..<16 * s + 16, with: fit.levels)
            subScales[s] = fit.scale
            if abs(fit.scale) > maxAbsScale {
                maxAbsScale = abs(fit.scale)
                maxScale = fit.scale
            }
        }

        ql = InlineArray(repeating: 0)
        qh = InlineArray(repeating: 0)
        scales = InlineArray(repeating: 0)
        d = 0
        guard maxAbsScale >= groupMaxEpsilon else { return }

        let iscale = -128 / maxScale
        d = (1 / iscale).fp16Bits
        for s in 0..<16 {
            scales[s] = Int8(truncatingIfNeeded: Swift.min(127, nearestInt(iscale * subScales[s])))
        }
        for s in 0..<16 {
            let ds = Float(fp16Bits: d) * Float(scales[s])
            if ds == 0 { continue }  // keep the fitted levels, as ggml does
            for i in 16 * s..<16 * s + 16 {
                levels[i] = UInt8(Swift.max(-32, Swift.min(31, nearestInt(x[i] / ds))) + 32)
            }
        }

        for h in 0..<2 {
            for l in 0..<32 {
                let q = (0..<4).map { g in levels[128 * h + 32 * g + l] }
                ql[64 * h + l] = q[0] & 0x0F | (q[2] & 0x0F) << 4
                ql[64 * h + 32 + l] = q[1] & 0x0F | (q[3] & 0x0F) << 4
                qh[32 * h + l] = q[0] >> 4 | (q[1] >> 4) << 2 | (q[2] >> 4) << 4 | (q[3] >> 4) << 6
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
            sum += Int32(scales[s]) * subSum
        }
        return Float(fp16Bits: d) * a.d * Float(sum)
    }
}
