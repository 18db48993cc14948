/// Where a recognizer stands after some bytes: every way of reading them that can still lead to a
/// valid document. Almost always one path; a choice between schemas that bytes have not settled yet
/// (`anyOf` of two objects) keeps several. A value: copy it to try a candidate token, keep the copy
/// that took it.
public struct GrammarState: Sendable {
    private let grammar: CompiledGrammar
    private var first: ParsePath
    private var others: [ParsePath] = []

    init(grammar: CompiledGrammar) {
        self.grammar = grammar
        first = ParsePath()
    }

    /// A whole value has been read (nothing open). More bytes may still be allowed: a root number can
    /// grow a digit.
    public var isComplete: Bool {
        first.isComplete(in: grammar) || others.contains { $0.isComplete(in: grammar) }
    }

    /// When every reading is inside one string value, between characters: how many more characters
    /// it may take. Any text of at most that many characters without quotes, backslashes or control
    /// characters (see `plainStringCharacters`) is then accepted and leaves the string open.
    public var openStringRoom: Int? {
        others.isEmpty ? first.openStringRoom(in: grammar) : nil
    }

    /// How many characters `bytes` holds if a string value can contain it as it is: whole UTF-8
    /// characters, none of them a quote, a backslash or a control character; nil otherwise.
    public static func plainStringCharacters(_ bytes: some Sequence<UInt8>) -> Int? {
        var scanner = StringScanner()
        _ = scanner.feed(UInt8(ascii: "\""), rule: StringRule(), canonical: false)
        for byte in bytes {
            guard byte != UInt8(ascii: "\\"), scanner.feed(byte, rule: StringRule(), canonical: false) == .consumed else { return nil }
        }
        return scanner.isBetweenCharacters ? Int(scanner.length) : nil
    }

    /// Whether any byte can follow. Tries all 256, so ask it once per token, not per candidate.
    public var acceptsMoreBytes: Bool {
        (0...255).contains { byte in
            var next = self
            return next.advance(UInt8(byte))
        }
    }

    /// Complete and nothing more can be added: generation is over.
    public var isFinished: Bool { isComplete && !acceptsMoreBytes }

    /// The state after `bytes`, or nil when they do not continue a valid document.
    public func advanced(by bytes: some Sequence<UInt8>) -> GrammarState? {
        var next = self
        for byte in bytes {
            guard next.advance(byte) else { return nil }
        }
        return next
    }

    /// Reads one byte in place. On false the byte is not allowed and the state is left unusable.
    public mutating func advance(_ byte: UInt8) -> Bool {
        var forks: [ParsePath] = []
        let firstSurvives = first.feed(byte, in: grammar, forks: &forks)
        if others.isEmpty && forks.isEmpty { return firstSurvives }

        var survivors: [ParsePath] = firstSurvives ? [first] : []
        survivors += forks
        for var path in others {
            var split: [ParsePath] = []
            if path.feed(byte, in: grammar, forks: &split) { survivors.append(path) }
            survivors += split
        }
        var unique: [ParsePath] = []
        for path in survivors where !unique.contains(path) { unique.append(path) }
        guard let head = unique.first else { return false }
        first = head
        others = Array(unique.dropFirst())
        return true
    }
}
