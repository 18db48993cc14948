// q8_K: 256 values in 292 bytes, ggml's `block_q8_K`.
//   bytes 0..<4     d      f32 scale
//   bytes 4..<260   qs     256 int8 quants
//   bytes 260..<292 bsums  16 int16 sums of each run of 16 quants
// value = q · d
// Only an activation type: the one of the K-quants, iq4_xs and the ternary types, whose dot
// products use `bsums` for the block minimums.

import GGUF

struct BlockQ8_K: ActivationBlock, ReferenceQuantizable {
    static var ggmlType: GGMLType { .q8_K }

    var d: Float
    var qs: InlineArray<256, Int8>
    var bsums: InlineArray<16, Int16>

    /// ggml's `dequantize_row_q8_K` (not in its `to_float` table).
    func dequantize(into out: UnsafeMutablePointer<Float>) {
        for j in 0..<256 {
            out[j] = d * Float(qs[j])
        }
    }

    /// `quantize_row_q8_K_ref`, which is also what the x86 CPU backend runs: the value of
    /// largest magnitude (the first on a tie) maps to -127, and its sign sets the scale's.
    /// An all-zero block gets d = 0 and zero quants and sums.
    init(quantizing x: UnsafePointer<Float>) {
        var amax: Float = 0
        var max: Float = 0
        for j in 0..<256 where abs(x[j]) > amax {
            amax = abs(x[j])
            max = x[j]
        }
        d = 0
        qs = InlineArray(repeating: 0)
        bsums = InlineArray(repeating: 0)
        guard amax != 0 else { return }
        let iscale = -127 / max
        for j in 0..<256 {
            qs[j] = Int8(truncatingIfNeeded: Swift.min(127, nearestInt(iscale * x[j])))
        }
        for group in 0..<16 {
            var sum: Int32 = 0
            for j in 0..<16 {
                sum += Int32(qs[group * 16 + j])
            }
            bsums[group] = Int16(truncatingIfNeeded: sum)
        }
        d = 1 / iscale
    }

    init(quantizingActivation values: UnsafePointer<Float>) {
        self.init(quantizing: values)
    }
}
