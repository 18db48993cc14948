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
        let hashes = try DequantHashes.shared.get()
        let expected = try #require(hashes.models.first { $0.name == model.rawValue })
        let file = try GGUFFile(path: model.path)
        #expect(file.tensors.map(\.name) == expected.tensors.map(\.name))
        var mismatches: [String] = []
        for (tensor, want) in zip(file.tensors, expected.tensors) {
            #expect(tensor.type.name == want.type && tensor.shape == want.shape, "\(tensor.name)")
            if try dequantizedSHA256(file, tensor) != want.sha256 {
                mismatches.append("\(tensor.name) (\(tensor.type), \(tensor.shape))")
            }
        }
        guard !mismatches.isEmpty else { return }
        // Tell a dequantization bug apart from a model file that changed since the hashing.
        var fileHasher = SHA256()
        fileHasher.update(file.rawBytes)
        let hashedFile = fileHasher.finalizeHex() == hashes.generator.modelSha256[model.rawValue]
        let cause = hashedFile ? "" : " (the model file is not the one hashed: rerun scripts/gen-dequant-hashes.py)"
        Issue.record("\(model): \(mismatches.count) tensors differ from gguf-py\(cause): \(mismatches.joined(separator: ", "))")
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
    struct Generator: Decodable {
        /// Each model file's SHA-256, by model name.
        let modelSha256: [String: String]

        enum CodingKeys: String, CodingKey { case modelSha256 = "model_sha256" }
    }

    struct Model: Decodable {
        let name: String
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

    let generator: Generator
    let models: [Model]

    static let shared = Result {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dequant-sha256.json")
        return try JSONDecoder().decode(DequantHashes.self, from: Data(contentsOf: url))
    }
}
