#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The functions Ollama adds to every template (`template/template.go`'s FuncMap).
enum OllamaFunctions {
    static let table: [String: TemplateFunction] = [
        "json": TemplateFunction(fixed: 1, variadic: false) { args in .string(args[0].json) },
        // Both accept (and ignore) a format argument, as Ollama's do.
        "currentDate": TemplateFunction(fixed: 0, variadic: true) { _ in .string(localDate(daysAgo: 0)) },
        "yesterdayDate": TemplateFunction(fixed: 0, variadic: true) { _ in .string(localDate(daysAgo: 1)) },
        "toTypeScriptType": TemplateFunction(fixed: 1, variadic: false) { args in .string(typeScriptType(args[0])) },
    ]

    /// `YYYY-MM-DD` in local time, as Go's `time.Now().AddDate(0, 0, -days).Format("2006-01-02")`.
    static func localDate(daysAgo: Int) -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        parts.tm_mday -= Int32(daysAgo)
        parts.tm_isdst = -1
        var normalized = mktime(&parts) // normalizes a day 0 or -1 into the previous month
        localtime_r(&normalized, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
    }

    /// `api.ToolProperty.ToTypeScriptType`: union of `anyOf` members, else of the JSON Schema
    /// types mapped to TypeScript; anything that is not a tool property is `any`.
    static func typeScriptType(_ value: TemplateValue) -> String {
        guard case .record(let property) = value, property.typeName == ToolModel.propertyTypeName else { return "any" }
        if case .list(let anyOf)? = property["AnyOf"], !anyOf.items.isEmpty {
            return anyOf.items.map(typeScriptType).joined(separator: " | ")
        }
        guard case .list(let types)? = property["Type"], !types.items.isEmpty else { return "any" }
        return types.items.map { item in
            guard case .string(let type) = item else { return "any" }
            switch type {
            case "string": return "string"
            case "number", "integer": return "number"
            case "boolean": return "boolean"
            case "array": return "any[]"
            case "object": return "Record<string, any>"
            case "null": return "null"
            default: return "any"
            }
        }.joined(separator: " | ")
    }
}
