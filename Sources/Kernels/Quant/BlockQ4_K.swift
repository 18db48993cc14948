// q4_K: 256 values in 144 bytes, ggml's `block_q4_K`: 8 sub-blocks of 32 values.
//   bytes 0..<2    d       f16 scale of the sub-block scales
//   bytes 2..<4    dmin    f16 scale of the sub-block mins
//   bytes 4..<16   scales  eight 6-bit scales and eight 6-bit mins (KQuantScaleMins.swift)
//   bytes 16..<144 qs      4-bit quants: byte 32·k + l holds value 64·k + l (low nibble)
//                          and value 64·k + 32 + l (high nibble)
// value = d·scale[s] · q − dmin·min[s], s = the value's sub-block

import GGUF

struct BlockQ4_K: DotBlock, ReferenceQuantizable {
    static var ggmlType: GGMLType { .q4_K }

    var d: UInt16
    var dmin: UInt16
    var scales: InlineArray<12, UInt8>
    var qs: InlineArray<128, UInt8>

    /// The 4-bit level of every value, in value order.
    var levels: InlineArray<256, Int8> {
        var q = InlineArray<256, Int8>(repeating: 0)
        for k in 0..<4 {
            for l in 0..<32 {
                q[64 * k + l] = Int8(qs[32 * k + l] & 0x0F)
                q[64 * k + 32 + l] = Int8(qs[32 * k + l] >> 4)
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

    /// `quantize_row_q4_K_ref`: fits each sub-block's scale and min (weighting values by the
    /// block's RMS plus their magnitude), quantizes scales and mins to 6 bits against the
    /// largest of each, then re-picks every level against the stored scales.
    init(quantizing x: UnsafePointer<Float>) {
        var levels = [UInt8](repeating: 0, count: 256)
        var subScales = InlineArray<8, Float>(repeating: 0)
        var subMins = InlineArray<8, Float>(repeating: 0)
        var maxScale: Float = 0
        var maxMin: Float = 0
        for s in 0..<8 {
            let sub = UnsafeBufferPointer(start: x + 32 * s, count: 32)
            var sumX2: Float = 0
            for v in sub { sumX2 += v * v }
            let rms = (sumX2 / 32).squareRoot()
            let weights = sub.map { rms + abs($0) }
            let fit = fitScaleAndMin(sub, weights: weights, maxLevel: 15, rmin: -1, rdelta: 0.1, steps: 20, useMAD: false)
            levels.replaceSubrange(32 * s..<32 * s + 32, with: fit.levels)
            subScales[s] = fit.scale
            subMins[s] = fit.min
            if fit.scale > maxScale { maxScale = fit.scale }
            if fit.min > maxMin { maxMin = fit.min }
        }

        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        var scaleLevels = InlineArray<8, UInt8>(repeating: 0)
        var minLevels = InlineArray<8, UInt8>(repeating: 0)
        for s in 0..<8 {
            scaleLevels[s] = Swift.min(63, UInt8(truncatingIfNeeded: nearestInt(inverseScale * subScales[s])))
            minLevels[s] = Swift.min(63, UInt8(truncatingIfNeeded: nearestInt(inverseMin * subMins[s])))
        }
        scales = packKScaleMins(scales: scaleLevels, mins: minLevels)
        d = (maxScale / 63).fp16Bits
        dmin = (maxMin / 63).fp16Bits

        for s in 0..<8 {
            let ds = Float(fp16Bits: d) * Float(scaleLevels[s])
            if ds == 0 { continue }  // keep the fitted levels, as ggml does
            let ms = Float(fp16Bits: dmin) * Float(minLevels[s])
            for i in 32 * s..<32 * s + 32 {
                levels[i] = UInt8(Swift.max(0, Swift.min(15, nearestInt((x[i] + ms) / ds))))
            }
        }

        qs = InlineArray(repeating: 0)
        for k in 0..<4 {
            for l in 0..<32 {
                qs[32 * k + l] = levels[64 * k + l] | levels[64 * k + 32 + l] << 4
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
