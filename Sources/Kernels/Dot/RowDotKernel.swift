import GGUF

/// A weight type's row dot product with a row of its activation type (ggml's `vec_dot` with
/// `vec_dot_type`), bit for bit as ggml's x86 kernel built for AVX-512 + VNNI computes it: the
/// same integer lanes, the same float products, fused where ggml fuses, summed in its order.
/// That equality is the point: a one-ulp difference here flips activation roundings downstream.
///
/// Both rows are first put in the kernel's own form (DotLanes.swift): `unpack` for weight rows,
/// `prepare` for activation rows in ggml's layout. MatMul does each once per row and reuses it
/// across every token or row it meets; `dot` then only loads, multiplies and accumulates.
protocol RowDotKernel {
    static var weightType: GGMLType { get }
    static var activationType: GGMLType { get }
    /// Scratch bytes for one unpacked weight row of `count` values.
    static func unpackedBytes(count: Int) -> Int
    /// Scratch bytes for one prepared activation row of `count` values.
    static func preparedBytes(count: Int) -> Int
    /// Puts a weight row in kernel form and returns where that form is: in `scratch`, or the
    /// row itself where the stored layout is already the kernel's.
    static func unpack(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int) -> UnsafeRawPointer
    /// Puts an activation row of `activationType` in kernel form.
    static func prepare(_ row: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, count: Int)
    /// The dot product of an unpacked weight row and a prepared activation row.
    static func dot(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float
    /// The dot products of two unpacked weight rows with one prepared activation row. Kernels
    /// whose one accumulator chain bounds their speed interleave the two rows' chains.
    static func dot(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> (Float, Float)
    /// The dot products of two weight rows as stored with one prepared activation row: for a
    /// single token, where each weight row meets one activation row only. By default both rows
    /// are unpacked into `scratch` (room for two unpacked rows) and go to `dot`; the f16 kernel
    /// widens each step in registers instead. (Unpacking quant blocks in registers the same way
    /// lets LLVM see through the stack buffer and trade `vpmaddwd` for slow multiply sequences.)
    static func dot(stored first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int,
                    scratch: UnsafeMutableRawPointer) -> (Float, Float)
}

enum RowDotKernels {
    /// The kernel for weights of `type`, or nil where Kernels has only the scalar reference.
    static func kernel(for type: GGMLType) -> (any RowDotKernel.Type)? {
        switch type {
        case .f32: DotF32.self
        case .f16: DotF16.self
        case .q4_0: DotQ4_0.self
        case .q4_1: DotQ4_1.self
        case .q5_0: DotQ5_0.self
        case .q8_0: DotQ8_0.self
        case .q4_K: DotQ4_K.self
        case .q5_K: DotQ5_K.self
        case .q6_K: DotQ6_K.self
        default: nil
        }
    }
}

extension RowDotKernel {
    static func dot(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> (Float, Float) {
        (dot(first, activations, count: count), dot(second, activations, count: count))
    }

    /// The dot product of one stored weight row with a prepared activation row (unpacked into
    /// `scratch` first).
    static func dot(stored row: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int, scratch: UnsafeMutableRawPointer) -> Float {
        dot(unpack(row, into: scratch, count: count), activations, count: count)
    }

    static func dot(stored first: UnsafeRawPointer, _ second: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int,
                    scratch: UnsafeMutableRawPointer) -> (Float, Float) {
        let rowBytes = unpackedBytes(count: count)
        return dot(unpack(first, into: scratch, count: count), unpack(second, into: scratch + rowBytes, count: count), activations, count: count)
    }

    /// One dot product of rows in ggml's layouts, through scratch of its own.
    static func dotOfLayouts(_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, count: Int) -> Float {
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: preparedBytes(count: count) + 2 * unpackedBytes(count: count), alignment: 64)
        defer { scratch.deallocate() }
        prepare(activations, into: scratch, count: count)
        return dot(stored: weights, scratch, count: count, scratch: scratch + preparedBytes(count: count))
    }
}

/// The dot product of a weight row of `type` with an activation row of `type.vecDotType`,
/// `count` values each, exactly as ggml's x86 CPU backend computes it where Kernels has a
/// kernel for the type (`RowDotKernels`), else the scalar reference (`dotReference`).
public func dot(
    _ type: GGMLType, weightRow: UnsafeRawBufferPointer, activationRow: UnsafeRawBufferPointer, count: Int
) throws(KernelsError) -> Float {
    guard let kernel = RowDotKernels.kernel(for: type) else {
        return try dotReference(type, weightRow: weightRow, activationRow: activationRow, count: count)
    }
    try checkByteCount(type, values: count, bytes: weightRow.count)
    try checkByteCount(kernel.activationType, values: count, bytes: activationRow.count)
    guard let weights = weightRow.baseAddress, let activations = activationRow.baseAddress else { return 0 }
    return kernel.dotOfLayouts(weights, activations, count: count)
}
