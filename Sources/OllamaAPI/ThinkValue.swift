import JSON

/// The `think` request field (spec §1.3, §7): true, false, or a level. Absent is not false.
public enum ThinkValue: Sendable, Equatable {
    case enabled(Bool)
    case level(String)

    public static let levels: Set<String> = ["low", "medium", "high", "max"]

    public init(json value: JSONValue) throws(APIError) {
        switch value {
        case .bool(let b): self = .enabled(b)
        case .string(let s):
            guard Self.levels.contains(s) else { throw .badRequest("invalid think value: \"\(s)\"") }
            self = .level(s)
        default: throw .badRequest("invalid think value: \(value.text())")
        }
    }

    /// Whether thinking is wanted at all.
    public var isOn: Bool {
        switch self {
        case .enabled(let b): b
        case .level: true
        }
    }

    /// The level a template asks for: `true` counts as "medium", false as none.
    public var levelName: String {
        switch self {
        case .enabled(let b): b ? "medium" : ""
        case .level(let l): l
        }
    }
}
