/// A failure inside a function; the executor reports it as `error calling NAME: MESSAGE`.
struct FunctionError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A template function: its arity as Go checks it before the call, and its body.
/// `and` and `or` are here for their arity; the executor evaluates them lazily itself.
struct TemplateFunction: Sendable {
    /// Fixed parameters; with `variadic`, the minimum number of arguments.
    var fixed: Int
    var variadic: Bool
    var body: @Sendable ([TemplateValue]) throws(FunctionError) -> TemplateValue
}

/// Go's builtin functions (`text/template/funcs.go`) with their error messages.
enum Builtins {
    static let table: [String: TemplateFunction] = [
        "and": TemplateFunction(fixed: 1, variadic: true) { args in args.first { !$0.isTruthy } ?? args.last! },
        "or": TemplateFunction(fixed: 1, variadic: true) { args in args.first { $0.isTruthy } ?? args.last! },
        "not": TemplateFunction(fixed: 1, variadic: false) { args in .bool(!args[0].isTruthy) },
        "len": TemplateFunction(fixed: 1, variadic: false) { args throws(FunctionError) in .int(try length(args[0])) },
        "index": TemplateFunction(fixed: 1, variadic: true) { args throws(FunctionError) in try index(args[0], Array(args.dropFirst())) },
        "slice": TemplateFunction(fixed: 1, variadic: true) { args throws(FunctionError) in try slice(args[0], Array(args.dropFirst())) },
        "eq": TemplateFunction(fixed: 1, variadic: true) { args throws(FunctionError) in
            guard args.count > 1 else { throw FunctionError("missing argument for comparison") }
            for other in args.dropFirst() {
                if try equal(args[0], other) { return .bool(true) }
            }
            return .bool(false)
        },
        "ne": TemplateFunction(fixed: 2, variadic: false) { args throws(FunctionError) in .bool(!(try equal(args[0], args[1]))) },
        "lt": TemplateFunction(fixed: 2, variadic: false) { args throws(FunctionError) in .bool(try less(args[0], args[1])) },
        "le": TemplateFunction(fixed: 2, variadic: false) { args throws(FunctionError) in .bool(try lessOrEqual(args[0], args[1])) },
        "gt": TemplateFunction(fixed: 2, variadic: false) { args throws(FunctionError) in .bool(!(try lessOrEqual(args[0], args[1]))) },
        "ge": TemplateFunction(fixed: 2, variadic: false) { args throws(FunctionError) in .bool(!(try less(args[0], args[1]))) },
        "print": TemplateFunction(fixed: 0, variadic: true) { args in .string(sprint(args)) },
        "println": TemplateFunction(fixed: 0, variadic: true) { args in .string(args.map(\.formatted).joined(separator: " ") + "\n") },
        "printf": TemplateFunction(fixed: 1, variadic: true) { args throws(FunctionError) in
            guard case .string(let format) = args[0] else {
                throw FunctionError("wrong type for value; expected string; got \(args[0].goTypeName)")
            }
            return .string(GoPrintf.format(format, Array(args.dropFirst())))
        },
        "html": TemplateFunction(fixed: 0, variadic: true) { args in .string(Escaping.html(evalArgs(args))) },
        "js": TemplateFunction(fixed: 0, variadic: true) { args in .string(Escaping.js(evalArgs(args))) },
        "urlquery": TemplateFunction(fixed: 0, variadic: true) { args in .string(Escaping.queryEscape(evalArgs(args))) },
    ]

    /// `fmt.Sprint`: a space between two operands when neither is a string.
    static func sprint(_ args: [TemplateValue]) -> String {
        var out = ""
        for (i, arg) in args.enumerated() {
            if i > 0, !args[i - 1].isString, !arg.isString { out += " " }
            out += arg.formatted
        }
        return out
    }

    /// The escapers' argument: a lone string as is, anything else through `fmt.Sprint`.
    private static func evalArgs(_ args: [TemplateValue]) -> String {
        if args.count == 1, case .string(let s) = args[0] { return s }
        return sprint(args)
    }

    static func length(_ value: TemplateValue) throws(FunctionError) -> Int {
        switch value {
        case .nil: throw FunctionError("len of nil pointer")
        case .string(let s): return s.utf8.count
        case .list(let l): return l.items.count
        case .map(let m): return m.entries.count
        default: throw FunctionError("len of type \(value.goTypeName)")
        }
    }

    private static func indexArgument(_ value: TemplateValue, limit: Int) throws(FunctionError) -> Int {
        switch value {
        case .int(let x):
            guard x >= 0 && x <= limit else { throw FunctionError("index out of range: \(x)") }
            return x
        case .nil: throw FunctionError("cannot index slice/array with nil")
        default: throw FunctionError("cannot index slice/array with type \(value.goTypeName)")
        }
    }

    static func index(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(FunctionError) -> TemplateValue {
        if case .nil = item { throw FunctionError("index of untyped nil") }
        var item = item
        for index in indexes {
            switch item {
            case .list(let l):
                let x = try indexArgument(index, limit: l.items.count)
                guard x < l.items.count else { throw FunctionError("reflect: slice index out of range") }
                item = l.items[x]
            case .string(let s):
                let bytes = Array(s.utf8)
                let x = try indexArgument(index, limit: bytes.count)
                guard x < bytes.count else { throw FunctionError("reflect: string index out of range") }
                item = .int(Int(bytes[x]))
            case .map(let m):
                guard case .string(let key) = index else {
                    throw FunctionError("value has type \(index.goTypeName); should be string")
                }
                item = m.entries[key] ?? m.zero
            default:
                throw FunctionError("can't index item of type \(item.goTypeName)")
            }
        }
        return item
    }

    static func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(FunctionError) -> TemplateValue {
        if case .nil = item { throw FunctionError("slice of untyped nil") }
        guard indexes.count <= 3 else { throw FunctionError("too many slice indexes: \(indexes.count)") }
        let count: Int
        switch item {
        case .string(let s):
            guard indexes.count < 3 else { throw FunctionError("cannot 3-index slice a string") }
            count = s.utf8.count
        case .list(let l): count = l.items.count
        default: throw FunctionError("can't slice item of type \(item.goTypeName)")
        }
        var bounds = [0, count, count]
        for (i, index) in indexes.enumerated() { bounds[i] = try indexArgument(index, limit: count) }
        guard bounds[0] <= bounds[1] else { throw FunctionError("invalid slice index: \(bounds[0]) > \(bounds[1])") }
        if indexes.count == 3 && bounds[1] > bounds[2] { throw FunctionError("invalid slice index: \(bounds[1]) > \(bounds[2])") }
        switch item {
        case .string(let s): return .string(String(decoding: Array(s.utf8)[bounds[0]..<bounds[1]], as: UTF8.self))
        case .list(var l):
            l.items = Array(l.items[bounds[0]..<bounds[1]])
            l.isNil = false
            return .list(l)
        default: return item
        }
    }

    private enum BasicKind { case bool, int, float, string }

    private static func basicKind(_ value: TemplateValue) -> BasicKind? {
        switch value {
        case .bool: .bool
        case .int: .int
        case .float: .float
        case .string: .string
        default: nil
        }
    }

    /// Go's `eq` for one pair: basic kinds must match; nil equals only nil; a nil against any
    /// other value is simply unequal (not an error).
    static func equal(_ a: TemplateValue, _ b: TemplateValue) throws(FunctionError) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.nil, .nil): return true
        case (.nil, _), (_, .nil): return false
        default:
            if basicKind(a) != nil || basicKind(b) != nil { throw FunctionError("incompatible types for comparison") }
            throw FunctionError("non-comparable types")
        }
    }

    static func lessOrEqual(_ a: TemplateValue, _ b: TemplateValue) throws(FunctionError) -> Bool {
        if try less(a, b) { return true }
        return try equal(a, b)
    }

    static func less(_ a: TemplateValue, _ b: TemplateValue) throws(FunctionError) -> Bool {
        guard let ka = basicKind(a), let kb = basicKind(b) else { throw FunctionError("invalid type for comparison") }
        guard ka == kb else { throw FunctionError("incompatible types for comparison") }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        default: throw FunctionError("invalid type for comparison")
        }
    }
}

extension TemplateValue {
    var isString: Bool {
        if case .string = self { true } else { false }
    }
}
