import Sampling
import Testing

@Suite("Sampling options")
struct SamplingOptionsTests {
    @Test("Defaults are Ollama's (spec §1.5)")
    func defaultsAreOllamas() {
        let options = SamplingOptions()
        #expect(options.seed == -1)
        #expect(options.temperature == 0.8)
        #expect(options.topK == 40)
        #expect(options.topP == 0.9)
        #expect(options.minP == 0.0)
        #expect(options.typicalP == 1.0)
        #expect(options.repeatLastN == 64)
        #expect(options.repeatPenalty == 1.0)
        #expect(options.presencePenalty == 0.0)
        #expect(options.frequencyPenalty == 0.0)
        #expect(options.stop == [])
        #expect(options.numPredict == -1)
        #expect(options.numCtx == 4096)
    }

    static let repeatMessage = "repeat_penalty must be finite and greater than 0"

    @Test("Penalties llama.cpp refuses are rejected, naming the option",
          arguments: [
              (0, 0, 0, repeatMessage),
              (-1.1, 0, 0, repeatMessage),
              (.nan, 0, 0, repeatMessage),
              (.infinity, 0, 0, repeatMessage),
              (0x1p-130, 0, 0, repeatMessage), // subnormal: its inverse overflows
              (1, -.infinity, 0, "frequency_penalty must be finite"),
              (1, 0, .nan, "presence_penalty must be finite"),
          ] as [(Float, Float, Float, String)])
    func invalidPenalties(repeat: Float, frequency: Float, presence: Float, message: String) {
        var options = SamplingOptions()
        options.repeatPenalty = `repeat`
        options.frequencyPenalty = frequency
        options.presencePenalty = presence
        #expect {
            _ = try Sampler(options: options, vocabularySize: 8)
        } throws: { error in
            (error as? SamplingOptionError)?.description == message
        }
    }

    @Test("Negative penalties and a penalty below 1 are accepted")
    func unusualButValidPenalties() throws {
        var options = SamplingOptions()
        options.repeatPenalty = 0.5
        options.frequencyPenalty = -1
        options.presencePenalty = -2
        _ = try Sampler(options: options, vocabularySize: 8)
    }
}
