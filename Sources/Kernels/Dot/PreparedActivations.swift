// Activation rows, as the CPU backend quantizes them (ggml's layouts), turned into the form the
// row kernels read: quants in lane form (DotLanes.swift) followed by columns of per-block
// values, scales already floats. MatMul prepares each activation row once per matmul.

/// q8_0 rows: per 32-value block 64 bytes of lane form, then one float scale per block.
enum PreparedQ8_0 {
    static func bytes(count: Int) -> Int { count / 32 * 68 }

    static func prepare(_ src: UnsafeRawPointer, into dst: UnsafeMutableRawPointer, count: Int) {
        let blocks = count / 32
        let scales = (dst + blocks * 64).assumingMemoryBound(to: Float.self)
        var block = src, lanes = dst
        for b in 0..<blocks {
            scales[b] = halfValue(at: block)
            storeLaneForm(signedBytes: block.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int16>.self), to: lanes)
            block += 34
            lanes += 64
        }
    }
}

/// q8_1 rows: as q8_0, then a second column with each block's `s` as a float.
enum PreparedQ8_1 {
    static func bytes(count: Int) -> Int { count / 32 * 72 }

    static func prepare(_ src: UnsafeRawPointer, into dst: UnsafeMutableRawPointer, count: Int) {
        let blocks = count / 32
        let scales = (dst + blocks * 64).assumingMemoryBound(to: Float.self)
        let sums = scales + blocks
        var block = src, lanes = dst
        for b in 0..<blocks {
            scales[b] = halfValue(at: block)
            sums[b] = halfValue(at: block + 2)
            storeLaneForm(signedBytes: block.loadUnaligned(fromByteOffset: 4, as: SIMD16<Int16>.self), to: lanes)
            block += 36
            lanes += 64
        }
    }
}

/// q8_K rows: per 256-value block 512 bytes of lane form (eight 32-value runs); then columns of
/// the float scales, of the 16 int16 bsums (sums of each 16 quants) and of the 8 int16 sums
/// of each 32 quants (pairs of bsums).
enum PreparedQ8_K {
    static func bytes(count: Int) -> Int { count / 256 * 564 }

    /// Byte offsets of the columns in a prepared row of `blocks` blocks.
    static func scalesOffset(blocks: Int) -> Int { blocks * 512 }
    static func bsumsOffset(blocks: Int) -> Int { blocks * 516 }
    static func subBlockSumsOffset(blocks: Int) -> Int { blocks * 548 }

    static func prepare(_ src: UnsafeRawPointer, into dst: UnsafeMutableRawPointer, count: Int) {
        let blocks = count / 256
        let scales = (dst + scalesOffset(blocks: blocks)).assumingMemoryBound(to: Float.self)
        var block = src, lanes = dst
        var bsums = dst + bsumsOffset(blocks: blocks), subBlockSums = dst + subBlockSumsOffset(blocks: blocks)
        for b in 0..<blocks {
            scales[b] = block.loadUnaligned(as: Float.self)
            for run in 0..<8 {
                storeLaneForm(signedBytes: block.loadUnaligned(fromByteOffset: 4 + 32 * run, as: SIMD16<Int16>.self), to: lanes + 64 * run)
            }
            let sixteens = block.loadUnaligned(fromByteOffset: 260, as: SIMD16<Int16>.self)
            bsums.storeBytes(of: sixteens, as: SIMD16<Int16>.self)
            let pairs = unsafeBitCast(sixteens, to: SIMD8<Int32>.self)
            for s in 0..<8 {
                subBlockSums.storeBytes(of: Int16(truncatingIfNeeded: (pairs[s] &<< 16) &>> 16 &+ pairs[s] &>> 16),
                                        toByteOffset: 2 * s, as: Int16.self)
            }
            block += 292
            lanes += 512
            bsums += 32
            subBlockSums += 16
        }
    }
}

/// f32 and f16 rows: plain floats (f16 widened exactly).
enum PreparedFloats {
    static func bytes(count: Int) -> Int { count * 4 }

    static func prepare(halves src: UnsafeRawPointer, into dst: UnsafeMutableRawPointer, count: Int) {
        widenHalves(src, into: dst.assumingMemoryBound(to: Float.self), count: count)
    }

    static func prepare(floats src: UnsafeRawPointer, into dst: UnsafeMutableRawPointer, count: Int) {
        dst.copyMemory(from: src, byteCount: count * 4)
    }
}

/// f16 values to floats, exactly; a plain loop, which LLVM turns into `vcvtph2ps` from memory.
func widenHalves(_ src: UnsafeRawPointer, into dst: UnsafeMutablePointer<Float>, count: Int) {
    let halves = src.assumingMemoryBound(to: UInt16.self)
    for i in 0..<count {
        dst[i] = Float(fp16Bits: halves[i])
    }
}
