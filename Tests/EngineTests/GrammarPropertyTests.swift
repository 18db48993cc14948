@testable import Engine
import Grammar
import JSON
import Sampling
import TestSupport
import Testing
import Tokenizer

/// Constrained sampling over SmolLM2's real vocabulary with random logits: whatever the sampler
/// would pick, the output is one JSON value that parses and validates against the schema.
@Suite("Grammar property", .serialized)
struct GrammarPropertyTests {
    static let model = TestModel.smollm2
    static let schemaCount = 120

    /// Random logits that now and then favour tokens with JSON punctuation or digits, so random
    /// walks both write content and close what they open.
    struct RandomLogits {
        let structural: [Bool]
        var random: SeededRandom

        init(tokenizer: Tokenizer, seed: UInt64) {
            let punctuation = Set(Array("\"{}[],:0123456789".utf8))
            structural = (0..<tokenizer.vocabulary.count).map { id in
                tokenizer.piece(TokenID(id), special: false).contains(where: punctuation.contains)
            }
            random = SeededRandom(seed: seed)
        }

        mutating func fill(_ logits: UnsafeMutableBufferPointer<Float>) {
            let bonus: Float = Double.random(in: 0..<1, using: &random) < 0.6 ? 4 : 0
            for i in logits.indices {
                // 24 random bits are plenty for a uniform logit and cost one generator step.
                let u = Float(random.next() >> 40) / Float(1 << 24)
                logits[i] = 4 * u + (i < structural.count && structural[i] ? bonus : 0)
            }
        }
    }

    /// Samples under `grammar` until it finishes (or an end-of-generation token ends it); returns the bytes.
    static func walk(_ grammar: JSONGrammar, tokenizer: Tokenizer, vocabulary: GrammarVocabulary, sampling: SamplingOptions,
                     seed: UInt64, maxTokens: Int = 3000) throws -> (bytes: [UInt8], finished: Bool) {
        let vocabularySize = tokenizer.vocabulary.count
        let sampler = try Sampler(options: sampling, vocabularySize: vocabularySize)
        let constraint = GrammarConstraint(grammar: grammar, vocabulary: vocabulary,
                                           endOfGeneration: tokenizer.vocabulary.endOfGeneration, vocabularySize: vocabularySize)
        var logits = RandomLogits(tokenizer: tokenizer, seed: seed)
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: vocabularySize)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = []
        for _ in 0..<maxTokens {
            logits.fill(buffer)
            let token = try constraint.sample(sampler, logits: buffer)
            sampler.accept(token)
            constraint.accept(token)
            if tokenizer.vocabulary.isEndOfGeneration(token) { return (bytes, constraint.state.isComplete) }
            bytes += tokenizer.piece(token, special: false)
            if constraint.isFinished { return (bytes, true) }
        }
        return (bytes, false)
    }

    static func check(_ bytes: [UInt8], schema: JSONValue?, label: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let value = try JSONParser.parse(bytes)
            if let schema {
                let problems = SchemaValidator(root: schema).errors(value, schema)
                #expect(problems.isEmpty, "\(label): \(problems) in \(text) for \(schema.text())")
            } else {
                #expect(value.objectValue != nil, "\(label): not an object: \(text)")
            }
        } catch {
            Issue.record("\(label): \(error) in \(text)")
        }
    }

    @Test(.enabled(if: model.shouldTest))
    func randomSchemasWithRandomLogitsAlwaysGiveValidJSON() throws {
        let tokenizer = try Tokenizer(path: Self.model.path)
        let vocabulary = GrammarVocabulary(tokenizer: tokenizer)
        var schemas = RandomSchema(seed: 7)
        var finished = 0
        for index in 0..<Self.schemaCount {
            let schema = schemas.document()
            let grammar = try JSONGrammar(schema: schema)
            var sampling = SamplingOptions()
            sampling.seed = index
            sampling.temperature = index % 3 == 0 ? 0 : 1
            sampling.topK = 40  // a full-vocabulary top-p sort per step would dominate the test time
            let (bytes, done) = try Self.walk(grammar, tokenizer: tokenizer, vocabulary: vocabulary, sampling: sampling, seed: UInt64(index))
            #expect(done, "schema \(index) did not finish: \(String(decoding: bytes, as: UTF8.self))")
            if done {
                finished += 1
                Self.check(bytes, schema: schema, label: "schema \(index)")
            }
        }
        #expect(finished == Self.schemaCount)
    }

    @Test(.enabled(if: model.shouldTest))
    func genericJSONWithRandomLogitsIsAlwaysOneObject() throws {
        let tokenizer = try Tokenizer(path: Self.model.path)
        let vocabulary = GrammarVocabulary(tokenizer: tokenizer)
        let grammar = try JSONGrammar(schema: nil)
        for index in 0..<40 {
            var sampling = SamplingOptions()
            sampling.seed = index
            sampling.temperature = index % 2 == 0 ? 0 : 1
            let (bytes, done) = try Self.walk(grammar, tokenizer: tokenizer, vocabulary: vocabulary, sampling: sampling, seed: UInt64(1000 + index))
            // Unbounded strings may run long in a random walk; what was finished must be valid.
            if done { Self.check(bytes, schema: nil, label: "walk \(index)") }
            #expect(grammar.start().advanced(by: bytes) != nil)
        }
    }
}
