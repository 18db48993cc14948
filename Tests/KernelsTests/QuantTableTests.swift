import GGUF
import Kernels
import Testing

/// What the dispatch table offers for each type, and the errors for what it does not.
@Suite("Tensor type table")
struct QuantTableTests {
    static let dequantizable: Set<GGMLType> = [
        .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .q2_K, .q3_K, .q4_K, .q5_K,
        .q6_K, .q8_K, .iq4_nl, .iq4_xs, .mxfp4, .tq1_0, .tq2_0,
    ]

    @Test("Exactly the documented types dequantize")
    func dequantizableTypes() {
        #expect(Set(GGMLType.allCases.filter(\.canDequantize)) == Self.dequantizable)
    }

    @Test("vec_dot types are ggml's (type_traits_cpu at 84f71294)")
    func vecDotTypes() {
        let expected: [GGMLType: GGMLType] = [
            .f32: .f32, .f16: .f16, .bf16: .bf16,
            .q4_0: .q8_0, .q5_0: .q8_0, .q8_0: .q8_0, .iq4_nl: .q8_0, .mxfp4: .q8_0,
            .q4_1: .q8_1, .q5_1: .q8_1,
            .q2_K: .q8_K, .q3_K: .q8_K, .q4_K: .q8_K, .q5_K: .q8_K, .q6_K: .q8_K,
            .iq4_xs: .q8_K, .tq1_0: .q8_K, .tq2_0: .q8_K,
        ]
        for type in GGMLType.allCases {
            #expect(type.vecDotType == expected[type], "\(type)")
        }
    }

    @Test("A type without a routine is refused, naming the type")
    func unsupportedTypes() throws {
        let bytes = [UInt8](repeating: 0, count: 66)
        var floats = [Float](repeating: 0, count: 256)
        bytes.withUnsafeBytes { src in
            floats.withUnsafeMutableBufferPointer { dst in
                #expect(throws: KernelsError.unsupported(.iq2_xxs, .dequantize)) { try dequantize(.iq2_xxs, src, into: dst) }
            }
        }
        var out = [UInt8](repeating: 0, count: 84)
        floats.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBytes { dst in
                #expect(throws: KernelsError.unsupported(.q2_K, .quantize)) { try quantize(.q2_K, src, into: dst) }
                #expect(throws: KernelsError.unsupported(.q2_K, .quantizeActivation)) { try quantizeActivation(.q2_K, src, into: dst) }
            }
        }
        out.withUnsafeBytes { row in
            #expect(throws: KernelsError.unsupported(.q8_K, .dot)) {
                try dotReference(.q8_K, weightRow: row, activationRow: row, count: 256)
            }
        }
        #expect(KernelsError.unsupported(.iq2_xxs, .dequantize).description == "iq2_xxs: no dequantization for this type")
    }

    @Test("Sizes that do not match are refused, naming the type")
    func sizeMismatches() {
        let bytes = [UInt8](repeating: 0, count: 40)
        var floats = [Float](repeating: 0, count: 64)
        bytes.withUnsafeBytes { src in
            floats.withUnsafeMutableBufferPointer { dst in
                #expect(throws: KernelsError.byteCountMismatch(.q4_0, values: 64, expectedBytes: 36, actualBytes: 40)) {
                    try dequantize(.q4_0, src, into: dst)
                }
                #expect(throws: KernelsError.notWholeBlocks(.q4_0, values: 48)) {
                    try dequantize(.q4_0, src, into: UnsafeMutableBufferPointer(rebasing: dst[0..<48]))
                }
            }
        }
        let weights = [UInt8](repeating: 0, count: 36)
        weights.withUnsafeBytes { row in
            #expect(throws: KernelsError.byteCountMismatch(.q8_0, values: 64, expectedBytes: 68, actualBytes: 36)) {
                try dotReference(.q4_0, weightRow: row, activationRow: row, count: 64)
            }
        }
        #expect(KernelsError.notWholeBlocks(.q4_K, values: 100).description
                == "q4_K: 100 values is not a whole number of 256-value blocks")
        #expect(KernelsError.byteCountMismatch(.q4_0, values: 64, expectedBytes: 36, actualBytes: 40).description
                == "q4_0: 64 values take 36 bytes, the buffer has 40")
    }

    /// q8_1 and q8_K have no ggml dequantization to compare with; their decoded values must
    /// be within about half a quantization step of what was quantized.
    @Test("q8_1 and q8_K activations decode to within half a step", arguments: [GGMLType.q8_1, .q8_K])
    func activationRoundTrip(type: GGMLType) throws {
        let x = try QuantFixture.floats("x")
        var encoded = [UInt8](repeating: 0, count: type.byteCount(values: x.count)!)
        try x.withUnsafeBufferPointer { src in
            try encoded.withUnsafeMutableBytes { try quantizeActivation(type, src, into: $0) }
        }
        let decoded = try encoded.withUnsafeBytes { try dequantized(type, $0, count: x.count) }
        for start in stride(from: 0, to: x.count, by: type.blockSize) {
            let block = start..<start + type.blockSize
            let step = x[block].map { abs($0) }.max()! / 127
            for i in block {
                #expect(abs(decoded[i] - x[i]) <= 0.6 * step, "value \(i): \(decoded[i]) vs \(x[i])")
            }
        }
    }
}
