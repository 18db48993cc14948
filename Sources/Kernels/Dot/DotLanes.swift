// Building blocks shared by the row dot kernels.
//
// ggml's x86 kernels keep eight int32 lanes per 32 quants, lane k holding the products of
// values 4k..<4k+4 (what `vpdpbusd`, or `vpmaddubsw` then `vpmaddwd`, leave), and turn each
// lane into a float on its own. Integer sums are exact in any order, so Kernels only has to
// give every lane the same integers, then repeat the float steps. It does that with quants
// widened to Int16 and split into even and odd values ("lane form", below): `vpmaddwd` of the
// even halves plus `vpmaddwd` of the odd halves is exactly ggml's eight lanes.
//
// Lane form of 32 values: 16 Int16 of the even values (0, 2, …, 30), then 16 Int16 of the odd
// values (1, 3, …, 31), 64 bytes. MatMul prepares activation rows once per matmul and unpacks
// weight rows once per tile of rows (or per pair of rows for one token), so the inner loops
// are loads, `vpmaddwd` and FMAs.

/// Lane k = x[2k]·y[2k] + x[2k+1]·y[2k+1] over the 16 Int16 at `x` and at `y`, in 32 bits.
/// Written element by element over memory because that is the form LLVM turns into one
/// `vpmaddwd` (on SIMD values it emits shifts and multiplies four times as long).
@inline(__always)
func pairSums(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> SIMD8<Int32> {
    let a = x.assumingMemoryBound(to: Int16.self), b = y.assumingMemoryBound(to: Int16.self)
    var sums = SIMD8<Int32>()
    for k in 0..<8 {
        sums[k] = Int32(a[2 * k]) &* Int32(b[2 * k]) &+ Int32(a[2 * k + 1]) &* Int32(b[2 * k + 1])
    }
    return sums
}

/// `pairSums` over 8 Int16 each: four lanes.
@inline(__always)
func pairSums4(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> SIMD4<Int32> {
    let a = x.assumingMemoryBound(to: Int16.self), b = y.assumingMemoryBound(to: Int16.self)
    var sums = SIMD4<Int32>()
    for k in 0..<4 {
        sums[k] = Int32(a[2 * k]) &* Int32(b[2 * k]) &+ Int32(a[2 * k + 1]) &* Int32(b[2 * k + 1])
    }
    return sums
}

/// ggml's eight lanes for 32 values in lane form at `w` and at `a`.
@inline(__always)
func laneSums(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer) -> SIMD8<Int32> {
    pairSums(w, a) &+ pairSums(w + 32, a + 32)
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

/// The f16 at `p` as a float.
@inline(__always)
func halfValue(at p: UnsafeRawPointer) -> Float {
    Float(fp16Bits: p.loadUnaligned(as: UInt16.self))
}

/// Stores 32 values given as 32 bytes in value order (byte pair i holds values 2i, 2i+1) in
/// lane form at `out`, each byte taken as signed.
@inline(__always)
func storeLaneForm(signedBytes bytes: SIMD16<Int16>, to out: UnsafeMutableRawPointer) {
    out.storeBytes(of: (bytes &<< 8) &>> 8, as: SIMD16<Int16>.self)
    out.storeBytes(of: bytes &>> 8, toByteOffset: 32, as: SIMD16<Int16>.self)
}

/// Stores 32 values given as 32 unsigned bytes (each below 128) in value order in lane form at
/// `out`, each first offset by `offset`, then multiplied by `scale`: lane i of `scale` applies
/// to values 2i and 2i+1, which land in lane i of the even and of the odd half.
@inline(__always)
func storeLaneForm(unsignedBytes bytes: SIMD16<UInt16>, offset: Int16 = 0, scale: SIMD16<Int16> = SIMD16(repeating: 1),
                   to out: UnsafeMutableRawPointer) {
    let even = unsafeBitCast(bytes & 0x00FF, to: SIMD16<Int16>.self)
    let odd = unsafeBitCast(bytes &>> 8, to: SIMD16<Int16>.self)
    out.storeBytes(of: (even &+ offset) &* scale, as: SIMD16<Int16>.self)
    out.storeBytes(of: (odd &+ offset) &* scale, toByteOffset: 32, as: SIMD16<Int16>.self)
}

/// The 32 levels (0..<16) packed in the 16 bytes at `p` as bytes in value order: the low
/// nibbles are values 0..<16, the high nibbles values 16..<32 (`bytes_from_nibbles_32`).
@inline(__always)
func nibbleBytes(_ p: UnsafeRawPointer) -> SIMD16<UInt16> {
    let packed = p.loadUnaligned(as: SIMD8<UInt16>.self)
    return SIMD16(lowHalf: packed & 0x0F0F, highHalf: (packed &>> 4) & 0x0F0F)
}
