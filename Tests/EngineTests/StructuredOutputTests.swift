import Engine
import Grammar
import JSON
import Sampling
import TestSupport
import Testing

/// `format` on a real model (SmolLM2): the answer is JSON that parses and validates, it ends when
/// the value does, and the grammar costs little per token.
@Suite("Structured output", .serialized)
struct StructuredOutputTests {
    static let model = TestModel.smollm2
    static let prompt = "<|im_start|>user\nDescribe a cat as JSON with its name, age and colors.<|im_end|>\n<|im_start|>assistant\n"
    static let catSchema = #"""
        {"type":"object","properties":{"name":{"type":"string","maxLength":24},"age":{"type":"integer","minimum":0,"maximum":30},
         "colors":{"type":"array","items":{"enum":["black","white","orange","grey"]},"maxItems":3},
         "indoor":{"type":"boolean"}},"required":["name","age","colors"]}
        """#

    static func generate(_ loaded: LoadedModel, grammar: JSONGrammar?, temperature: Float, seed: Int) throws -> (String, GenerationStats) {
        var options = RunOptions()
        options.sampling.temperature = temperature
        options.sampling.seed = seed
        options.sampling.numPredict = 300
        options.grammar = grammar
        let generator = Generator(loaded, options: options)
        var text = ""
        let stats = try generator.generate(prompt: generator.tokenize(prompt)) { text += $0; return true }
        return (text, stats)
    }

    @Test(.enabled(if: model.shouldTest), arguments: [(Float(0), 0), (0.8, 42), (1.0, 7)])
    func schemaOutputParsesAndValidates(temperature: Float, seed: Int) throws {
        let loaded = try LoadedModel(path: Self.model.path, threads: 2)
        let schema = try JSONParser.parse(Array(Self.catSchema.utf8))
        let (text, stats) = try Self.generate(loaded, grammar: try JSONGrammar(schema: schema), temperature: temperature, seed: seed)
        #expect(stats.doneReason == .stop, "\(text)")
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(SchemaValidator(root: schema).errors(value, schema).isEmpty, "\(text)")
    }

    @Test(.enabled(if: model.shouldTest), arguments: [(Float(0), 0), (0.8, 42)])
    func formatJSONOutputIsOneObject(temperature: Float, seed: Int) throws {
        let loaded = try LoadedModel(path: Self.model.path, threads: 2)
        let (text, stats) = try Self.generate(loaded, grammar: try JSONGrammar(schema: nil), temperature: temperature, seed: seed)
        #expect(stats.doneReason == .stop, "\(text)")
        #expect(try JSONParser.parse(Array(text.utf8)).objectValue != nil, "\(text)")
    }
}
