import GGUF

/// Scalar restatements of the float order of ggml's x86 `vec_dot` kernels (AVX-512 + VNNI
/// build), one lane at a time, written from the block layouts rather than from the SIMD code,
/// so the kernels can be held to exact equality on any data, not only the fixture's 8 rows.
/// Integer parts are exact in any order; what matters is which integers each float lane gets,
/// and the float steps after that.
enum DotOrderTwin {
    static func dot(_ type: GGMLType, _ w: UnsafeRawPointer, _ a: UnsafeRawPointer, count: Int) -> Float {
        switch type {
        case .q8_0: blocks32(w, a, count, weightBytes: 34, activationBytes: 34) { w, j in Int32(w.load(fromByteOffset: 2 + j, as: Int8.self)) }
        case .q4_0: blocks32(w, a, count, weightBytes: 18, activationBytes: 34) { w, j in nibble(w + 2, j) - 8 }
        case .q5_0: blocks32(w, a, count, weightBytes: 22, activationBytes: 34) { w, j in
            nibble(w + 6, j) + 16 * Int32((w.loadUnaligned(fromByteOffset: 2, as: UInt32.self) >> UInt32(j)) & 1) - 16
        }
        case .q4_1: q4_1(w, a, count)
        case .q4_K: kQuant(w, a, count, fifthBits: false)
        case .q5_K: kQuant(w, a, count, fifthBits: true)
        case .q6_K: q6_K(w, a, count)
        case .f32: f32(w, a, count)
        case .f16: f16(w, a, count)
        default: fatalError("no order twin for \(type)")
        }
    }

    // MARK: shared pieces

    static func half(_ p: UnsafeRawPointer, _ offset: Int = 0) -> Float {
        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// `hsum_float_8`: ((0+4) + (2+6)) + ((1+5) + (3+7)).
    static func sum8(_ v: [Float]) -> Float {
        ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]))
    }

    /// `_mm512_reduce_add_ps`: lane i + lane i+8 first, then as `hsum_float_8`.
    static func sum16(_ v: [Float]) -> Float {
        sum8((0..<8).map { v[$0] + v[$0 + 8] })
    }

    /// Level j (0..<32) of 4-bit quants packed as in q4_0: low nibbles first, then high nibbles.
    static func nibble(_ qs: UnsafeRawPointer, _ j: Int) -> Int32 {
        let byte = qs.load(fromByteOffset: j % 16, as: UInt8.self)
        return Int32(j < 16 ? byte & 0x0F : byte >> 4)
    }

    static func activation(_ qs: UnsafeRawPointer, _ j: Int) -> Int32 {
        Int32(qs.load(fromByteOffset: j, as: Int8.self))
    }

    /// Eight lanes of a 32-value block: lane k sums the products of values 4k..<4k+4.
    static func lanes32(_ weight: (Int) -> Int32, _ act: (Int) -> Int32) -> [Int32] {
        (0..<8).map { k in (4 * k..<4 * k + 4).reduce(Int32(0)) { $0 + weight($1) * act($1) } }
    }

    /// The q8_0-activation kernels: per block, lane floats fused with d_w·d_a into eight lanes.
    static func blocks32(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, _ count: Int, weightBytes: Int, activationBytes: Int,
                         level: (UnsafeRawPointer, Int) -> Int32) -> Float {
        var acc = [Float](repeating: 0, count: 8)
        for b in 0..<count / 32 {
            let wb = w + b * weightBytes, ab = a + b * activationBytes
            let d = half(wb) * half(ab)
            let lanes = lanes32({ level(wb, $0) }, { activation(ab + 2, $0) })
            for k in 0..<8 { acc[k] = acc[k].addingProduct(d, Float(lanes[k])) }
        }
        return sum8(acc)
    }

    static func q4_1(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, _ count: Int) -> Float {
        var acc = [Float](repeating: 0, count: 8)
        var minimums: Float = 0
        for b in 0..<count / 32 {
            let wb = w + b * 20, ab = a + b * 36
            let d = half(wb) * half(ab)
            minimums = minimums.addingProduct(half(wb, 2), half(ab, 2))
            let lanes = lanes32({ nibble(wb + 4, $0) }, { activation(ab + 4, $0) })
            for k in 0..<8 { acc[k] = acc[k].addingProduct(d, Float(lanes[k])) }
        }
        return sum8(acc) + minimums
    }

    // MARK: K-quants

    /// Sub-block s's 6-bit scale and min from the 12 packed bytes at `p`.
    static func scaleMin(_ p: UnsafeRawPointer, _ s: Int) -> (Int32, Int32) {
        func byte(_ i: Int) -> Int32 { Int32(p.load(fromByteOffset: i, as: UInt8.self)) }
        if s < 4 { return (byte(s) & 63, byte(s + 4) & 63) }
        return ((byte(s + 4) & 0x0F) | (byte(s - 4) >> 6) << 4, (byte(s + 4) >> 4) | (byte(s) >> 6) << 4)
    }

    static func bsum(_ ab: UnsafeRawPointer, _ i: Int) -> Int32 {
        Int32(ab.loadUnaligned(fromByteOffset: 260 + 2 * i, as: Int16.self))
    }

    /// q4_K and q5_K: lane k = Σ over sub-blocks s of scale[s]·(products of values 32s+4k..<32s+4k+4).
    static func kQuant(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, _ count: Int, fifthBits: Bool) -> Float {
        let blockBytes = fifthBits ? 176 : 144
        let qsOffset = fifthBits ? 48 : 16
        var acc = [Float](repeating: 0, count: 8)
        var minAcc = [Float](repeating: 0, count: 4)
        var minimums: Float = 0
        for b in 0..<count / 256 {
            let wb = w + b * blockBytes, ab = a + b * 292
            let ad = ab.loadUnaligned(as: Float.self)
            let d = ad * half(wb)
            let dmin = -ad * half(wb, 2)
            func level(_ i: Int) -> Int32 {
                let byte = wb.load(fromByteOffset: qsOffset + 32 * (i / 64) + i % 32, as: UInt8.self)
                var q = Int32(i % 64 < 32 ? byte & 0x0F : byte >> 4)
                if fifthBits, wb.load(fromByteOffset: 16 + i % 32, as: UInt8.self) & (1 << (i / 32)) != 0 { q += 16 }
                return q
            }
            var lanes = [Int32](repeating: 0, count: 8)
            for s in 0..<8 {
                let sub = lanes32({ level(32 * s + $0) }, { activation(ab + 4 + 32 * s, $0) })
                for k in 0..<8 { lanes[k] += scaleMin(wb + 4, s).0 * sub[k] }
            }
            for k in 0..<8 { acc[k] = acc[k].addingProduct(d, Float(lanes[k])) }
            let minLanes = (0..<4).map { k in
                scaleMin(wb + 4, 2 * k).1 * (bsum(ab, 4 * k) + bsum(ab, 4 * k + 1))
                    + scaleMin(wb + 4, 2 * k + 1).1 * (bsum(ab, 4 * k + 2) + bsum(ab, 4 * k + 3))
            }
            if fifthBits {
                minimums = minimums.addingProduct(dmin, Float(minLanes.reduce(0, +)))
            } else {
                for k in 0..<4 { minAcc[k] = minAcc[k].addingProduct(dmin, Float(minLanes[k])) }
            }
        }
        if fifthBits { return sum8(acc) + minimums }
        return sum8(acc) + ((minAcc[0] + minAcc[2]) + (minAcc[1] + minAcc[3]))
    }

    /// q6_K: unsigned 6-bit levels; lane k of each 32-value group gets its products times the
    /// group's 16-value sub-block scale, and lane k loses 32·(sc[2k]·bsum[2k] + sc[2k+1]·bsum[2k+1]).
    static func q6_K(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, _ count: Int) -> Float {
        var acc = [Float](repeating: 0, count: 8)
        for b in 0..<count / 256 {
            let wb = w + b * 210, ab = a + b * 292
            let d = ab.loadUnaligned(as: Float.self) * half(wb, 208)
            func scale(_ s: Int) -> Int32 { Int32(wb.load(fromByteOffset: 192 + s, as: Int8.self)) }
            func level(_ i: Int) -> Int32 {
                let h = i / 128, g = i % 128 / 32, l = i % 32
                let low = wb.load(fromByteOffset: 64 * h + 32 * (g & 1) + l, as: UInt8.self) >> (4 * (g >> 1)) & 0x0F
                let high = wb.load(fromByteOffset: 128 + 32 * h + l, as: UInt8.self) >> (2 * g) & 3
                return Int32(low | high << 4)
            }
            var lanes = [Int32](repeating: 0, count: 8)
            for g in 0..<8 {
                for k in 0..<8 {
                    for i in 32 * g + 4 * k..<32 * g + 4 * k + 4 {
                        lanes[k] += scale(i / 16) * level(i) * activation(ab + 4, i)
                    }
                }
            }
            for k in 0..<8 {
                lanes[k] -= 32 * (scale(2 * k) * bsum(ab, 2 * k) + scale(2 * k + 1) * bsum(ab, 2 * k + 1))
                acc[k] = acc[k].addingProduct(d, Float(lanes[k]))
            }
        }
        return sum8(acc)
    }

    // MARK: floats

    /// Four 16-lane accumulators: value 64t + 16j + i goes to lane i of accumulator j.
    static func steps(_ count: Int, _ product: (Int) -> (Float, Float)) -> Float {
        var acc = [[Float]](repeating: [Float](repeating: 0, count: 16), count: 4)
        for t in 0..<count / 64 {
            for j in 0..<4 {
                for i in 0..<16 {
                    let (x, y) = product(64 * t + 16 * j + i)
                    acc[j][i] = acc[j][i].addingProduct(x, y)
                }
            }
        }
        return sum16((0..<16).map { (acc[0][$0] + acc[2][$0]) + (acc[1][$0] + acc[3][$0]) })
    }

    static func f32(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, _ count: Int) -> Float {
        func pair(_ i: Int) -> (Float, Float) {
            (w.loadUnaligned(fromByteOffset: 4 * i, as: Float.self), a.loadUnaligned(fromByteOffset: 4 * i, as: Float.self))
        }
        var sum = steps(count, pair)
        let tail = count - count % 64
        for i in tail..<count {
            let (x, y) = pair(i)
            // g++'s epilogue: whole groups of 8 multiplied then added in order, the last n mod 8 fused.
            sum = i < count - count % 8 ? sum + x * y : sum.addingProduct(x, y)
        }
        return sum
    }

    static func f16(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, _ count: Int) -> Float {
        func pair(_ i: Int) -> (Float, Float) { (half(w, 2 * i), half(a, 2 * i)) }
        var sum = Double(steps(count, pair))
        for i in count - count % 64..<count {
            let (x, y) = pair(i)
            sum += Double(x * y)
        }
        return Float(sum)
    }
}
