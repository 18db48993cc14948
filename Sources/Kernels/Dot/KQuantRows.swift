import GGUF

/// How a q4_K or q5_K block keeps its levels.
protocol KQuantLevels: RowDotKernel {
    /// Bytes per block; d, dmin and the packed scales come first in every one.
    static var blockBytes: Int { get }
    /// The 64 levels of sub-blocks 2j and 2j+1 of `block`, as two runs of 32 bytes in value order.
    static func levels(_ block: UnsafeRawPointer, _ j: Int) -> (SIMD16<UInt16>, SIMD16<UInt16>)
}

extension KQuantLevels {
    // q4_K and q5_K share the activation type and the row forms; their dots differ in the minimums.
    static var activationType: GGMLType { .q8_K }
    static func unpackedBytes(count: Int) -> Int { KQuantRows.bytes(count: count) }
    static func preparedBytes(count: Int) -> Int { PreparedQ8_K.bytes(count: count) }

    static func unpack(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer {
        KQuantRows.unpack(Self.self, row, into: scratch, count: count)
    }

    static func prepare(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) {
        PreparedQ8_K.prepare(row, into: scratch, count: count)
    }
}

/// The kernel form of q4_K and q5_K weight rows: per 256-value block 512 bytes of lane form,
/// eight 32-value sub-blocks whose levels are already multiplied by their 6-bit scale; then
/// columns of float d, float dmin, and the eight 6-bit mins as int16 (16 bytes per block).
/// Multiplying levels by the scale first changes no lane: integer sums are exact in any order.
enum KQuantRows {
    static func bytes(count: Int) -> Int { count / 256 * 536 }

    /// Unpacks a row of `count` values of the type `Levels` describes.
    @inline(__always)
    static func unpack<Levels: KQuantLevels>(_: Levels.Type, _ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer {
        let blocks = count / 256
        let scales = (scratch + blocks * 512).assumingMemoryBound(to: Float.self)
        let minScales = scales + blocks
        var block = row, lanes = scratch, mins = scratch + blocks * 520
        for b in 0..<blocks {
            scales[b] = halfValue(at: block)
            minScales[b] = halfValue(at: block + 2)
            let packed = KScalesAndMins(block + 4)
            for s in 0..<8 {
                mins.storeBytes(of: Int16(packed.min(s)), toByteOffset: 2 * s, as: Int16.self)
            }
            for j in 0..<4 {
                let (low, high) = Levels.levels(block, j)
                storeLaneForm(unsignedBytes: low, scale: SIMD16(repeating: Int16(packed.scale(2 * j))), to: lanes + 128 * j)
                storeLaneForm(unsignedBytes: high, scale: SIMD16(repeating: Int16(packed.scale(2 * j + 1))), to: lanes + 128 * j + 64)
            }
            block += Levels.blockBytes
            lanes += 512
            mins += 16
        }
        return UnsafeRawPointer(scratch)
    }

    /// The two sums of ggml's q4_K and q5_K kernels over one block: the eight lanes of
    /// Σ scale·level·quant, and the four lanes min[2k]·Σ₃₂[2k] + min[2k+1]·Σ₃₂[2k+1].
    @inline(__always)
    static func blockSums(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, block b: Int, blocks: Int)
        -> (levels: SIMD8<Int32>, minimums: SIMD4<Int32>) {
        let w = weights + 512 * b, a = activations + 512 * b
        var sums = SIMD8<Int32>()
        for s in 0..<8 {
            sums &+= laneSums(w + 64 * s, a + 64 * s)
        }
        let minimums = pairSums4(weights + blocks * 520 + 16 * b, activations + PreparedQ8_K.subBlockSumsOffset(blocks: blocks) + 16 * b)
        return (sums, minimums)
    }

    /// d·d_x and −dmin·d_x of block `b`, as ggml forms them.
    @inline(__always)
    static func blockScales(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, block b: Int, blocks: Int) -> (Float, Float) {
        let activationScale = (activations + PreparedQ8_K.scalesOffset(blocks: blocks)).assumingMemoryBound(to: Float.self)[b]
        let weightScales = (weights + blocks * 512).assumingMemoryBound(to: Float.self)
        return (activationScale * weightScales[b], -activationScale * weightScales[blocks + b])
    }
}

/// The eight 6-bit scales and eight 6-bit mins of a q4_K or q5_K block, from the 12 bytes at
/// `p` (layout in Quant/KQuantScaleMins.swift).
struct KScalesAndMins {
    /// Scales 0..<4 and 4..<8, mins 0..<4 and 4..<8, each four bytes little-endian.
    let scalesLow: UInt32, scalesHigh: UInt32, minsLow: UInt32, minsHigh: UInt32

    @inline(__always)
    init(_ p: UnsafeRawPointer) {
        let first = p.loadUnaligned(as: UInt32.self)
        let second = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let third = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        scalesLow = first & 0x3F3F_3F3F
        minsLow = second & 0x3F3F_3F3F
        scalesHigh = (third & 0x0F0F_0F0F) | ((first >> 6) & 0x0303_0303) << 4
        minsHigh = ((third >> 4) & 0x0F0F_0F0F) | ((second >> 6) & 0x0303_0303) << 4
    }

    @inline(__always)
    func scale(_ s: Int) -> UInt8 { Self.byte(s < 4 ? scalesLow : scalesHigh, s) }

    @inline(__always)
    func min(_ s: Int) -> UInt8 { Self.byte(s < 4 ? minsLow : minsHigh, s) }

    @inline(__always)
    private static func byte(_ word: UInt32, _ s: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: word >> UInt32(8 * (s & 3)))
    }
}
