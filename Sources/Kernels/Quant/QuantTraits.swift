import GGUF

/// One tensor type's scalar reference routines: Kernels' counterpart of ggml's `type_traits`
/// (`to_float`, the reference quantizer) and `type_traits_cpu` (`from_float`, `vec_dot`,
/// `vec_dot_type`). Every row function takes a value count that is a whole number of blocks.
struct QuantTraits: Sendable {
    typealias DequantizeRow = @Sendable (UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void
    typealias QuantizeRow = @Sendable (UnsafePointer<Float>, UnsafeMutableRawPointer, Int) -> Void

    /// A weight type's dot product against a row of its activation type.
    struct Dot: Sendable {
        var activationType: GGMLType
        var row: @Sendable (UnsafeRawPointer, UnsafeRawPointer, Int) -> Float
    }

    var dequantize: DequantizeRow
    /// ggml's reference quantizer, as used to write model files.
    var quantize: QuantizeRow?
    /// The CPU backend's `from_float`, for the types activations are quantized to.
    var quantizeActivation: QuantizeRow?
    var dot: Dot?

    /// The table, one entry per supported type, like ggml's `type_traits_cpu`.
    static let table: [GGMLType: QuantTraits] = [
        .f32: QuantTraits(dequantize: rows(BlockF32.self), quantizeActivation: activationRows(BlockF32.self), dot: dot(BlockF32.self)),
        .f16: QuantTraits(dequantize: rows(BlockF16.self), quantize: quantizedRows(BlockF16.self),
                          quantizeActivation: activationRows(BlockF16.self), dot: dot(BlockF16.self)),
        .bf16: QuantTraits(dequantize: rows(BlockBF16.self), quantize: quantizedRows(BlockBF16.self),
                           quantizeActivation: activationRows(BlockBF16.self), dot: dot(BlockBF16.self)),
        .q4_0: QuantTraits(dequantize: rows(BlockQ4_0.self), quantize: quantizedRows(BlockQ4_0.self), dot: dot(BlockQ4_0.self)),
        .q4_1: QuantTraits(dequantize: rows(BlockQ4_1.self), quantize: quantizedRows(BlockQ4_1.self), dot: dot(BlockQ4_1.self)),
        .q5_0: QuantTraits(dequantize: rows(BlockQ5_0.self), quantize: quantizedRows(BlockQ5_0.self), dot: dot(BlockQ5_0.self)),
        .q5_1: QuantTraits(dequantize: rows(BlockQ5_1.self), dot: dot(BlockQ5_1.self)),
        .q8_0: QuantTraits(dequantize: rows(BlockQ8_0.self), quantize: quantizedRows(BlockQ8_0.self),
                           quantizeActivation: activationRows(BlockQ8_0.self), dot: dot(BlockQ8_0.self)),
        .q8_1: QuantTraits(dequantize: rows(BlockQ8_1.self), quantizeActivation: activationRows(BlockQ8_1.self)),
        .q2_K: QuantTraits(dequantize: rows(BlockQ2_K.self), dot: dot(BlockQ2_K.self)),
        .q3_K: QuantTraits(dequantize: rows(BlockQ3_K.self), dot: dot(BlockQ3_K.self)),
        .q4_K: QuantTraits(dequantize: rows(BlockQ4_K.self), quantize: quantizedRows(BlockQ4_K.self), dot: dot(BlockQ4_K.self)),
        .q5_K: QuantTraits(dequantize: rows(BlockQ5_K.self), dot: dot(BlockQ5_K.self)),
        .q6_K: QuantTraits(dequantize: rows(BlockQ6_K.self), quantize: quantizedRows(BlockQ6_K.self), dot: dot(BlockQ6_K.self)),
        .q8_K: QuantTraits(dequantize: rows(BlockQ8_K.self), quantize: quantizedRows(BlockQ8_K.self),
                           quantizeActivation: activationRows(BlockQ8_K.self)),
        .iq4_nl: QuantTraits(dequantize: rows(BlockIQ4_NL.self), dot: dot(BlockIQ4_NL.self)),
        .iq4_xs: QuantTraits(dequantize: rows(BlockIQ4_XS.self), dot: dot(BlockIQ4_XS.self)),
        .mxfp4: QuantTraits(dequantize: rows(BlockMXFP4.self), dot: dot(BlockMXFP4.self)),
        .tq1_0: QuantTraits(dequantize: rows(BlockTQ1_0.self), dot: dot(BlockTQ1_0.self)),
        .tq2_0: QuantTraits(dequantize: rows(BlockTQ2_0.self), dot: dot(BlockTQ2_0.self)),
    ]

    init(dequantize: @escaping DequantizeRow, quantize: QuantizeRow? = nil, quantizeActivation: QuantizeRow? = nil, dot: Dot? = nil) {
        self.dequantize = dequantize
        self.quantize = quantize
        self.quantizeActivation = quantizeActivation
        self.dot = dot
    }

    // Each builder pins a block type into a row function, so every entry is specialized.

    private static func rows<B: QuantBlock>(_: B.Type) -> DequantizeRow {
        precondition(MemoryLayout<B>.stride == B.ggmlType.blockBytes, "\(B.self) does not match ggml's block size")
        return { src, dst, count in dequantizeRow(B.self, src, dst, count: count) }
    }

    private static func quantizedRows<B: ReferenceQuantizable>(_: B.Type) -> QuantizeRow {
        { src, dst, count in quantizeRow(B.self, src, dst, count: count) }
    }

    private static func activationRows<B: ActivationBlock>(_: B.Type) -> QuantizeRow {
        { src, dst, count in quantizeActivationRow(B.self, src, dst, count: count) }
    }

    private static func dot<B: DotBlock>(_: B.Type) -> Dot {
        Dot(activationType: B.Activation.ggmlType) { weights, activations, count in
            dotRow(B.self, weights, activations, count: count)
        }
    }
}

extension GGMLType {
    /// The type ggml's CPU matmul quantizes activations to before its dot product with weights
    /// of this type (`vec_dot_type`), or nil where Kernels has no dot product for this type.
    public var vecDotType: GGMLType? {
        QuantTraits.table[self]?.dot?.activationType
    }

    /// Whether `dequantize` accepts this type.
    public var canDequantize: Bool {
        QuantTraits.table[self] != nil
    }
}
