import Foundation

/// llama.cpp's recorded outputs for one model (shared/fixtures/reference/<model>.json, made by
/// shared/tools/refdump at llama.cpp 84f71294): tokenizations, top logits, greedy continuations.
public struct ReferenceFixture: Decodable, Sendable {
    public struct Tokenization: Decodable, Sendable {
        public struct Mode: Decodable, Sendable {
            public let tokens: [Int32]
            public let pieces_hex: [String]
            public let text_hex: String
            public let text_plain_hex: String
        }
        public let id: String
        public let text: String
        public let parse_special: Mode
        public let no_parse_special: Mode
    }

    public struct LogitsCase: Decodable, Sendable {
        public struct Position: Decodable, Sendable {
            public let pos: Int
            public let token: Int32
            /// The 20 largest logits as (token id, logit), descending.
            public let top: [[Double]]
        }
        public struct Greedy: Decodable, Sendable {
            public struct Step: Decodable, Sendable { public let top: [[Double]] }
            public let tokens: [Int32]
            public let text_hex: String
            public let steps: [Step]
        }
        public let id: String
        public let text: String
        public let prompt_tokens: [Int32]
        public let positions: [Position]
        public let greedy: Greedy
    }

    public let tokenization: [Tokenization]
    public let logits: [LogitsCase]

    public static func load(_ model: TestModel) throws -> ReferenceFixture {
        try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: URL(fileURLWithPath: model.referencePath)))
    }
}

extension ReferenceFixture.LogitsCase.Greedy {
    /// How many greedy tokens must match llama.cpp's: up to (not including) the first step where
    /// llama.cpp's own top-1/top-2 margin is below `margin`, since rounding differences may then
    /// legitimately flip the choice.
    public func comparableSteps(margin: Double = 0.5) -> Int {
        for (k, step) in steps.enumerated() where step.top.count >= 2 && step.top[0][1] - step.top[1][1] < margin {
            return k
        }
        return tokens.count
    }
}
