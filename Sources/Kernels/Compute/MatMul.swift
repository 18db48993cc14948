import CKernels
import GGUF

/// A 2-D weight tensor viewed in place: `rows` rows of `cols` values of `type`, row after row
/// (ggml's `ne[0]` is `cols`). The memory belongs to whoever made the view (usually a GGUF mapping).
public struct WeightMatrix: @unchecked Sendable {
    public let type: GGMLType
    public let rows: Int
    public let cols: Int
    public let data: UnsafeRawPointer
    public let rowBytes: Int

    /// Fails when Kernels cannot multiply this type or a row is not whole blocks.
    public init(type: GGMLType, rows: Int, cols: Int, data: UnsafeRawPointer) throws(KernelsError) {
        guard QuantTraits.table[type]?.dot != nil else { throw .unsupported(type, .dot) }
        guard let rowBytes = type.byteCount(values: cols) else { throw .notWholeBlocks(type, values: cols) }
        self.type = type
        self.rows = rows
        self.cols = cols
        self.data = data
        self.rowBytes = rowBytes
    }

    public func row(_ r: Int) -> UnsafeRawPointer { data + r * rowBytes }
}

/// Buffers reused across matmuls: the activations in kernel form, and each thread's unpacked
/// weight rows and quantization row.
public final class MatMulScratch: @unchecked Sendable {
    private(set) var buffer: UnsafeMutableRawPointer
    private var capacity: Int

    public init() {
        capacity = 1 << 16
        buffer = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit { buffer.deallocate() }

    func reserve(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes > capacity {
            buffer.deallocate()
            capacity = bytes
            buffer = .allocate(byteCount: capacity, alignment: 64)
        }
        return buffer
    }
}

/// Matrix × activations, the way ggml's CPU backend computes `mul_mat`: each activation row is
/// quantized once to the weight type's `vecDotType`, then every output is one row dot product,
/// bit for bit ggml's x86 `vec_dot` (RowDotKernel).
///
/// Each thread takes a contiguous range of weight rows (ThreadPool.parallelFor's split). With
/// several tokens it walks the range in tiles: it unpacks a tile's rows into kernel form once,
/// then computes the tile's outputs token by token, so every unpacked row serves all tokens from
/// cache and every prepared activation row serves the whole tile from L1. With one token the
/// C decode kernels (DecodeKernels) read rows as stored against the activation row in ggml's
/// layout, four rows per step sharing each activation load (a few tokens take the same kernels
/// over chunks of rows small enough to stay in cache); types without one read rows as
/// stored too, unpacked pair by pair. Otherwise rows go to the kernel in pairs, so kernels bound
/// by one accumulator chain can run two.
public enum MatMul {
    /// Weight rows unpacked together when there are several tokens: enough to reuse each
    /// activation row several times, few enough (about 70 KB of kernel form at 4096 columns)
    /// to stay in L2 next to the activations.
    static let tileRows = 8

    /// `y[t][r] = W[r] · x[t]` for `t` in `0..<tokens`: `x` is tokens × cols, `y` is tokens × rows.
    public static func multiply(
        _ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into y: UnsafeMutablePointer<Float>,
        pool: ThreadPool, scratch: MatMulScratch
    ) {
        // One switch per matmul picks a specialization of the whole driver for the weight type.
        switch w.type {
        case .f32: multiply(DotF32.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        case .f16: multiply(DotF16.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        case .q4_0: multiply(DotQ4_0.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        case .q4_1: multiply(DotQ4_1.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        case .q5_0: multiply(DotQ5_0.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        case .q8_0: multiply(DotQ8_0.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        case .q4_K: multiply(DotQ4_K.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        case .q5_K: multiply(DotQ5_K.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        case .q6_K: multiply(DotQ6_K.self, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        default: multiplyByReference(w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
        }
    }

    /// Several matrices over the same input (q, k and v; gate and up), `products[i].into` getting
    /// `weights` × `x` as `multiply` computes it. For one token with C kernels for every type the
    /// input is quantized once per activation type and all the products share one dispatch to the
    /// pool, each thread taking its share of every matrix's rows (a decode step otherwise spends
    /// a handoff and a quantization per matrix); otherwise each goes through `multiply`.
    ///
    /// `finishing`, when given, runs on the outputs' rows in parallel once they are computed:
    /// every thread calls it with the output rows it computed of every product (the same range in
    /// each, so the products must have equal row counts), right after its share of the products,
    /// without waiting for the other threads (a gated FFN's GLU, which a decode step otherwise
    /// runs on one thread while the others wait). It must touch only those rows, of every token.
    public static func multiply(
        _ products: [(weights: WeightMatrix, into: UnsafeMutablePointer<Float>)], _ x: UnsafePointer<Float>, tokens: Int,
        pool: ThreadPool, scratch: MatMulScratch, finishing: ((_ rows: Range<Int>) -> Void)? = nil
    ) {
        let kernels = products.map { DecodeKernels.kernel(for: $0.weights.type) }
        let cols = products.first?.weights.cols ?? 0
        let rows = products.first?.weights.rows ?? 0
        precondition(finishing == nil || products.allSatisfy { $0.weights.rows == rows }, "finishing needs products of equal row counts")
        guard tokens == 1, products.count > 1, kernels.allSatisfy({ $0 != nil }), products.allSatisfy({ $0.weights.cols == cols }) else {
            for product in products {
                multiply(product.weights, x, tokens: tokens, into: product.into, pool: pool, scratch: scratch)
            }
            if let finishing { pool.parallelFor(rows, finishing) }
            return
        }
        // One activation row per distinct activation type, in order of first use.
        var activationTypes: [GGMLType] = []
        for product in products {
            let type = product.weights.type.vecDotType!
            if !activationTypes.contains(type) { activationTypes.append(type) }
        }
        let rowBytes = activationTypes.map { rounded($0.byteCount(values: cols)!) }
        let buffer = scratch.reserve(rowBytes.reduce(0, +))
        var rowOffsets: [Int] = []
        var offset = 0
        for (type, bytes) in zip(activationTypes, rowBytes) {
            DecodeKernels.activationQuantizer(for: type)(x, buffer + offset, cols)
            rowOffsets.append(offset)
            offset += bytes
        }
        let activations = products.map { UnsafeRawPointer(buffer + rowOffsets[activationTypes.firstIndex(of: $0.weights.type.vecDotType!)!]) }
        pool.run { thread, threads in
            for i in products.indices {
                let w = products[i].weights
                let start = w.rows * thread / threads, end = w.rows * (thread + 1) / threads
                if start < end {
                    kernels[i]!(Int32(cols), w.row(start), w.rowBytes, Int32(end - start), activations[i], products[i].into + start)
                }
            }
            let start = rows * thread / threads, end = rows * (thread + 1) / threads
            if let finishing, start < end { finishing(start..<end) }
        }
    }

    /// Copies row `index` of a weight matrix into `out` as floats (an embedding lookup, ggml's `get_rows`).
    public static func dequantizeRow(_ w: WeightMatrix, _ index: Int, into out: UnsafeMutablePointer<Float>) {
        QuantTraits.table[w.type]!.dequantize(w.row(index), out, w.cols)
    }

    static func multiply<K: RowDotKernel>(
        _: K.Type, _ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into y: UnsafeMutablePointer<Float>,
        pool: ThreadPool, scratch: MatMulScratch
    ) {
        if tokens <= fewTokens, let kernel = DecodeKernels.kernel(for: K.weightType) {
            multiplyFewTokens(kernel, activationType: K.activationType, w, x, tokens: tokens, into: y, pool: pool, scratch: scratch)
            return
        }
        let rows = w.rows, cols = w.cols
        let quantizeRow = DecodeKernels.activationQuantizer(for: K.activationType)
        let quantizedBytes = rounded(K.activationType.byteCount(values: cols)!)
        let preparedBytes = rounded(K.preparedBytes(count: cols))
        let unpackedBytes = rounded(K.unpackedBytes(count: cols))
        let threadBytes = quantizedBytes + tileRows * unpackedBytes
        let base = scratch.reserve(tokens * preparedBytes + pool.threadCount * threadBytes)
        let prepared = base, threadScratch = base + tokens * preparedBytes

        // Activations: quantized as ggml does (the exactness hinges on it), then put in kernel form.
        pool.run { thread, threads in
            let quantized = threadScratch + thread * threadBytes
            for t in tokens * thread / threads..<tokens * (thread + 1) / threads {
                quantizeRow(x + t * cols, quantized, cols)
                K.prepare(quantized, into: prepared + t * preparedBytes, count: cols)
            }
        }
        if tokens == 1 {
            // One token: each weight row meets one activation row, so rows go to the kernel as
            // stored, two at a time (RowDotKernel.dot(stored:)).
            pool.run { thread, threads in
                let unpackScratch = threadScratch + thread * threadBytes + quantizedBytes
                let activations = UnsafeRawPointer(prepared)
                var r = rows * thread / threads
                let end = rows * (thread + 1) / threads
                while r + 1 < end {
                    (y[r], y[r + 1]) = K.dot(stored: w.row(r), w.row(r + 1), activations, count: cols, scratch: unpackScratch)
                    r += 2
                }
                if r < end {
                    y[r] = K.dot(stored: w.row(r), activations, count: cols, scratch: unpackScratch)
                }
            }
            return
        }
        if let tiles = DecodeKernels.tilesKernel(for: K.weightType) {
            // The same tiles, their products computed in C (register tiles of rows × tokens).
            pool.run { thread, threads in
                let unpackScratch = threadScratch + thread * threadBytes + quantizedBytes
                var tileStart = rows * thread / threads
                let end = rows * (thread + 1) / threads
                while tileStart < end {
                    let tile = min(tileRows, end - tileStart)
                    // These types always unpack into the scratch, row after row.
                    for i in 0..<tile {
                        _ = K.unpack(w.row(tileStart + i), into: unpackScratch + i * unpackedBytes, count: cols)
                    }
                    tiles(Int32(cols), unpackScratch, unpackedBytes, Int32(tile), prepared, preparedBytes, Int32(tokens),
                          y + tileStart, rows)
                    tileStart += tile
                }
            }
            return
        }
        pool.run { thread, threads in
            let unpackScratch = threadScratch + thread * threadBytes + quantizedBytes
            var unpacked = InlineArray<8, UnsafeRawPointer>(repeating: UnsafeRawPointer(unpackScratch))
            var tileStart = rows * thread / threads
            let end = rows * (thread + 1) / threads
            while tileStart < end {
                let tile = min(tileRows, end - tileStart)
                for i in 0..<tile {
                    unpacked[i] = K.unpack(w.row(tileStart + i), into: unpackScratch + i * unpackedBytes, count: cols)
                }
                for t in 0..<tokens {
                    let activations = UnsafeRawPointer(prepared + t * preparedBytes)
                    let out = y + t * rows + tileStart
                    var i = 0
                    while i + 1 < tile {
                        (out[i], out[i + 1]) = K.dot(unpacked[i], unpacked[i + 1], activations, count: cols)
                        i += 2
                    }
                    if i < tile {
                        out[i] = K.dot(unpacked[i], activations, count: cols)
                    }
                }
                tileStart += tile
            }
        }
    }

    /// Up to this many tokens (a decode step, or one token of each of several sequences) go
    /// through the C decode kernels, which read weight rows as stored; more are a prompt, for the
    /// tiles of unpacked rows.
    static let fewTokens = 8

    /// Bytes of weight rows a thread takes at once when several tokens meet them: small enough to
    /// stay in L1 (64 KB here, half kept for activations and outputs) while every token's
    /// activation row passes over them, so each weight byte comes from DRAM once per matmul.
    static let fewTokenChunkBytes = 32 << 10

    /// A few tokens through the C kernels (DecodeKernels): each activation row quantized once in
    /// ggml's layout, then each thread takes its range of rows, through the type's several-token
    /// kernel (each weight block unpacked once for all tokens) where there is one, else walking
    /// the rows in chunks and running every token over a chunk before the next. Each output is
    /// the very dot product a single token gets.
    static func multiplyFewTokens(
        _ kernel: ck_rows_kernel, activationType: GGMLType, _ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int,
        into y: UnsafeMutablePointer<Float>, pool: ThreadPool, scratch: MatMulScratch
    ) {
        let rowBytes = rounded(activationType.byteCount(values: w.cols)!)
        let activations = scratch.reserve(tokens * rowBytes)
        let quantize = DecodeKernels.activationQuantizer(for: activationType)
        if tokens == 1 {
            quantize(x, activations, w.cols)
        } else {
            // Several rows: split over the threads, which would otherwise wait for one of them.
            pool.run { thread, threads in
                for t in tokens * thread / threads..<tokens * (thread + 1) / threads {
                    quantize(x + t * w.cols, activations + t * rowBytes, w.cols)
                }
            }
        }
        if tokens > 1, let several = DecodeKernels.tokensKernel(for: w.type) {
            pool.run { thread, threads in
                let start = w.rows * thread / threads, end = w.rows * (thread + 1) / threads
                if start < end {
                    several(Int32(w.cols), w.row(start), w.rowBytes, Int32(end - start), activations, rowBytes, Int32(tokens),
                            y + start, w.rows)
                }
            }
            return
        }
        let chunk = tokens == 1 ? w.rows : max(4, fewTokenChunkBytes / w.rowBytes & ~3)
        pool.run { thread, threads in
            var start = w.rows * thread / threads
            let end = w.rows * (thread + 1) / threads
            while start < end {
                let rows = min(chunk, end - start)
                for t in 0..<tokens {
                    kernel(Int32(w.cols), w.row(start), w.rowBytes, Int32(rows), activations + t * rowBytes, y + t * w.rows + start)
                }
                start += rows
            }
        }
    }

    /// Types without a kernel: the scalar reference, one row dot at a time.
    static func multiplyByReference(
        _ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into y: UnsafeMutablePointer<Float>,
        pool: ThreadPool, scratch: MatMulScratch
    ) {
        let dot = QuantTraits.table[w.type]!.dot!
        let actRowBytes = dot.activationType.byteCount(values: w.cols)!
        let quantizeRow = QuantTraits.table[dot.activationType]!.quantizeActivation!
        let xq = scratch.reserve(actRowBytes * tokens)
        pool.parallelFor(tokens) { range in
            for t in range { quantizeRow(x + t * w.cols, xq + t * actRowBytes, w.cols) }
        }
        let rows = w.rows, cols = w.cols
        pool.parallelFor(rows) { range in
            for r in range {
                let row = w.row(r)
                for t in 0..<tokens {
                    y[t * rows + r] = dot.row(row, xq + t * actRowBytes, cols)
                }
            }
        }
    }

    /// Byte counts rounded up to whole cache lines, so every scratch row starts on one.
    private static func rounded(_ bytes: Int) -> Int { (bytes + 63) & ~63 }
}
