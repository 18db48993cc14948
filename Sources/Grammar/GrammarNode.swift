/// Index of a node in a compiled grammar.
typealias NodeID = Int

/// One element of a compiled grammar. Composite nodes name their parts by id, so a recursive schema
/// (`$ref` back to an enclosing definition) is a graph, not an infinite tree.
enum GrammarNode: Sendable {
    case object(ObjectRule)
    case array(ArrayRule)
    case string(StringRule)
    case number(NumberRule)
    /// A fixed set of spellings: `true`, `null`, enum and const values, serialized compactly.
    case literals(LiteralTable)
    /// Any one of the alternatives (anyOf, oneOf, a list of types). Compiled grammars hold only
    /// flattened choices: no alternative is itself a choice.
    case choice([NodeID])
}

/// An object whose keys come in a fixed order, as llama.cpp's json-schema-to-grammar emits them: every
/// required property (in schema order), then any subset of the optional ones (in schema order), then,
/// if allowed, any number of undeclared keys. A fixed order keeps the recognizer deterministic and
/// small; models write properties in the order the schema lists them anyway.
struct ObjectRule: Sendable {
    /// The declared properties' value nodes in that order: required first, then optional.
    var values: [NodeID]
    var requiredCount: Int
    /// The schema of undeclared keys' values; nil when none may appear (the default, as in llama.cpp).
    var additional: NodeID?
    /// The declared keys as spelled between the quotes, tagged with their index in `values`.
    var keys: LiteralTable

    /// Whether another key may follow once `cursor` properties' positions have been used.
    func acceptsKey(at cursor: Int) -> Bool {
        cursor < values.count || (additional != nil && cursor >= requiredCount)
    }
}

struct ArrayRule: Sendable {
    var items: NodeID
    var minItems: Int
    /// At most `ArrayRule.countLimit`; larger limits read as unbounded.
    var maxItems: Int
    /// Item counts saturate here (they live in 24 bits of a frame).
    static let countLimit = (1 << 24) - 1
}

/// A string, its length counted in code points as JSON Schema counts them (an escape is one).
struct StringRule: Sendable {
    var minLength = 0
    var maxLength = Int.max
}

/// A number or integer. Bounded numbers are tracked exactly as decimals in units of 10⁻¹⁶ (the most
/// fraction digits a number may have), so every prefix the recognizer accepts can still end in range.
struct NumberRule: Sendable {
    var isInteger: Bool
    /// Inclusive bounds in units of 10⁻¹⁶; nil when unbounded. A bounded number has no exponent.
    var bounds: ClosedRange<Int128>?
}
