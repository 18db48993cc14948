/// The data a template executes over, modelling the Go values Ollama hands to `text/template`:
/// what matters is how each prints (`fmt`'s `%v`, or a `String()` method), how it marshals to JSON,
/// what a field lookup on it does, and whether it is nil.
public indirect enum TemplateValue: Sendable {
    /// A nil interface: a missing key of a `map[string]any` under `missingkey=zero`. Prints `<no value>`.
    case `nil`
    case bool(Bool)
    case int(Int)
    /// A float64 (every number decoded from JSON into an `any` is one).
    case float(Double)
    case string(String)
    case list(TemplateList)
    case map(TemplateMap)
    case record(TemplateRecord)

    public static func list(_ items: [TemplateValue]) -> TemplateValue { .list(TemplateList(items)) }
}

/// How a composite value prints with `%v`: the default formatting, or the `String()` method the
/// Go type defines (Ollama's tool types print as their JSON).
public enum PrintStyle: Sendable, Equatable {
    case go
    /// `String()` marshals the value: a nil one prints `null`.
    case json
    /// `String()` marshals the value, and a nil one prints `{}` (Ollama's argument and property maps).
    case jsonOrEmptyObject
    /// Ollama's `PropertyType`: "" when empty, the one type alone, else `[a b]`; marshals to a
    /// string when there is one type, else an array.
    case propertyType
}

/// A Go slice. `isNil` keeps the nil/empty distinction that JSON marshalling shows (`null` vs `[]`).
public struct TemplateList: Sendable {
    public var items: [TemplateValue]
    public var isNil: Bool
    public var style: PrintStyle

    public init(_ items: [TemplateValue], isNil: Bool = false, style: PrintStyle = .go) {
        self.items = items
        self.isNil = isNil
        self.style = style
    }
}

/// A Go `map[string]T`: ranged and printed in sorted key order, as Go does.
public struct TemplateMap: Sendable {
    public var entries: [String: TemplateValue]
    public var isNil: Bool
    public var style: PrintStyle
    /// The zero value of T, which a missing key yields under `missingkey=zero`.
    public var zero: TemplateValue
    /// Whether the entries' order is kept when marshalling (Ollama's ordered maps) instead of sorted.
    public var order: [String]?

    public init(_ entries: [String: TemplateValue], isNil: Bool = false, style: PrintStyle = .go, zero: TemplateValue = .nil, order: [String]? = nil) {
        self.entries = entries
        self.isNil = isNil
        self.style = style
        self.zero = zero
        self.order = order
    }

    public var sortedKeys: [String] { entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
}

/// A Go struct (or a pointer to one): fields in declaration order, each with the JSON name and
/// `omitempty` flag of its tag. A missing field is an execution error, as in Go.
public struct TemplateRecord: Sendable {
    public struct Field: Sendable {
        public var name: String
        public var value: TemplateValue
        /// nil: marshalled under `name`.
        public var jsonKey: String?
        public var omitEmpty: Bool

        public init(_ name: String, _ value: TemplateValue, json jsonKey: String? = nil, omitEmpty: Bool = false) {
            self.name = name
            self.value = value
            self.jsonKey = jsonKey
            self.omitEmpty = omitEmpty
        }
    }

    /// The Go type's name, for "can't evaluate field X in type T".
    public var typeName: String
    public var fields: [Field]
    public var style: PrintStyle
    public var isPointer: Bool

    public init(typeName: String, fields: [Field], style: PrintStyle = .go, isPointer: Bool = false) {
        self.typeName = typeName
        self.fields = fields
        self.style = style
        self.isPointer = isPointer
    }

    public subscript(name: String) -> TemplateValue? { fields.first { $0.name == name }?.value }
}

extension TemplateValue {
    /// Go's `isTrue`: false, 0, nil, and empty strings, slices and maps are false; structs are true.
    var isTruthy: Bool {
        switch self {
        case .nil: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let d): d != 0
        case .string(let s): !s.isEmpty
        case .list(let l): !l.items.isEmpty
        case .map(let m): !m.entries.isEmpty
        case .record: true
        }
    }

    /// Go's type name as its error messages print it.
    var goTypeName: String {
        switch self {
        case .nil: "interface {}"
        case .bool: "bool"
        case .int: "int"
        case .float: "float64"
        case .string: "string"
        case .list: "[]interface {}"
        case .map: "map[string]interface {}"
        case .record(let r): r.typeName
        }
    }
}
