import Grammar
import JSON

/// The state after `text`, or nil when some byte of it is refused.
func read(_ text: String, _ grammar: JSONGrammar) -> GrammarState? {
    grammar.start().advanced(by: Array(text.utf8))
}

func read(bytes: [UInt8], _ grammar: JSONGrammar) -> GrammarState? {
    grammar.start().advanced(by: bytes)
}

/// Whether `text` is a whole document of `grammar`.
func accepts(_ text: String, _ grammar: JSONGrammar) -> Bool {
    read(text, grammar)?.isComplete == true
}

func schema(_ text: String) throws -> JSONGrammar {
    try JSONGrammar(schema: JSONParser.parse(Array(text.utf8)))
}
