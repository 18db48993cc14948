import Foundation

/// jinja2's built-in filters as chat templates use them, with HF's `tojson` (Python's
/// `json.dumps` with `ensure_ascii=False`) in place of jinja2's HTML-safe one.
enum Filters {
    static func exists(_ name: String) -> Bool { names.contains(name) }

    private static let names: Set<String> = [
        "abs", "attr", "capitalize", "center", "count", "d", "default", "dictsort", "first", "float",
        "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
        "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort",
        "string", "sum", "title", "tojson", "trim", "unique", "upper", "wordcount",
    ]

    static func apply(_ name: String, to value: Value, _ args: CallArguments) throws(JinjaError) -> Value {
        switch name {
        case "safe": return value
        case "string": return .string(PythonFormat.str(value))
        case "upper": return .string(PythonFormat.str(value).uppercased())
        case "lower": return .string(PythonFormat.str(value).lowercased())
        case "title": return .string(PythonText.title(PythonFormat.str(value)))
        case "capitalize": return .string(PythonText.capitalize(PythonFormat.str(value)))
        case "trim":
            let chars = try args.bind(name, ["chars"])[0]
            return .string(PythonText.strip(PythonFormat.str(value), chars.flatMap { $0.isNone ? nil : PythonFormat.str($0) }))
        case "length", "count": return .int(try length(value))
        case "default", "d":
            let bound = try args.bind(name, ["default_value", "boolean"])
            let useDefault = (bound[1]?.isTruthy ?? false) ? !value.isTruthy : value.isUndefined
            return useDefault ? bound[0] ?? .string("") : value
        case "first", "last":
            let items = try value.iterated()
            guard let item = name == "first" ? items.first : items.last else {
                return .undefined("No \(name) item, sequence was empty.")
            }
            return item
        case "list": return .list(try value.iterated())
        case "reverse":
            if case .string(let s) = value { return .string(PythonText.string(s.unicodeScalars.reversed())) }
            return .list(try value.iterated().reversed())
        case "join":
            let bound = try args.bind(name, ["d", "attribute"])
            var items = try value.iterated()
            if let attribute = bound[1] { items = try items.map { (v) throws(JinjaError) in try lookup(v, attribute) } }
            return .string(items.map(PythonFormat.str).joined(separator: bound[0].map(PythonFormat.str) ?? ""))
        case "replace":
            let bound = try args.bind(name, ["old", "new", "count"])
            guard let old = bound[0], let new = bound[1] else { throw .runtime("replace() needs old and new") }
            var count = -1
            if let c = bound[2], !c.isNone {
                guard case .int(let n)? = c.number else { throw .runtime("replace() count must be an integer") }
                count = n
            }
            return .string(PythonText.replace(PythonFormat.str(value), PythonFormat.str(old), PythonFormat.str(new), count: count))
        case "items":
            switch value {
            case .undefined: return .list([])
            case .dict(let d): return .list(d.entries.map { .tuple([.string($0.key), $0.value]) })
            default: throw .runtime("Can only get item pairs from a mapping.")
            }
        case "tojson":
            let bound = try args.bind(name, ["ensure_ascii", "indent", "separators", "sort_keys"])
            let separators = try bound[2].flatMap { (v) throws(JinjaError) -> (String, String)? in
                if v.isNone { return nil }
                let parts = try v.iterated()
                guard parts.count == 2 else { throw .runtime("separators must be a pair of strings") }
                return (PythonFormat.str(parts[0]), PythonFormat.str(parts[1]))
            }
            let dump = JSONDump(indent: try indent(bound[1]), separators: separators,
                                sortKeys: bound[3]?.isTruthy ?? false, ensureASCII: bound[0]?.isTruthy ?? false)
            return .string(try dump.dump(value))
        case "int": return try integer(value, try args.bind(name, ["default", "base"]))
        case "float":
            let fallback = try args.bind(name, ["default"])[0] ?? .float(0)
            switch value {
            case .int(let i): return .float(Double(i))
            case .bool(let b): return .float(b ? 1 : 0)
            case .float: return value
            case .string(let s):
                return PythonNumbers.parseFloat(s).map(Value.float) ?? fallback
            default: return fallback
            }
        case "abs":
            switch value.number {
            case .int(let i): return .int(abs(i))
            case .float(let f): return .float(abs(f))
            case nil: throw Operators.unsupported("abs()", value)
            }
        case "round":
            let bound = try args.bind(name, ["precision", "method"])
            guard let number = value.number else { throw Operators.unsupported("round()", value) }
            let precision = bound[0]?.number.map { Int($0.double) } ?? 0
            let method = bound[1].map(PythonFormat.str) ?? "common"
            let scale = pow(10.0, Double(precision))
            let x = number.double * scale
            let rounded: Double = switch method {
            case "ceil": x.rounded(.up)
            case "floor": x.rounded(.down)
            case "common": x.rounded(.toNearestOrEven)
            default: throw .runtime("method must be common, ceil or floor")
            }
            return .float(rounded / scale)
        case "indent": return try indentFilter(value, args)
        case "center":
            let width = try args.bind(name, ["width"])[0]?.number.map { Int($0.double) } ?? 80
            let s = PythonFormat.str(value)
            let padding = width - s.unicodeScalars.count
            guard padding > 0 else { return .string(s) }
            let left = padding / 2 + (padding & width & 1)
            return .string(String(repeating: " ", count: left) + s + String(repeating: " ", count: padding - left))
        case "wordcount":
            return .int(PythonFormat.str(value).split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).count)
        case "attr":
            return try Attributes.attribute(value, PythonFormat.str(try args.require(name, ["name"])[0]))
        case "map": return try map(value, args)
        case "select", "reject": return try select(value, args, keep: name == "select", byAttribute: false)
        case "selectattr", "rejectattr": return try select(value, args, keep: name == "selectattr", byAttribute: true)
        case "sort": return try sort(value, args)
        case "dictsort": return try dictsort(value, args)
        case "unique":
            let bound = try args.bind(name, ["case_sensitive", "attribute"])
            var seen: [Value] = []
            var out: [Value] = []
            for item in try value.iterated() {
                let key = try sortKey(try bound[1].map { (a) throws(JinjaError) in try lookup(item, a) } ?? item, caseSensitive: bound[0]?.isTruthy ?? false)
                if !seen.contains(where: { $0.equals(key) }) {
                    seen.append(key)
                    out.append(item)
                }
            }
            return .list(out)
        case "min", "max":
            let bound = try args.bind(name, ["case_sensitive", "attribute"])
            let items = try value.iterated()
            guard var best = items.first else { return .undefined("No aggregated item, sequence was empty.") }
            let key = { (v: Value) throws(JinjaError) -> Value in
                try sortKey(try bound[1].map { (a) throws(JinjaError) in try lookup(v, a) } ?? v, caseSensitive: bound[0]?.isTruthy ?? false)
            }
            for item in items.dropFirst() {
                let better = name == "min" ? try Operators.less(key(item), key(best)) : try Operators.less(key(best), key(item))
                if better { best = item }
            }
            return best
        case "sum":
            let bound = try args.bind(name, ["attribute", "start"])
            var total = bound[1] ?? .int(0)
            for item in try value.iterated() {
                total = try Operators.binary(.add, total, try bound[0].map { (a) throws(JinjaError) in try lookup(item, a) } ?? item)
            }
            return total
        default:
            throw .runtime("no filter named '\(name)'")
        }
    }

    static func length(_ value: Value) throws(JinjaError) -> Int {
        switch value {
        case .undefined: 0
        case .string(let s): s.unicodeScalars.count
        case .list(let a), .tuple(let a): a.count
        case .dict(let d): d.count
        default: throw .runtime("object of type '\(value.typeName)' has no len()")
        }
    }

    /// An attribute path such as `"function.name"` or `0`, as `map(attribute=…)` and friends take it.
    private static func lookup(_ value: Value, _ attribute: Value) throws(JinjaError) -> Value {
        guard case .string(let path) = attribute else { return try Attributes.item(value, attribute) }
        var current = value
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            let key: Value = Int(part).map(Value.int) ?? .string(String(part))
            current = try Attributes.item(current, key)
        }
        return current
    }

    private static func indent(_ value: Value?) throws(JinjaError) -> String? {
        guard let value, !value.isNone else { return nil }
        if case .string(let s) = value { return s }
        guard case .int(let n)? = value.number else { throw .runtime("indent must be an integer or a string") }
        return String(repeating: " ", count: max(0, n))
    }

    /// jinja2's `indent`: every line but the first (and blank ones unless `blank`) gets the prefix.
    private static func indentFilter(_ value: Value, _ args: CallArguments) throws(JinjaError) -> Value {
        let bound = try args.bind("indent", ["width", "first", "blank"])
        let prefix = try indent(bound[0] ?? .int(4)) ?? ""
        let first = bound[1]?.isTruthy ?? false, blank = bound[2]?.isTruthy ?? false
        let lines = PythonText.splitLines(PythonFormat.str(value) + "\n")
        var result: String
        if blank {
            result = lines.joined(separator: "\n" + prefix)
        } else {
            result = lines.first ?? ""
            let rest = lines.dropFirst()
            if !rest.isEmpty { result += "\n" + rest.map { $0.isEmpty ? $0 : prefix + $0 }.joined(separator: "\n") }
        }
        return .string(first ? prefix + result : result)
    }

    /// Python's `int(value)` with jinja2's fallbacks: strings parse in `base`, then as a float
    /// truncated; anything else unparsable gives `default`.
    private static func integer(_ value: Value, _ bound: [Value?]) throws(JinjaError) -> Value {
        let fallback = bound[0] ?? .int(0)
        var base = 10
        if let b = bound[1], case .int(let n)? = b.number { base = n }
        switch value {
        case .int: return value
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let f):
            guard f.isFinite, abs(f) < 0x1p63 else { return fallback }
            return .int(Int(f))
        case .string(let s):
            if let i = PythonNumbers.parseInt(s, base: base) { return .int(i) }
            if let f = PythonNumbers.parseFloat(s), f.isFinite, abs(f) < 0x1p63 { return .int(Int(f)) }
            return fallback
        default: return fallback
        }
    }

    /// `map('filter', args…)` or `map(attribute='x', default=…)`.
    private static func map(_ value: Value, _ args: CallArguments) throws(JinjaError) -> Value {
        let items = try value.iterated()
        if let attribute = args.keyword.first(where: { $0.name == "attribute" })?.value {
            let fallback = args.keyword.first(where: { $0.name == "default" })?.value
            return .list(try items.map { (item) throws(JinjaError) -> Value in
                let v = try lookup(item, attribute)
                return v.isUndefined ? fallback ?? v : v
            })
        }
        guard let first = args.positional.first, case .string(let filter) = first else {
            throw .runtime("map requires a filter name or attribute=")
        }
        let rest = CallArguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
        return .list(try items.map { (item) throws(JinjaError) in try apply(filter, to: item, rest) })
    }

    /// `select`/`reject(test, args…)` and `selectattr`/`rejectattr(attribute, test, args…)`;
    /// without a test the item's truthiness decides.
    private static func select(_ value: Value, _ args: CallArguments, keep: Bool, byAttribute: Bool) throws(JinjaError) -> Value {
        var positional = args.positional
        var attribute: Value?
        if byAttribute {
            guard !positional.isEmpty else { throw .runtime("missing attribute for selectattr/rejectattr") }
            attribute = positional.removeFirst()
        }
        let test = positional.isEmpty ? nil : PythonFormat.str(positional.removeFirst())
        let testArguments = CallArguments(positional: positional, keyword: args.keyword)
        var out: [Value] = []
        for item in try value.iterated() {
            let subject = try attribute.map { (a) throws(JinjaError) in try lookup(item, a) } ?? item
            let passed = try test.map { (t) throws(JinjaError) in try Tests.apply(t, to: subject, testArguments) } ?? subject.isTruthy
            if passed == keep { out.append(item) }
        }
        return .list(out)
    }

    /// Case-insensitive comparison lowercases strings first, as jinja2's `ignore_case`.
    private static func sortKey(_ value: Value, caseSensitive: Bool) throws(JinjaError) -> Value {
        if !caseSensitive, case .string(let s) = value { return .string(s.lowercased()) }
        return value
    }

    private static func stableSorted(_ items: [(key: Value, item: Value)], reverse: Bool) throws(JinjaError) -> [Value] {
        // A merge sort, since the comparison can throw (Python's sort raises on mixed types).
        func mergeSort(_ a: ArraySlice<(key: Value, item: Value)>) throws(JinjaError) -> [(key: Value, item: Value)] {
            guard a.count > 1 else { return Array(a) }
            let mid = a.startIndex + a.count / 2
            let left = try mergeSort(a[..<mid]), right = try mergeSort(a[mid...])
            var out: [(key: Value, item: Value)] = []
            var i = 0, j = 0
            while i < left.count, j < right.count {
                let takeRight = reverse ? try Operators.less(left[i].key, right[j].key) : try Operators.less(right[j].key, left[i].key)
                if takeRight { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
            }
            return out + left[i...] + right[j...]
        }
        return try mergeSort(items[...]).map(\.item)
    }

    private static func sort(_ value: Value, _ args: CallArguments) throws(JinjaError) -> Value {
        let bound = try args.bind("sort", ["reverse", "case_sensitive", "attribute"])
        let caseSensitive = bound[1]?.isTruthy ?? false
        let keyed = try value.iterated().map { (item) throws(JinjaError) -> (key: Value, item: Value) in
            let subject = try bound[2].map { (a) throws(JinjaError) in try lookup(item, a) } ?? item
            return (try sortKey(subject, caseSensitive: caseSensitive), item)
        }
        return .list(try stableSorted(keyed, reverse: bound[0]?.isTruthy ?? false))
    }

    private static func dictsort(_ value: Value, _ args: CallArguments) throws(JinjaError) -> Value {
        let bound = try args.bind("dictsort", ["case_sensitive", "by", "reverse"])
        guard case .dict(let d) = value else { throw .runtime("dictsort expects a mapping") }
        let byValue = bound[1].map(PythonFormat.str) == "value"
        let caseSensitive = bound[0]?.isTruthy ?? false
        let keyed = try d.entries.map { (entry) throws(JinjaError) -> (key: Value, item: Value) in
            (try sortKey(byValue ? entry.value : .string(entry.key), caseSensitive: caseSensitive), .tuple([.string(entry.key), entry.value]))
        }
        return .list(try stableSorted(keyed, reverse: bound[2]?.isTruthy ?? false))
    }
}
