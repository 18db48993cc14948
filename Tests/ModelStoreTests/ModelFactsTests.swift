import JSON
@testable import ModelStore
import GGUF
import TestSupport
import Testing

@Suite("Config from the GGUF header")
struct ModelFactsTests {
    @Test(arguments: [
        (134_515_008, "134.52M"), (8_030_261_248, "8.0B"), (8_000_000_000, "8B"), (671_026_419_712, "671.0B"),
        (1_500_000_000_000, "1500B"), (135_000_000, "135M"), (1_499, "1K"), (1_500, "2K"), (999, "999"), (0, "0"),
        (494_032_768, "494.03M"), (1_235_814_400, "1.2B"),
    ])
    func parameterSizeAsOllama(count: Int, text: String) {
        #expect(ParameterSize.format(count) == text)
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekQ8_0.shouldTest))
    func tinyDeepSeek() throws {
        let path = TestModel.tinyDeepSeekQ8_0.path
        let facts = try ModelFacts(ggufAt: path)
        let file = try GGUFFile(path: path)
        #expect(facts.architecture == "deepseek2")
        #expect(facts.fileType == "Q8_0")
        #expect(facts.parameterSize == ParameterSize.format(file.tensors.reduce(0) { $0 + $1.elementCount }))
        #expect(facts.parameterSize.hasSuffix("M"))
    }

    @Test(.enabled(if: TestModel.tinyDeepSeekQ8_0.shouldTest))
    func storeCreatesFromTheTinyDeepSeekFile() throws {
        let dir = TemporaryDirectory()
        let store = ModelStore(root: dir.path)
        let blob = try store.blobs.importFile(at: TestModel.tinyDeepSeekQ8_0.path)
        #expect(blob.digest.hex == "3dbd6c4915d0718aefe8bfe6f4e62c3f2b8386af5db3386d5d2ef3fa4a7c8b12")
        try store.create(ModelName(parsing: "tiny-deepseek:q8"), from: ModelRecipe(base: .gguf(blob.digest)))
        let config = try store.model(ModelName(parsing: "tiny-deepseek:q8")).config
        #expect(config.modelFamily == "deepseek2")
        #expect(config.modelFamilies == ["deepseek2"])
        #expect(config.fileType == "Q8_0")
        #expect(config.modelFormat == "gguf")
    }
}
