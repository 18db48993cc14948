import GGUF
import Kernels
import Testing

/// Kernels against ggml's own output for every type in quant-types.gguf.
@Suite("ggml quant fixture")
struct QuantFixtureTests {
    @Test("The fixture holds the expected types, with ggml's vec_dot types")
    func fixtureTypesAndVecDotTypes() throws {
        let file = try QuantFixture.file()
        #expect(try file.array("quantfix.types").strings == QuantFixture.types.map(\.name))
        for type in QuantFixture.types {
            let vecDotType = try file.string("quantfix.\(type.name).vec_dot_type")
            #expect(type.vecDotType?.name == vecDotType, "\(type)")
        }
    }

    @Test("Dequantization is bit-identical to ggml's to_float", arguments: QuantFixture.types)
    func dequantizationMatchesGGML(type: GGMLType) throws {
        let count = QuantFixture.rowLength * QuantFixture.rowCount
        let mine = try dequantized(type, QuantFixture.bytes("\(type.name).weight"), count: count)
        let ggml = try QuantFixture.floats("\(type.name).dequant")
        try #require(ggml.count == count)
        let differing = (0..<count).filter { mine[$0].bitPattern != ggml[$0].bitPattern }
        if let first = differing.first {
            Issue.record("\(differing.count) of \(count) values differ; first, value \(first): \(mine[first]) vs ggml \(ggml[first])")
        }
    }

    @Test("Activation quantization is byte-identical to ggml's CPU from_float", arguments: QuantFixture.types)
    func activationQuantizationMatchesGGML(type: GGMLType) throws {
        let vecDotType = try #require(type.vecDotType)
        let x = try QuantFixture.floats("x")
        let ggml = try QuantFixture.bytes("\(type.name).xq")
        var mine = [UInt8](repeating: 0xAA, count: ggml.count)
        try x.withUnsafeBufferPointer { src in
            try mine.withUnsafeMutableBytes { try quantizeActivation(vecDotType, src, into: $0) }
        }
        #expect(mine == Array(ggml))
    }

    /// The README's test: |Δ| ≤ 1e-6·D with D = Σ_j B_j·|xq_j|, B_j the largest |weight| in
    /// the weight block holding column j.
    @Test("Reference dot products agree with ggml's vec_dot", arguments: QuantFixture.types)
    func dotProductsMatchGGML(type: GGMLType) throws {
        let n = QuantFixture.rowLength
        let vecDotType = try #require(type.vecDotType)
        let weights = try QuantFixture.bytes("\(type.name).weight")
        let activations = try QuantFixture.bytes("\(type.name).xq")
        let ggml = try QuantFixture.floats("\(type.name).dot")
        let weightValues = try QuantFixture.floats("\(type.name).dequant")
        let activationValues = try dequantized(vecDotType, activations, count: n)
        let rowBytes = weights.count / QuantFixture.rowCount
        for row in 0..<QuantFixture.rowCount {
            let weightRow = UnsafeRawBufferPointer(rebasing: weights[row * rowBytes..<(row + 1) * rowBytes])
            let mine = try dotReference(type, weightRow: weightRow, activationRow: activations, count: n)
            var bound: Double = 0
            for j in 0..<n {
                let blockStart = row * n + j / type.blockSize * type.blockSize
                let blockMax = weightValues[blockStart..<blockStart + type.blockSize].map { abs($0) }.max()!
                bound += Double(blockMax) * Double(abs(activationValues[j]))
            }
            #expect(abs(Double(mine) - Double(ggml[row])) <= 1e-6 * bound,
                    "row \(row): \(mine) vs ggml \(ggml[row]), allowed \(1e-6 * bound)")
            if row == QuantFixture.zeroRow {
                #expect(mine == 0, "row \(row) is all zero")
            }
        }
    }

    @Test("Reference quantizers write ggml's bytes",
          arguments: [GGMLType.f16, .bf16, .q4_0, .q4_1, .q5_0, .q8_0, .q4_K, .q6_K])
    func quantizationMatchesGGML(type: GGMLType) throws {
        let source = try QuantFixture.floats("source")
        let ggml = try QuantFixture.bytes("\(type.name).weight")
        var mine = [UInt8](repeating: 0xAA, count: ggml.count)
        try source.withUnsafeBufferPointer { src in
            try mine.withUnsafeMutableBytes { try quantize(type, src, into: $0) }
        }
        let rowBytes = ggml.count / QuantFixture.rowCount
        let differingRows = (0..<QuantFixture.rowCount).filter { row in
            !mine[row * rowBytes..<(row + 1) * rowBytes].elementsEqual(ggml[row * rowBytes..<(row + 1) * rowBytes])
        }
        #expect(differingRows.isEmpty, "rows \(differingRows) differ")
    }

    @Test("The q8_K reference quantizer is ggml's (the fixture's q8_K activations)")
    func q8KQuantizationMatchesGGML() throws {
        let x = try QuantFixture.floats("x")
        let ggml = try QuantFixture.bytes("q4_K.xq")
        var mine = [UInt8](repeating: 0xAA, count: ggml.count)
        try x.withUnsafeBufferPointer { src in
            try mine.withUnsafeMutableBytes { try quantize(.q8_K, src, into: $0) }
        }
        #expect(mine == Array(ggml))
    }
}
