#if canImport(Glibc)
import Glibc
#endif

/// Row-wise float operations of the forward pass, each in the order and precision ggml's CPU
/// backend uses (norm sums in double, softmax sums in double), so results track llama.cpp.
public enum Elementwise {
    /// `out = x / sqrt(mean(x²) + eps) * weight` (ggml `rms_norm` then `mul`).
    public static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
                               count: Int, into out: UnsafeMutablePointer<Float>) {
        var sum: Double = 0
        for i in 0..<count { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(count))
        let scale = 1 / sqrtf(mean + eps)
        for i in 0..<count { out[i] = (x[i] * scale) * weight[i] }
    }

    /// `x += y`.
    public static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    /// `x *= y` elementwise.
    public static func multiply(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { x[i] *= y[i] }
    }

    /// `x *= s`.
    public static func scale(_ x: UnsafeMutablePointer<Float>, by s: Float, count: Int) {
        for i in 0..<count { x[i] *= s }
    }

    /// `gate = silu(gate) * up` (ggml `swiglu`): ggml's vector SiLU over whole 16-float groups,
    /// libm on the tail, as its AVX-512 loop does.
    public static func swiGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        swiGLU(gate, up, count: count, elements: 0..<count)
    }

    /// `swiGLU` over the elements `elements` of a row of `count` (a thread's share): each element
    /// is computed as the whole row's pass computes it, vector SiLU or libm by its place in the row.
    public static func swiGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int, elements: Range<Int>) {
        let vectorized = min(max(count / 16 * 16, elements.lowerBound), elements.upperBound)
        for i in elements.lowerBound..<vectorized { gate[i] = FastExp.silu(gate[i]) * up[i] }
        for i in vectorized..<elements.upperBound {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// GELU with the tanh approximation, read through ggml's f16 table: the input is rounded to
    /// f16 and so is the result (ggml's `GGML_GELU_FP16` path, used on x86).
    static func geluF16(_ x: Float) -> Float {
        if x <= -10 { return 0 }
        if x >= 10 { return x }
        return geluTable[Int(x.fp16Bits)]
    }

    /// ggml's `table_gelu_f16` as floats: for every f16 (indexed by its bits) the tanh GELU of
    /// its value in float, rounded to f16. Built once, at the first GELU (65,536 `tanhf`s,
    /// where computing each element's entry afresh made GELU 15 % of Gemma 3's prompt time).
    nonisolated(unsafe) private static let geluTable: UnsafeMutablePointer<Float> = {
        let table = UnsafeMutablePointer<Float>.allocate(capacity: 1 << 16)
        let sqrt2OverPi: Float = 0.79788456080286535587989211986876
        for bits in 0..<1 << 16 {
            let h = Float(fp16Bits: UInt16(bits))
            let g = 0.5 * h * (1 + tanhf(sqrt2OverPi * h * (1 + 0.044715 * h * h)))
            table[bits] = Float(fp16Bits: g.fp16Bits)
        }
        return table
    }()

    /// `gate = gelu(gate) * up` (ggml `geglu`).
    public static func geGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        geGLU(gate, up, elements: 0..<count)
    }

    /// `geGLU` over the elements `elements` of a row (a thread's share).
    public static func geGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, elements: Range<Int>) {
        for i in elements { gate[i] = geluF16(gate[i]) * up[i] }
    }

    /// Softmax in place over `count` values; the sum is kept in double as ggml does.
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maxValue = -Float.infinity
        for i in 0..<count { maxValue = max(maxValue, x[i]) }
        var sum: Double = 0
        for i in 0..<count {
            let e = maxValue == -.infinity ? 0 : expf(x[i] - maxValue)
            x[i] = e
            sum += Double(e)
        }
        let inverse = sum == 0 ? 0 : Float(1 / sum)
        for i in 0..<count { x[i] *= inverse }
    }

    /// Softmax in place as ggml's `soft_max` op computes it on AVX-512 (`ggml_vec_soft_max_f32`):
    /// ggml's vector exp over whole 16-float groups and libm on the tail; each group's sum is
    /// reduced in `_mm512_reduce_add_ps`'s pairing, then added in double. A discrete choice made
    /// from the result (MoE routing) needs these exact bits.
    public static func softmaxVectorExp(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maxValue = -Float.infinity
        for i in 0..<count { maxValue = max(maxValue, x[i]) }
        var sum: Double = 0
        var i = 0
        while i + 16 <= count {
            var lanes = SIMD16<Float>()
            for l in 0..<16 {
                lanes[l] = FastExp.exp(x[i + l] - maxValue)
                x[i + l] = lanes[l]
            }
            let half = lanes.lowHalf + lanes.highHalf
            let quarter = half.lowHalf + half.highHalf
            sum += Double((quarter[0] + quarter[2]) + (quarter[1] + quarter[3]))
            i += 16
        }
        while i < count {
            x[i] = expf(x[i] - maxValue)
            sum += Double(x[i])
            i += 1
        }
        let inverse = Float(1 / sum)
        for j in 0..<count { x[j] *= inverse }
    }

    /// `x = 1 / (1 + exp(−x))` with libm's exp, as ggml's scalar `sigmoid` op.
    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = 1 / (1 + expf(-x[i])) }
    }

    /// `x` rounded through f16 and back (where ggml stores or converts a tensor to f16).
    public static func roundToF16(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = Float(fp16Bits: x[i].fp16Bits) }
    }

    /// f32 dot product of two f16 vectors (ggml `vec_dot_f16`: f16 inputs, f32 accumulation).
    public static func dotF16(_ a: UnsafePointer<UInt16>, _ b: UnsafePointer<UInt16>, count: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            let a0 = SIMD8<Float>(f16: UnsafeRawPointer(a + i)), b0 = SIMD8<Float>(f16: UnsafeRawPointer(b + i))
            let a1 = SIMD8<Float>(f16: UnsafeRawPointer(a + i + 8)), b1 = SIMD8<Float>(f16: UnsafeRawPointer(b + i + 8))
            s0.addProduct(a0, b0)
            s1.addProduct(a1, b1)
            i += 16
        }
        var sum = (s0 + s1).sum()
        while i < count {
            sum += Float(fp16Bits: a[i]) * Float(fp16Bits: b[i])
            i += 1
        }
        return sum
    }

    /// `scores[h · scoreStride + j] = dotF16(row j, query h, count: dim) · scale` for `h` in
    /// `0..<heads` and `j` in `0..<rows`: row j at `first + j · stride` bytes, query h at
    /// `queries + h · dim`, each sum formed exactly as `dotF16` forms it. The queries are widened to
    /// f32 once (into `widened`, `heads · dim` floats), and each 16 values of a row once for up to
    /// four queries, whose sums stay in registers (heads sharing a KV head read the same rows);
    /// no call is made per row.
    public static func dotF16Rows(_ first: UnsafeRawPointer, stride: Int, rows: Int, queries: UnsafePointer<UInt16>, heads: Int,
                                  dim: Int, widened: UnsafeMutablePointer<Float>, scale: Float,
                                  into scores: UnsafeMutablePointer<Float>, scoreStride: Int) {
        for i in 0..<heads * dim { widened[i] = Float(fp16Bits: queries[i]) }
        var h0 = 0
        while h0 < heads {
            let m = min(4, heads - h0)
            let q0 = UnsafeRawPointer(widened + h0 * dim), q1 = q0 + 4 * dim, q2 = q1 + 4 * dim, q3 = q2 + 4 * dim
            for j in 0..<rows {
                let row = first + j * stride
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), e0 = SIMD8<Float>(), e1 = SIMD8<Float>()
                var i = 0
                while i + 16 <= dim {
                    let k0 = SIMD8<Float>(f16: row + 2 * i), k1 = SIMD8<Float>(f16: row + 2 * i + 16)
                    a0.addProduct(k0, q0.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self))
                    a1.addProduct(k1, q0.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self))
                    if m > 1 {
                        b0.addProduct(k0, q1.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self))
                        b1.addProduct(k1, q1.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self))
                    }
                    if m > 2 {
                        c0.addProduct(k0, q2.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self))
                        c1.addProduct(k1, q2.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self))
                    }
                    if m > 3 {
                        e0.addProduct(k0, q3.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self))
                        e1.addProduct(k1, q3.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self))
                    }
                    i += 16
                }
                let k = row.assumingMemoryBound(to: UInt16.self)
                /// Head h's sum: its two accumulators added and reduced, then the tail.
                func finish(_ h: Int, _ s0: SIMD8<Float>, _ s1: SIMD8<Float>) {
                    var sum = (s0 + s1).sum()
                    let q = widened + (h0 + h) * dim
                    for t in i..<dim { sum += Float(fp16Bits: k[t]) * q[t] }
                    scores[(h0 + h) * scoreStride + j] = sum * scale
                }
                finish(0, a0, a1)
                if m > 1 { finish(1, b0, b1) }
                if m > 2 { finish(2, c0, c1) }
                if m > 3 { finish(3, e0, e1) }
            }
            h0 += m
        }
    }
}

extension SIMD8 where Scalar == Float {
    /// Eight f16 values widened to f32 (one `vcvtph2ps` under the package's ISA floor).
    @inlinable @inline(__always)
    public init(f16 p: UnsafeRawPointer) {
        let h = p.loadUnaligned(as: SIMD8<Float16>.self)
        self.init(Float(h[0]), Float(h[1]), Float(h[2]), Float(h[3]), Float(h[4]), Float(h[5]), Float(h[6]), Float(h[7]))
    }
}
