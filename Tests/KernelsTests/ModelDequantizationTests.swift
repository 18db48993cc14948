import Foundation
import GGUF
import Kernels
import TestSupport
import Testing

/// Every tensor of every test model dequantizes to exactly what gguf-py 0.19.0 computes (which
/// is what ggml computes), compared through SHA-256 digests of the float32 values.
@Suite("Model dequantization")
struct ModelDequantizationTests {
    @Test(.enabled(if: TestModel.smollm2.shouldTest))
    func smolLM2() throws { try checkEveryTensor(of: .smollm2) }

    @Test(.enabled(if: TestModel.gemma3.shouldTest))
    func gemma3() throws { try checkEveryTensor(of: .gemma3) }

    @Test(.enabled(if: TestModel.qwen25.shouldTest))
    func qwen25() throws { try checkEveryTensor(of: .qwen25) }

    @Test(.enabled(if: TestModel.tinyDeepSeekF16.shouldTest))
    func tinyDeepSeekF16() throws { try checkEveryTensor(of: .tinyDeepSeekF16) }

    @Test(.enabled(if: TestModel.tinyDeepSeekQ8_0.shouldTest))
    func tinyDeepSeekQ8_0() throws { try checkEveryTensor(of: .tinyDeepSeekQ8_0) }

    @Test(.enabled(if: TestModel.tinyDeepSeekQ4_K_M.shouldTest))
    func tinyDeepSeekQ4_K_M() throws { try checkEveryTensor(of: .tinyDeepSeekQ4_K_M) }

    private func checkEveryTensor(of model: TestModel) throws {
        let expected = try #require(DequantHashes.shared.get().models.first { $0.name == model.rawValue })
        let file = try GGUFFile(path: model.path)
        var fileHasher = SHA256()
        fileHasher.update(file.rawBytes)
        #expect(fileHasher.finalizeHex() == expected.fileSha256,
                "\(model.path) is not the file the hashes were made from: rerun scripts/gen-dequant-hashes.py")
        #expect(file.tensors.map(\.name) == expected.tensors.map(\.name))
        for (tensor, want) in zip(file.tensors, expected.tensors) {
            #expect(tensor.type.name == want.type && tensor.shape == want.shape, "\(tensor.name)")
            let digest = try dequantizedSHA256(file, tensor)
            #expect(digest == want.sha256, "\(model) \(tensor.name) (\(tensor.type), \(tensor.shape))")
        }
    }

    /// Dequantizes a tensor a chunk of rows at a time and hashes the float32 bytes.
    private func dequantizedSHA256(_ file: GGUFFile, _ tensor: GGUFTensorInfo) throws -> String {
        let data = file.data(for: tensor)
        let rowsPerChunk = max(1, (1 << 20) / tensor.rowLength)
        var values = [Float](repeating: 0, count: rowsPerChunk * tensor.rowLength)
        var hasher = SHA256()
        for firstRow in stride(from: 0, to: tensor.rowCount, by: rowsPerChunk) {
            let rows = min(rowsPerChunk, tensor.rowCount - firstRow)
            let src = UnsafeRawBufferPointer(rebasing: data[firstRow * tensor.rowBytes..<(firstRow + rows) * tensor.rowBytes])
            try values.withUnsafeMutableBufferPointer { all in
                let dst = UnsafeMutableBufferPointer(rebasing: all[0..<rows * tensor.rowLength])
                try dequantize(tensor.type, src, into: dst)
                hasher.update(UnsafeRawBufferPointer(dst))
            }
        }
        return hasher.finalizeHex()
    }
}

/// Tests/KernelsTests/Fixtures/dequant-sha256.json, written by scripts/gen-dequant-hashes.py.
struct DequantHashes: Decodable {
    struct Model: Decodable {
        let name: String
        let fileSha256: String
        let tensors: [Tensor]
    }

    struct Tensor: Decodable {
        let name: String
        /// ggml's type name.
        let type: String
        /// Dimensions in ggml order, fastest first.
        let shape: [Int]
        let sha256: String
    }

    let models: [Model]

    static let shared = Result {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dequant-sha256.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(DequantHashes.self, from: Data(contentsOf: url))
    }
}
