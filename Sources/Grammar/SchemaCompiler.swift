import JSON

/// JSON Schema → grammar nodes, following llama.cpp's json-schema-to-grammar where it makes a choice
/// (key order, `{}` meaning any object, no undeclared keys unless `additionalProperties` says so) and
/// refusing, with the keyword named, what the recognizer cannot enforce.
struct SchemaCompiler {
    private let document: JSONValue
    private(set) var nodes: [GrammarNode] = []
    /// Where each node came from, for error messages.
    private(set) var paths: [String] = []
    private var references: [String: NodeID] = [:]
    private var anyValueNode: NodeID?

    /// Keywords whose constraint cannot be enforced byte by byte here.
    static let unsupported: Set<String> = [
        "pattern", "patternProperties", "allOf", "not", "if", "then", "else", "dependentRequired",
        "dependentSchemas", "dependencies", "propertyNames", "contains", "minContains", "maxContains",
        "unevaluatedProperties", "unevaluatedItems", "multipleOf", "minProperties", "maxProperties",
        "prefixItems", "additionalItems", "$dynamicRef", "$recursiveRef",
    ]

    init(document: JSONValue) {
        self.document = document
    }

    /// A node for `schema`, appended to `nodes`.
    mutating func compile(_ schema: JSONValue, path: String) throws(GrammarError) -> NodeID {
        let id = reserve(path)
        nodes[id] = try node(for: schema, path: path)
        return id
    }

    /// Any JSON value; its objects take any keys. Built once and shared (it refers to itself).
    mutating func anyValue() -> NodeID {
        if let anyValueNode { return anyValueNode }
        let value = reserve("any value")
        anyValueNode = value
        let object = reserve("any object")
        let array = reserve("any array")
        let string = reserve("any string")
        let number = reserve("any number")
        let literals = reserve("true, false or null")
        nodes[object] = .object(ObjectRule(values: [], requiredCount: 0, additional: value, keys: LiteralTable([])))
        nodes[array] = .array(ArrayRule(items: value, minItems: 0, maxItems: ArrayRule.countLimit))
        nodes[string] = .string(StringRule())
        nodes[number] = .number(NumberRule(isInteger: false, bounds: nil))
        nodes[literals] = .literals(LiteralTable(["true", "false", "null"].map { (Array($0.utf8), 0) }))
        nodes[value] = .choice([object, array, string, number, literals])
        return value
    }

    /// Any object (`format: "json"`, `{"type": "object"}`).
    mutating func anyObject() -> NodeID {
        anyValue() + 1
    }

    private mutating func reserve(_ path: String) -> NodeID {
        nodes.append(.choice([]))
        paths.append(path)
        return nodes.count - 1
    }

    private mutating func node(for schema: JSONValue, path: String) throws(GrammarError) -> GrammarNode {
        switch schema {
        case .bool(true): return .choice([anyValue()])
        case .bool(false): throw .invalidSchema("the schema false admits no value", path: path)
        case .object(let object): return try node(for: object, path: path)
        default: throw .invalidSchema("a schema must be an object or a boolean", path: path)
        }
    }

    private mutating func node(for schema: JSONObject, path: String) throws(GrammarError) -> GrammarNode {
        for key in schema.keys where Self.unsupported.contains(key) { throw .unsupportedKeyword(key, path: path) }
        if schema["uniqueItems"]?.boolValue == true { throw .unsupportedKeyword("uniqueItems", path: path) }

        if let ref = schema["$ref"] {
            guard let ref = ref.stringValue else { throw .invalidSchema("'$ref' must be a string", path: path) }
            return .choice([try reference(ref, path: path)])
        }
        for keyword in ["oneOf", "anyOf"] {
            guard let alternatives = schema[keyword] else { continue }
            guard let list = alternatives.arrayValue, !list.isEmpty else {
                throw .invalidSchema("'\(keyword)' must be a non-empty array", path: path)
            }
            var ids: [NodeID] = []
            for (i, alternative) in list.enumerated() { ids.append(try compile(alternative, path: "\(path)/\(keyword)/\(i)")) }
            return .choice(ids)
        }
        if let types = schema["type"]?.arrayValue {
            guard !types.isEmpty else { throw .invalidSchema("'type' must not be an empty array", path: path) }
            var ids: [NodeID] = []
            for type in types {
                var single = schema
                single["type"] = type
                ids.append(try compile(.object(single), path: path))
            }
            return .choice(ids)
        }
        if let value = schema["const"] {
            return .literals(LiteralTable([(try LiteralSpelling.bytes(of: value, path: path), 0)]))
        }
        if let values = schema["enum"] {
            guard let list = values.arrayValue, !list.isEmpty else { throw .invalidSchema("'enum' must be a non-empty array", path: path) }
            var spellings: [(bytes: [UInt8], tag: Int)] = []
            for value in list { spellings.append((try LiteralSpelling.bytes(of: value, path: path), 0)) }
            return .literals(LiteralTable(spellings))
        }

        let type: String?
        switch schema["type"] {
        case nil: type = nil
        case .string(let name): type = name
        default: throw .invalidSchema("'type' must be a string or an array of strings", path: path)
        }
        switch type {
        case nil:
            if schema["properties"] != nil || (schema["additionalProperties"] != nil && schema["additionalProperties"] != .bool(true)) {
                return try object(schema, path: path)
            }
            if schema["items"] != nil { return try array(schema, path: path) }
            // llama.cpp reads an empty schema as any object, and one with only annotations as any value.
            return .choice([schema.isEmpty ? anyObject() : anyValue()])
        case "object": return try object(schema, path: path)
        case "array": return try array(schema, path: path)
        case "string": return .string(try string(schema, path: path))
        case "integer": return .number(try NumberBounds.rule(for: schema, isInteger: true, path: path))
        case "number": return .number(try NumberBounds.rule(for: schema, isInteger: false, path: path))
        case "boolean": return .literals(LiteralTable([(Array("true".utf8), 0), (Array("false".utf8), 0)]))
        case "null": return .literals(LiteralTable([(Array("null".utf8), 0)]))
        case let other?: throw .invalidSchema("unknown type '\(other)'", path: path)
        }
    }

    private mutating func object(_ schema: JSONObject, path: String) throws(GrammarError) -> GrammarNode {
        let additionalSchema = schema["additionalProperties"]
        guard schema["properties"] != nil || (additionalSchema != nil && additionalSchema != .bool(true)) else {
            return .choice([anyObject()])
        }
        let properties: JSONObject
        switch schema["properties"] {
        case nil: properties = JSONObject()
        case .object(let p): properties = p
        default: throw .invalidSchema("'properties' must be an object", path: path)
        }
        var required: [String] = []
        if let list = schema["required"] {
            guard let names = list.arrayValue?.compactMap(\.stringValue), names.count == list.arrayValue?.count else {
                throw .invalidSchema("'required' must be an array of strings", path: path)
            }
            required = names
        }
        for name in required where properties[name] == nil {
            throw .invalidSchema("required property '\(name)' is not declared in 'properties'", path: path)
        }
        let requiredSet = Set(required)
        let ordered = properties.filter { requiredSet.contains($0.key) } + properties.filter { !requiredSet.contains($0.key) }
        var values: [NodeID] = []
        var keys: [(bytes: [UInt8], tag: Int)] = []
        for (index, member) in ordered.enumerated() {
            values.append(try compile(member.value, path: "\(path)/properties/\(member.key)"))
            keys.append((LiteralSpelling.stringContent(member.key), index))
        }
        var additional: NodeID?
        switch additionalSchema {
        case nil, .bool(false): additional = nil
        case .bool(true): additional = anyValue()
        case let other?: additional = try compile(other, path: "\(path)/additionalProperties")
        }
        return .object(ObjectRule(values: values, requiredCount: requiredSet.count, additional: additional, keys: LiteralTable(keys)))
    }

    private mutating func array(_ schema: JSONObject, path: String) throws(GrammarError) -> GrammarNode {
        let items: NodeID
        switch schema["items"] {
        case nil: items = anyValue()
        case .array: throw .unsupportedKeyword("items (array form)", path: path)
        case let item?: items = try compile(item, path: "\(path)/items")
        }
        let minItems = try count("minItems", in: schema, path: path) ?? 0
        let maxItems = min(try count("maxItems", in: schema, path: path) ?? ArrayRule.countLimit, ArrayRule.countLimit)
        guard minItems <= maxItems else { throw .invalidSchema("'minItems' exceeds 'maxItems'", path: path) }
        return .array(ArrayRule(items: items, minItems: minItems, maxItems: maxItems))
    }

    private func string(_ schema: JSONObject, path: String) throws(GrammarError) -> StringRule {
        var rule = StringRule()
        if let n = try count("minLength", in: schema, path: path) { rule.minLength = n }
        if let n = try count("maxLength", in: schema, path: path) { rule.maxLength = n }
        guard rule.minLength <= rule.maxLength else { throw .invalidSchema("'minLength' exceeds 'maxLength'", path: path) }
        return rule
    }

    private func count(_ key: String, in schema: JSONObject, path: String) throws(GrammarError) -> Int? {
        guard let value = schema[key] else { return nil }
        guard let n = value.intValue, n >= 0 else { throw .invalidSchema("'\(key)' must be a non-negative integer", path: path) }
        guard n <= ArrayRule.countLimit || key == "maxItems" || key == "maxLength" else {
            throw .invalidSchema("'\(key)' above \(ArrayRule.countLimit) is not supported", path: path)
        }
        return n
    }

    /// The node of a local reference (`#/$defs/name`, `#/definitions/name`, any `#/…` pointer).
    private mutating func reference(_ ref: String, path: String) throws(GrammarError) -> NodeID {
        if let id = references[ref] { return id }
        guard ref.hasPrefix("#") else { throw .unresolvedReference(ref, path: path) }
        var target = document
        for token in ref.dropFirst().split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let name = Self.unescapePointerToken(token)
            switch target {
            case .object(let object) where object[name] != nil: target = object[name]!
            case .array(let items) where Int(name).map(items.indices.contains) == true: target = items[Int(name)!]
            default: throw .unresolvedReference(ref, path: path)
            }
        }
        let id = reserve(ref)
        references[ref] = id
        nodes[id] = try node(for: target, path: ref)
        return id
    }

    /// A JSON Pointer token with `~1` and `~0` turned back into `/` and `~` (RFC 6901).
    private static func unescapePointerToken(_ token: Substring) -> String {
        var out = ""
        var escaped = false
        for c in token {
            if escaped {
                out.append(c == "1" ? "/" : c == "0" ? "~" : c)
                escaped = false
            } else if c == "~" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
