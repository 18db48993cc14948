import ArgumentParser
import Foundation
import Tokenizer

/// `tern tokenize MODEL TEXT`: the token ids llama.cpp gives a text, from the model's own vocabulary.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text, as llama.cpp tokenizes it.")

    @Argument(help: "Path to a GGUF file.")
    var model: String

    @Argument(help: "The text to tokenize (or use --file).")
    var text: String?

    @Option(help: "Read the text from a file, byte for byte; '-' reads standard input.")
    var file: String?

    @Flag(help: "Print JSON: {\"ids\": [...], \"pieces\": [...]}; a piece that is part of a character shows U+FFFD.")
    var json = false

    @Flag(name: .customLong("no-special"), help: "Tokenize control tokens such as <|im_start|> as plain text.")
    var noSpecial = false

    func validate() throws {
        guard (text == nil) != (file == nil) else {
            throw ValidationError("give either TEXT or --file, not both or neither")
        }
    }

    func run() throws {
        let tokenizer = try failing { try Tokenizer(path: model) }
        let bytes = try failing { try input() }
        let ids = tokenizer.encode(bytes, addSpecial: true, parseSpecial: !noSpecial)
        if json {
            let pieces = ids.map { JSON.string(String(decoding: tokenizer.piece($0), as: UTF8.self)) }
            print(JSON.object([("ids", .array(ids.map { .int(Int($0)) })), ("pieces", .array(pieces))]).rendered())
        } else {
            print(ids.map(String.init).joined(separator: " "))
        }
    }

    /// The text's exact bytes.
    private func input() throws -> [UInt8] {
        if let text { return Array(text.utf8) }
        if file == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: file!)))
        } catch {
            throw ValidationFailure(message: "\(file!): cannot read: \(error.localizedDescription)")
        }
    }
}
