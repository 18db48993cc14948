// Building blocks shared by the row dot kernels. ggml's x86 kernels keep eight int32 lanes per
// 32 quants, lane k holding the products of bytes 4k..<4k+4 (what `vpdpbusd`, or `vpmaddubsw`
// then `vpmaddwd`, leave), and turn each lane into a float on its own. Integer sums are exact
// in any order, so these helpers reproduce only that lane layout, and the float steps after it,
// with 16-lane-or-narrower vectors, shifts and bit casts (design/aesthetics.md §3.5).

/// Thirty-two 8-bit values as sixteen 16-bit lanes: byte 2i is the low half of lane i.
typealias BytePairs = SIMD16<Int16>

extension BytePairs {
    /// The even bytes, sign-extended.
    @inline(__always) var signedEven: BytePairs { (self &<< 8) &>> 8 }
    /// The odd bytes, sign-extended.
    @inline(__always) var signedOdd: BytePairs { self &>> 8 }
    /// The even bytes, taken as unsigned.
    @inline(__always) var unsignedEven: BytePairs { self & 0x00FF }
    /// The odd bytes, taken as unsigned.
    @inline(__always) var unsignedOdd: BytePairs { unsafeBitCast(unsafeBitCast(self, to: SIMD16<UInt16>.self) &>> 8, to: BytePairs.self) }
}

/// The eight lane sums of 32 byte products: lane k = Σ w[b]·a[b] over b in 4k..<4k+4. The
/// weights come split into even and odd bytes, already widened; the activations are 32 int8s.
/// Every pair sum must fit an Int16, which holds for |w| ≤ 128 and |a| ≤ 127 (activation quants
/// never reach -128).
@inline(__always)
func laneSums(even: BytePairs, odd: BytePairs, activations a: BytePairs) -> SIMD8<Int32> {
    let pairs = even &* a.signedEven &+ odd &* a.signedOdd
    let words = unsafeBitCast(pairs, to: SIMD8<Int32>.self)
    return ((words &<< 16) &>> 16) &+ (words &>> 16)
}

/// The lane sums of 32 signed weight bytes with 32 activation bytes.
@inline(__always)
func laneSums(signed w: BytePairs, activations a: BytePairs) -> SIMD8<Int32> {
    laneSums(even: w.signedEven, odd: w.signedOdd, activations: a)
}

/// The lane sums of 32 unsigned weight bytes (each below 128) with 32 activation bytes.
@inline(__always)
func laneSums(unsigned w: BytePairs, activations a: BytePairs) -> SIMD8<Int32> {
    laneSums(even: w.unsignedEven, odd: w.unsignedOdd, activations: a)
}

/// Int32 lanes as floats, exact for |v| < 2²²: the bits of 1.5·2²³ plus v are the float
/// 1.5·2²³ + v, whose unit in the last place is 1.
@inline(__always)
func exactFloats(_ v: SIMD8<Int32>) -> SIMD8<Float> {
    unsafeBitCast(v &+ 0x4B40_0000, to: SIMD8<Float>.self) - 12_582_912
}

/// Four int32 lanes as floats, exact for |v| < 2²².
@inline(__always)
func exactFloats(_ v: SIMD4<Int32>) -> SIMD4<Float> {
    unsafeBitCast(v &+ 0x4B40_0000, to: SIMD4<Float>.self) - 12_582_912
}

/// Int32 lanes as floats rounded to nearest even, as `vcvtdq2ps` converts them, for any value:
/// both halves convert exactly, and their one float addition rounds the exact sum.
@inline(__always)
func roundedFloats(_ v: SIMD8<Int32>) -> SIMD8<Float> {
    exactFloats(v &>> 16) * 65536 + exactFloats(v & 0xFFFF)
}

/// `hsum_float_8`: the upper four lanes added to the lower four, then lanes 2, 3 to 0, 1, then
/// lane 1 to lane 0.
@inline(__always)
func horizontalSum(_ v: SIMD8<Float>) -> Float {
    let four = v.lowHalf + v.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}

/// `_mm512_reduce_add_ps`: halves folded onto each other down to one lane, as in `hsum_float_8`.
@inline(__always)
func horizontalSum(_ v: SIMD16<Float>) -> Float {
    horizontalSum(v.lowHalf + v.highHalf)
}

/// The float value of f16 bits stored at `p` (2 bytes, any alignment).
@inline(__always)
func halfValue(at p: UnsafeRawPointer) -> Float {
    Float(fp16Bits: p.loadUnaligned(as: UInt16.self))
}
