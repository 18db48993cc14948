/// ggml's vectorized exp and SiLU for AVX-512 (`ggml_v_expf`, `ggml_v_silu` in ggml-cpu/vec.h),
/// reproduced operation for operation so activations round exactly as llama.cpp's do: a
/// one-ulp difference here flips activation-quantization roundings downstream.
/// ggml applies these to whole 16-float vectors and libm `expf` to a row's leftover tail.
public enum FastExp {
    /// exp(x) by ggml's range reduction and degree-5 polynomial, with its overflow handling.
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let r: Float = 0x1.8p23
        let z = r.addingProduct(x, 0x1.715476p+0)
        let n = z - r
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let u = b * b
        let inner = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let outer = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let j = Float(1).addingProduct(0x1.ffffecp-1, b).addingProduct(outer.addingProduct(inner, u), u)
        if abs(n) > 192 { return n <= 0 ? 0 : .infinity }
        return Float(sign: .plus, exponent: Int(n), significand: j)
    }

    /// x / (1 + exp(−x)) as `ggml_v_silu`.
    @inline(__always)
    public static func silu(_ x: Float) -> Float {
        x / (1 + exp(0 - x))
    }
}
