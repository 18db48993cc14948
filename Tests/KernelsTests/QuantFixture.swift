import GGUF
import Kernels
import TestSupport

/// shared/fixtures/quant/quant-types.gguf (see its README): ggml's own quantized weights,
/// dequantizations, activation quantizations and dot products for 17 types, 8 rows of 512.
enum QuantFixture {
    /// The types the fixture holds, in its order (`quantfix.types`).
    static let types: [GGMLType] = [
        .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K,
        .iq4_nl, .iq4_xs, .mxfp4, .tq1_0, .tq2_0,
    ]
    static let rowLength = 512
    static let rowCount = 8
    /// The row of `source` that is all zeros.
    static let zeroRow = 6

    private static let opened = Result { try GGUFFile(path: TestPaths.quantFixture) }

    static func file() throws -> GGUFFile { try opened.get() }

    /// The bytes of tensor `name`; they stay valid for the life of the test process.
    static func bytes(_ name: String) throws -> UnsafeRawBufferPointer {
        let file = try file()
        guard let info = file.tensor(named: name) else { throw FixtureError("quant fixture has no tensor \(name)") }
        return file.data(for: info)
    }

    /// An f32 tensor's values.
    static func floats(_ name: String) throws -> [Float] {
        let raw = try bytes(name)
        return (0..<raw.count / 4).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The values of `count` values of `type` held in `bytes`, decoded with Kernels.
func dequantized(_ type: GGMLType, _ bytes: UnsafeRawBufferPointer, count: Int) throws -> [Float] {
    var values = [Float](repeating: .nan, count: count)
    try values.withUnsafeMutableBufferPointer { try dequantize(type, bytes, into: $0) }
    return values
}
