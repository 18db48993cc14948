// The two 16-bit float formats of GGUF tensors and block scales, converted exactly as ggml does.

extension Float {
    /// The float32 value of IEEE binary16 bits. Exact for every input, NaN payloads included
    /// (ggml's `GGML_FP16_TO_FP32`).
    @inlinable
    public init(fp16Bits bits: UInt16) {
        self = Float(Float16(bitPattern: bits))
    }

    /// This value as IEEE binary16 bits, rounded to nearest even: subnormals are kept, values
    /// past the largest half round to infinity, NaN stays a quiet NaN with its sign.
    /// Matches ggml's `GGML_FP32_TO_FP16` on x86 (`vcvtps2ph`).
    @inlinable
    public var fp16Bits: UInt16 {
        Float16(self).bitPattern
    }

    /// The float32 value of bfloat16 bits (the top half of a float32). Exact for every input.
    @inlinable
    public init(bf16Bits bits: UInt16) {
        self = Float(bitPattern: UInt32(bits) << 16)
    }

    /// This value as bfloat16 bits, rounded to nearest even; subnormals are kept and NaN is
    /// forced quiet (ggml's `ggml_compute_fp32_to_bf16`).
    @inlinable
    public var bf16Bits: UInt16 {
        let bits = bitPattern
        if bits & 0x7FFF_FFFF > 0x7F80_0000 {
            return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
        }
        // Adding 0x7FFF plus the lowest kept bit rounds ties to the even neighbour.
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}
