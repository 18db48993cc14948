/// Why a JSON Schema cannot become a grammar. `path` is the JSON Pointer of the schema object at
/// fault (`#/properties/name`), so a user can find it in a large schema.
public enum GrammarError: Error, Equatable, CustomStringConvertible {
    /// A keyword whose constraint the recognizer cannot enforce (`pattern`, `allOf`, …): refusing it
    /// is better than output that looks constrained and is not.
    case unsupportedKeyword(String, path: String)
    /// The schema is malformed or cannot be satisfied (a wrong type for a keyword, minItems > maxItems, …).
    case invalidSchema(String, path: String)
    /// A `$ref` that does not point into the schema itself (`#/…`), or points at nothing.
    case unresolvedReference(String, path: String)
    /// `$ref`s or `anyOf`s that lead back to themselves before any byte is read (`A = anyOf[A, …]`).
    case circularReference(String)

    public var description: String {
        switch self {
        case .unsupportedKeyword(let k, let p): "JSON schema keyword '\(k)' is not supported (at \(p))"
        case .invalidSchema(let reason, let p): "invalid JSON schema at \(p): \(reason)"
        case .unresolvedReference(let r, let p): "JSON schema $ref '\(r)' cannot be resolved (at \(p))"
        case .circularReference(let r): "JSON schema reference '\(r)' refers to itself before any value is read"
        }
    }
}
