/// One lexical unit of a template: literal text between tags, the tag delimiters, and the pieces of
/// an expression inside them.
enum TokenKind: Equatable, Sendable {
    case text(String)
    case variableBegin, variableEnd
    case blockBegin, blockEnd
    case name(String)
    case string(String)
    case integer(Int)
    case float(Double)
    /// Operators and punctuation: `+ - * / // % ** ~ == != < <= > >= = . : | , ( ) [ ] { }`.
    case symbol(String)
    case end
}

struct Token: Sendable {
    var kind: TokenKind
    var location: SourceLocation
}
