import Foundation
import GGUF
import TestSupport
import Testing

@Suite("GGUF on the real test models")
struct GGUFRealModelTests {
    /// Reading a model and writing it back gives the same bytes, header and data alike.
    @Test(arguments: TestModel.allCases)
    func rewriteIsByteIdentical(model: TestModel) throws {
        try #require(model.shouldTest)
        let file = try GGUFFile(path: model.path)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tern-rewrite-\(model.rawValue).gguf").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try GGUFWriter(copying: file).write(to: out)
        let copy = try GGUFFile(path: out)
        #expect(copy.fileSize == file.fileSize)
        #expect(copy.metadata == file.metadata)
        #expect(copy.tensors == file.tensors)
        // memcmp over the whole mapping: both are mmapped, so this reads without copying.
        let same = copy.rawBytes.count == file.rawBytes.count
            && memcmp(copy.rawBytes.baseAddress!, file.rawBytes.baseAddress!, file.rawBytes.count) == 0
        #expect(same, "rewritten \(model) differs from the original")
    }

    @Test(arguments: TestModel.allCases)
    func headerFacts(model: TestModel) throws {
        try #require(model.shouldTest)
        let file = try GGUFFile(path: model.path)
        #expect(file.version == 3)
        #expect(file.tensor(named: "token_embd.weight") != nil)
        let summary = ModelSummary(file)
        #expect(summary.tensorBytes <= file.fileSize - file.dataOffset)
        #expect(summary.vocabularySize == (try file.array("tokenizer.ggml.tokens")).count)
    }
}
