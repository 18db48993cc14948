/// A Modelfile that cannot be used, with Ollama's message and the line it concerns.
public struct ModelfileError: Error, Equatable, CustomStringConvertible {
    /// 1-based line of the instruction at fault; nil for whole-file problems (`no FROM line`).
    public var line: Int?
    public var message: String

    /// An error about `line` (nil for the whole file) with Ollama's `message`.
    public init(line: Int?, _ message: String) {
        self.line = line
        self.message = message
    }

    /// `(line N): message`, as Ollama's parser prints it.
    public var description: String { line.map { "(line \($0)): \(message)" } ?? message }
}
