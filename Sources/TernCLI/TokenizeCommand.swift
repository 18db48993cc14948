import ArgumentParser
import JSON
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

    @Option(help: ArgumentHelp("Encode the text N times and print the median time and throughput instead of the ids.",
                               valueName: "N"))
    var benchmark: Int?

    func validate() throws {
        guard (text == nil) != (file == nil) else {
            throw ValidationError("give either TEXT or --file, not both or neither")
        }
        if let benchmark, benchmark < 1 { throw ValidationError("--benchmark needs at least 1 run") }
    }

    func run() throws {
        let tokenizer = try failing { try Tokenizer(path: model) }
        let bytes = try failing { try input() }
        if let benchmark {
            print(measure(tokenizer, bytes, runs: benchmark))
            return
        }
        let ids = tokenizer.encode(bytes, addSpecial: true, parseSpecial: !noSpecial)
        if json {
            let pieces = ids.map { JSONValue.string(String(decoding: tokenizer.piece($0), as: UTF8.self)) }
            print(JSONValue.object([("ids", .array(ids.map { .int(Int($0)) })), ("pieces", .array(pieces))]).text())
        } else {
            print(ids.map(String.init).joined(separator: " "))
        }
    }

    /// "B bytes, T tokens, median S s, X MB/s" over `runs` encodings (the format scripts/bench-tokenizer reads).
    private func measure(_ tokenizer: Tokenizer, _ bytes: [UInt8], runs: Int) -> String {
        let clock = ContinuousClock()
        var seconds: [Double] = []
        var count = 0
        for _ in 0..<runs {
            let elapsed = clock.measure { count = tokenizer.encode(bytes, addSpecial: true, parseSpecial: !noSpecial).count }
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        let median = seconds.sorted()[runs / 2]
        return "\(bytes.count) bytes, \(count) tokens, median \(String(format: "%.4f", median)) s, "
            + "\(String(format: "%.2f", Double(bytes.count) / median / 1e6)) MB/s"
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
