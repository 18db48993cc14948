import GGUF
import Kernels
import Testing

@Suite("Quantizer edge cases")
struct QuantizerEdgeCaseTests {
    private func encode(_ type: GGMLType, _ values: [Float], activation: Bool = false) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0xAA, count: try #require(type.byteCount(values: values.count)))
        try values.withUnsafeBufferPointer { src in
            try bytes.withUnsafeMutableBytes { dst in
                if activation {
                    try quantizeActivation(type, src, into: dst)
                } else {
                    try quantize(type, src, into: dst)
                }
            }
        }
        return bytes
    }

    /// With amax = 127 both q8_0 quantizers scale by exactly 1, so ±2.5 and 0.5 are ties.
    @Test("q8_0: the model-file quantizer rounds ties away from zero, the activation one to even")
    func q8_0TieRounding() throws {
        var x = [Float](repeating: 0, count: 32)
        x[0] = 127
        x[1] = 2.5
        x[2] = -2.5
        x[3] = 0.5
        let weight = try encode(.q8_0, x)
        let activation = try encode(.q8_0, x, activation: true)
        #expect(weight[0..<2] == [0x00, 0x3C] && activation[0..<2] == [0x00, 0x3C])  // d = 1.0
        #expect(weight[2..<6].map { Int8(bitPattern: $0) } == [127, 3, -3, 1])
        #expect(activation[2..<6].map { Int8(bitPattern: $0) } == [127, 2, -2, 0])
    }

    @Test("q8_K: an all-zero block is all zero bytes")
    func q8KZeroBlock() throws {
        #expect(try encode(.q8_K, [Float](repeating: 0, count: 256)).allSatisfy { $0 == 0 })
    }

    /// 256 values with NaN, infinities, the largest float, a subnormal and -0 among them.
    private static let unruly: [Float] = {
        var x = (0..<256).map { Float($0 % 7) - 3 }
        let specials: [Float] = [.nan, .infinity, -.infinity, .greatestFiniteMagnitude, 1e-40, -0.0]
        for (i, special) in specials.enumerated() {
            x[37 * i + 5] = special
        }
        return x
    }()

    @Test("Non-finite input goes through the reference quantizers without trapping",
          arguments: [GGMLType.f16, .bf16, .q4_0, .q4_1, .q5_0, .q8_0, .q4_K, .q6_K, .q8_K])
    func nonFiniteReferenceInput(type: GGMLType) throws {
        #expect(try encode(type, Self.unruly).count == type.byteCount(values: 256))
    }

    @Test("Non-finite input goes through the activation quantizers without trapping",
          arguments: [GGMLType.f32, .f16, .bf16, .q8_0, .q8_1, .q8_K])
    func nonFiniteActivationInput(type: GGMLType) throws {
        #expect(try encode(type, Self.unruly, activation: true).count == type.byteCount(values: 256))
    }
}
