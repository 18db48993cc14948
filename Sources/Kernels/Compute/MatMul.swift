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

/// Buffers reused across matmuls for activations quantized to a weight's `vecDotType`.
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
/// quantized once to the weight type's `vecDotType`, then every output is one row dot product
/// (integer sums inside blocks for quantized types).
public enum MatMul {
    /// `y[t][r] = W[r] · x[t]` for `t` in `0..<tokens`: `x` is tokens × cols, `y` is tokens × rows.
    public static func multiply(
        _ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, into y: UnsafeMutablePointer<Float>,
        pool: ThreadPool, scratch: MatMulScratch
    ) {
        let dot = QuantTraits.table[w.type]!.dot!
        let actType = dot.activationType
        let actRowBytes = actType.byteCount(values: w.cols)!
        let quantizeRow = QuantTraits.table[actType]!.quantizeActivation!
        let xq = scratch.reserve(actRowBytes * tokens)
        pool.parallelFor(tokens) { range in
            for t in range { quantizeRow(x + t * w.cols, xq + t * actRowBytes, w.cols) }
        }
        let rowDot = RowDots.kernel(for: w.type)
        let rows = w.rows, cols = w.cols
        pool.parallelFor(rows) { range in
            for r in range {
                let row = w.row(r)
                for t in 0..<tokens {
                    y[t * rows + r] = rowDot(row, xq + t * actRowBytes, cols)
                }
            }
        }
    }

    /// Copies row `index` of a weight matrix into `out` as floats (an embedding lookup, ggml's `get_rows`).
    public static func dequantizeRow(_ w: WeightMatrix, _ index: Int, into out: UnsafeMutablePointer<Float>) {
        QuantTraits.table[w.type]!.dequantize(w.row(index), out, w.cols)
    }
}

/// The row dot product used for each weight type: the optimized kernel where one exists, else the
/// scalar reference. Tests hold every optimized kernel to its reference.
enum RowDots {
    typealias Kernel = (_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, _ count: Int) -> Float

    static func kernel(for type: GGMLType) -> Kernel {
        if let kernel = RowDotKernels.kernel(for: type) {
            return { kernel.dot($0, $1, count: $2) }
        }
        return QuantTraits.table[type]!.dot!.row
    }
}
