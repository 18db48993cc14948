/// The Python methods templates call on values: `str` methods (`'x'.startswith(…)`,
/// `content.split(…)`), the read-only `dict` methods and `list.index`/`count`.
enum Methods {
    static func bound(_ value: Value, _ name: String) -> Value? {
        switch value {
        case .string(let s): string(s, name)
        case .list(let items), .tuple(let items): sequence(items, name)
        default: nil
        }
    }

    private static func method(_ name: String, _ body: @escaping (CallArguments) throws(JinjaError) -> Value) -> Value {
        .function(Function(name, body))
    }

    private static func text(_ value: Value, _ function: String) throws(JinjaError) -> String {
        guard case .string(let s) = value else {
            throw .runtime("\(function)() argument must be str, not \(value.typeName)")
        }
        return s
    }

    /// `None` or a string, as `strip(chars)` and `split(sep)` take.
    private static func optionalText(_ value: Value?, _ function: String) throws(JinjaError) -> String? {
        guard let value, !value.isNone else { return nil }
        return try text(value, function)
    }

    private static func integer(_ value: Value?, _ defaultValue: Int) throws(JinjaError) -> Int {
        guard let value else { return defaultValue }
        guard case .int(let i)? = value.number, !value.isFloat else { throw .runtime("an integer is required, not \(value.typeName)") }
        return i
    }

    /// `startswith`/`endswith` take one string or a tuple of them.
    private static func affixes(_ value: Value, _ function: String) throws(JinjaError) -> [String] {
        if case .tuple(let items) = value { return try items.map { (v) throws(JinjaError) in try text(v, function) } }
        return [try text(value, function)]
    }

    static func string(_ s: String, _ name: String) -> Value? {
        switch name {
        case "upper": return method(name) { _ in .string(s.uppercased()) }
        case "lower": return method(name) { _ in .string(s.lowercased()) }
        case "title": return method(name) { _ in .string(PythonText.title(s)) }
        case "capitalize": return method(name) { _ in .string(PythonText.capitalize(s)) }
        case "strip", "lstrip", "rstrip":
            return method(name) { args throws(JinjaError) in
                let chars = try optionalText(try args.bind(name, ["chars"])[0], name)
                return .string(PythonText.strip(s, chars, leading: name != "rstrip", trailing: name != "lstrip"))
            }
        case "split", "rsplit":
            return method(name) { args throws(JinjaError) in
                let bound = try args.bind(name, ["sep", "maxsplit"])
                let separator = try optionalText(bound[0], name)
                if separator == "" { throw .runtime("empty separator") }
                let maxSplit = try integer(bound[1], -1)
                if name == "rsplit" && maxSplit >= 0 {
                    let reversed = PythonText.split(String(s.unicodeScalars.reversed().map(Character.init)), separator.map { String($0.unicodeScalars.reversed().map(Character.init)) }, maxSplit: maxSplit)
                    return .list(reversed.reversed().map { .string(String($0.unicodeScalars.reversed().map(Character.init))) })
                }
                return .list(PythonText.split(s, separator, maxSplit: maxSplit).map(Value.string))
            }
        case "splitlines":
            return method(name) { args throws(JinjaError) in
                let keepEnds = try args.bind(name, ["keepends"])[0]?.isTruthy ?? false
                return .list(PythonText.splitLines(s, keepEnds: keepEnds).map(Value.string))
            }
        case "startswith", "endswith":
            return method(name) { args throws(JinjaError) in
                let candidates = try affixes(try args.require(name, ["prefix"])[0], name)
                return .bool(candidates.contains { name == "startswith" ? s.unicodeScalars.starts(with: $0.unicodeScalars) : s.unicodeScalars.reversed().starts(with: $0.unicodeScalars.reversed()) })
            }
        case "replace":
            return method(name) { args throws(JinjaError) in
                let bound = try args.bind(name, ["old", "new", "count"])
                guard let old = bound[0], let new = bound[1] else { throw .runtime("replace() takes at least 2 arguments") }
                return .string(PythonText.replace(s, try text(old, name), try text(new, name), count: try integer(bound[2], -1)))
            }
        case "find", "rfind", "index", "rindex", "count":
            return method(name) { args throws(JinjaError) in
                let needle = try text(try args.require(name, ["sub"])[0], name)
                let haystack = Array(s.unicodeScalars), sub = Array(needle.unicodeScalars)
                let positions = haystack.count >= sub.count
                    ? (0...(haystack.count - sub.count)).filter { haystack[$0..<($0 + sub.count)].elementsEqual(sub) } : []
                if name == "count" {
                    var count = 0, next = 0
                    for p in positions where p >= next { count += 1; next = p + max(sub.count, 1) }
                    return .int(count)
                }
                let found = name.hasPrefix("r") ? positions.last : positions.first
                if let found { return .int(found) }
                if name.hasSuffix("index") { throw .runtime("substring not found") }
                return .int(-1)
            }
        case "join":
            return method(name) { args throws(JinjaError) in
                let items = try args.require(name, ["iterable"])[0].iterated()
                return .string(try items.map { (v) throws(JinjaError) in try text(v, "join") }.joined(separator: s))
            }
        case "removeprefix", "removesuffix":
            return method(name) { args throws(JinjaError) in
                let affix = try text(try args.require(name, ["affix"])[0], name)
                if name == "removeprefix", s.unicodeScalars.starts(with: affix.unicodeScalars) {
                    return .string(PythonText.string(s.unicodeScalars.dropFirst(affix.unicodeScalars.count)))
                }
                if name == "removesuffix", !affix.isEmpty, s.unicodeScalars.reversed().starts(with: affix.unicodeScalars.reversed()) {
                    return .string(PythonText.string(s.unicodeScalars.dropLast(affix.unicodeScalars.count)))
                }
                return .string(s)
            }
        case "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper":
            return method(name) { _ in .bool(PythonText.classify(s, name)) }
        default: return nil
        }
    }

    static func sequence(_ items: [Value], _ name: String) -> Value? {
        switch name {
        case "index":
            return method(name) { args throws(JinjaError) in
                let needle = try args.require(name, ["value"])[0]
                guard let i = items.firstIndex(where: { $0.equals(needle) }) else { throw .runtime("\(PythonFormat.repr(needle)) is not in list") }
                return .int(i)
            }
        case "count":
            return method(name) { args throws(JinjaError) in
                let needle = try args.require(name, ["value"])[0]
                return .int(items.filter { $0.equals(needle) }.count)
            }
        default: return nil
        }
    }

    static func dict(_ d: Dict, _ name: String) -> Value? {
        switch name {
        case "items": return method(name) { _ in .list(d.entries.map { .tuple([.string($0.key), $0.value]) }) }
        case "keys": return method(name) { _ in .list(d.keys.map(Value.string)) }
        case "values": return method(name) { _ in .list(d.entries.map(\.value)) }
        case "get":
            return method(name) { args throws(JinjaError) in
                let bound = try args.bind(name, ["key", "default"])
                guard let key = bound[0] else { throw .runtime("get expected at least 1 argument, got 0") }
                guard case .string(let k) = key else { return bound[1] ?? .none }
                return d[k] ?? bound[1] ?? .none
            }
        default: return nil
        }
    }
}

extension Value {
    var isNone: Bool { if case .none = self { true } else { false } }
}
