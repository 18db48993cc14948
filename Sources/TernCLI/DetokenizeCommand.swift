import ArgumentParser
import Foundation
import Tokenizer

/// `tern detokenize MODEL ID…`: the text of token ids, as llama.cpp detokenizes them.
struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize",
        abstract: "Print the text of token ids, as llama.cpp detokenizes them.")

    @Argument(help: "Path to a GGUF file.")
    var model: String

    @Argument(help: "Token ids.")
    var ids: [Int32]

    @Flag(name: .customLong("no-special"), help: "Leave control tokens such as <|im_end|> out of the text.")
    var noSpecial = false

    func run() throws {
        let tokenizer = try failing { try Tokenizer(path: model) }
        if let bad = ids.first(where: { !tokenizer.vocabulary.contains($0) }) {
            throw ValidationFailure(message: "token id \(bad) is not in the vocabulary (\(tokenizer.vocabulary.count) tokens)")
        }
        // The bytes as they are: a text cut inside a character is printed cut, not repaired.
        FileHandle.standardOutput.write(Data(tokenizer.decode(ids, unparseSpecial: !noSpecial) + [0x0A]))
    }
}
