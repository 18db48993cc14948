import GGUF
import Kernels
import Testing

/// The row dot kernels against ggml's own `vec_dot` results in quant-types.gguf: bit for bit.
@Suite("Row dot kernels against ggml")
struct DotFixtureTests {
    /// The fixture's types that have a kernel reproducing ggml's x86 order.
    static let exactTypes: [GGMLType] = [.f16, .q4_0, .q4_1, .q5_0, .q8_0, .q4_K, .q5_K, .q6_K]

    @Test("Every row's dot is bit-identical to ggml's vec_dot", arguments: exactTypes)
    func dotsAreBitIdentical(type: GGMLType) throws {
        let n = QuantFixture.rowLength
        let weights = try QuantFixture.bytes("\(type.name).weight")
        let activations = try QuantFixture.bytes("\(type.name).xq")
        let ggml = try QuantFixture.floats("\(type.name).dot")
        let rowBytes = weights.count / QuantFixture.rowCount
        for row in 0..<QuantFixture.rowCount {
            let weightRow = UnsafeRawBufferPointer(rebasing: weights[row * rowBytes..<(row + 1) * rowBytes])
            let mine = try dot(type, weightRow: weightRow, activationRow: activations, count: n)
            #expect(mine.bitPattern == ggml[row].bitPattern, "row \(row): \(mine) vs ggml \(ggml[row])")
        }
    }

    /// The twin is the readable statement of ggml's order the kernels are held to on random data,
    /// so it must itself reproduce ggml.
    @Test("The scalar order twin is bit-identical to ggml's vec_dot", arguments: exactTypes)
    func orderTwinIsBitIdentical(type: GGMLType) throws {
        let weights = try QuantFixture.bytes("\(type.name).weight")
        let activations = try QuantFixture.bytes("\(type.name).xq")
        let ggml = try QuantFixture.floats("\(type.name).dot")
        let rowBytes = weights.count / QuantFixture.rowCount
        for row in 0..<QuantFixture.rowCount {
            let twin = DotOrderTwin.dot(type, weights.baseAddress! + row * rowBytes, activations.baseAddress!, count: QuantFixture.rowLength)
            #expect(twin.bitPattern == ggml[row].bitPattern, "row \(row): \(twin) vs ggml \(ggml[row])")
        }
    }
}
