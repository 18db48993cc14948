import JSON

/// Tools as Ollama's templates see them: the client's JSON decoded into `api.Tool` (unknown keys
/// dropped, `type` either a string or a list), then converted to `templateTool`, whose
/// `Properties` is a plain Go map. Printing `.Tools` or one tool gives Ollama's JSON for it, so
/// keys come out in struct order and property names sorted — not as the client wrote them.
enum ToolModel {
    static let propertyTypeName = "api.ToolProperty"

    /// `.Tools`: nil (prints `null`, is false) when the request carried no tools.
    static func tools(_ tools: [JSONValue]?) -> TemplateValue {
        guard let tools else { return .list(TemplateList([], isNil: true, style: .json)) }
        return .list(TemplateList(tools.map(tool), style: .json))
    }

    static func tool(_ json: JSONValue) -> TemplateValue {
        let object = json.objectValue ?? JSONObject()
        let function = object["function"]?.objectValue ?? JSONObject()
        let parameters = function["parameters"]?.objectValue ?? JSONObject()
        let parametersRecord = TemplateRecord(typeName: "template.templateToolFunctionParameters", fields: [
            .init("Type", .string(parameters["type"]?.stringValue ?? ""), json: "type"),
            .init("Defs", any(parameters["$defs"]), json: "$defs", omitEmpty: true),
            .init("Items", any(parameters["items"]), json: "items", omitEmpty: true),
            .init("Required", strings(parameters["required"]), json: "required", omitEmpty: true),
            .init("Properties", propertyMap(parameters["properties"], ordered: false), json: "properties"),
        ])
        let functionRecord = TemplateRecord(typeName: "template.templateToolFunction", fields: [
            .init("Name", .string(function["name"]?.stringValue ?? ""), json: "name"),
            .init("Description", .string(function["description"]?.stringValue ?? ""), json: "description"),
            .init("Parameters", .record(parametersRecord), json: "parameters"),
        ])
        return .record(TemplateRecord(typeName: "template.templateTool", fields: [
            .init("Type", .string(object["type"]?.stringValue ?? ""), json: "type"),
            .init("Items", any(object["items"]), json: "items", omitEmpty: true),
            .init("Function", .record(functionRecord), json: "function"),
        ], style: .json))
    }

    /// A property map. The top-level one is Go's plain map (sorted, prints its JSON, `{}` when nil);
    /// nested ones stay `*ToolPropertiesMap`, which marshals in the client's order.
    private static func propertyMap(_ json: JSONValue?, ordered: Bool) -> TemplateValue {
        guard let object = json?.objectValue else {
            return ordered ? .nil : .map(TemplateMap([:], isNil: true, style: .jsonOrEmptyObject, zero: property(nil)))
        }
        var entries: [String: TemplateValue] = [:]
        for (key, value) in object { entries[key] = property(value) }
        return .map(TemplateMap(entries, style: ordered ? .go : .jsonOrEmptyObject, zero: property(nil), order: ordered ? object.keys : nil))
    }

    /// `api.ToolProperty`, with its JSON tags.
    static func property(_ json: JSONValue?) -> TemplateValue {
        let object = json?.objectValue ?? JSONObject()
        let anyOf = object["anyOf"]?.arrayValue.map { TemplateValue.list(TemplateList($0.map(property))) }
            ?? .list(TemplateList([], isNil: true))
        return .record(TemplateRecord(typeName: propertyTypeName, fields: [
            .init("AnyOf", anyOf, json: "anyOf", omitEmpty: true),
            .init("Type", propertyType(object["type"]), json: "type", omitEmpty: true),
            .init("Items", any(object["items"]), json: "items", omitEmpty: true),
            .init("Description", .string(object["description"]?.stringValue ?? ""), json: "description", omitEmpty: true),
            .init("Enum", object["enum"]?.arrayValue.map { .list($0.map(any)) } ?? .list(TemplateList([], isNil: true)), json: "enum", omitEmpty: true),
            .init("Properties", propertyMap(object["properties"], ordered: true), json: "properties", omitEmpty: true),
            .init("Required", strings(object["required"]), json: "required", omitEmpty: true),
        ]))
    }

    /// `PropertyType`: a JSON string becomes a one-element list.
    private static func propertyType(_ json: JSONValue?) -> TemplateValue {
        let types: [TemplateValue]? = switch json {
        case .string(let s)?: [.string(s)]
        case .array(let items)?: items.compactMap { $0.stringValue.map(TemplateValue.string) }
        default: nil
        }
        return .list(TemplateList(types ?? [], isNil: types == nil, style: .propertyType))
    }

    private static func strings(_ json: JSONValue?) -> TemplateValue {
        guard let items = json?.arrayValue else { return .list(TemplateList([], isNil: true)) }
        return .list(items.compactMap { $0.stringValue.map(TemplateValue.string) })
    }

    /// A JSON value decoded into Go's `any`: numbers become float64, objects `map[string]any`.
    static func any(_ json: JSONValue?) -> TemplateValue {
        guard let json else { return .nil }
        switch json {
        case .null: return .nil
        case .bool(let b): return .bool(b)
        case .int, .float32, .double: return .float(json.doubleValue!)
        case .string(let s): return .string(s)
        case .array(let items): return .list(items.map { any($0) })
        case .object(let object):
            var entries: [String: TemplateValue] = [:]
            for (key, value) in object { entries[key] = any(value) }
            return .map(TemplateMap(entries))
        }
    }
}
