/// A JSON object that remembers the order its keys arrived in. Requests keep their order through
/// Tern (tool schemas reach a chat template as the client wrote them; Python's `tojson` and the
/// OpenAI SDKs preserve it); writers that need Go's map semantics sort the keys themselves.
/// Equality ignores order, as it does for maps and Python dicts.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var members: [(key: String, value: JSONValue)] = []
    private var positions: [String: Int] = [:]

    public init() {}

    /// Members in the given order; a repeated key keeps its first position and its last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        for (k, v) in pairs { self[k] = v }
    }

    /// A Swift dictionary's members, keys sorted by their bytes so the order is reproducible.
    public init(_ dictionary: [String: JSONValue]) {
        self.init(dictionary.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { ($0, dictionary[$0]!) })
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }
    public var dictionary: [String: JSONValue] { Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b }) }

    /// The member's value; setting a new key appends it, setting nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { positions[key].map { members[$0].value } }
        set {
            if let i = positions[key] {
                if let newValue {
                    members[i].value = newValue
                } else {
                    members.remove(at: i)
                    positions = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.key, $0) })
                }
            } else if let newValue {
                positions[key] = members.count
                members.append((key, newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { members.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool { a.dictionary == b.dictionary }
}

/// `[("name", v), ("size", n)]` spells an object whose order is the literal's.
extension JSONObject: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
