// The float-to-integer conversions ggml's quantizers rely on, reproduced bit for bit and
// defined for every input (NaN and out-of-range values included) so no quantizer can trap.

/// ggml's `nearest_int`: adds 1.5·2^23 so the float adder rounds to nearest even, then reads
/// the integer out of the mantissa. Exact for |x| ≤ 2^22; other inputs give what ggml gives.
@inline(__always)
func nearestInt(_ x: Float) -> Int32 {
    let shifted = (x + 12_582_912).bitPattern
    return Int32(bitPattern: shifted & 0x007F_FFFF) - 0x0040_0000
}

/// C's float-to-int conversion as x86 executes it (`cvttss2si`): truncation toward zero, and
/// INT32_MIN for NaN or values outside Int32. ggml then narrows the result with a C cast.
@inline(__always)
func truncatedInt32(_ x: Float) -> Int32 {
    guard x > -2_147_483_904, x < 2_147_483_648 else { return Int32.min }  // NaN fails both
    return Int32(x)
}

/// `_mm256_cvtps_epi32` after `_mm256_round_ps(x, nearest)`: round half to even, INT32_MIN for
/// NaN or values outside Int32.
@inline(__always)
func roundedInt32HalfEven(_ x: Float) -> Int32 {
    truncatedInt32(x.rounded(.toNearestOrEven))
}

/// C's `roundf` (half away from zero) converted to int as x86 does.
@inline(__always)
func roundedInt32HalfAway(_ x: Float) -> Int32 {
    truncatedInt32(x.rounded(.toNearestOrAwayFromZero))
}

/// What x86's signed saturating packs (`packssdw` then `packsswb`) make of an int32.
@inline(__always)
func saturatedInt8(_ x: Int32) -> Int8 {
    Int8(clamping: x)
}
