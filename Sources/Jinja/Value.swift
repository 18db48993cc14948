/// A runtime value with Python's semantics, since chat templates are written against jinja2 running
/// on Python: `None`, `True`/`False` (which count as 1 and 0 in arithmetic and equality), int,
/// float, str (indexed by Unicode scalars), list, tuple, insertion-ordered dict, plus jinja2's own
/// objects (undefined, namespace, callables, the loop object).
enum Value {
    /// A missing variable, attribute or item. Renders as nothing, is falsy, iterates as empty; most
    /// other uses raise an error quoting `description` (jinja2's `Undefined`).
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([Value])
    case tuple([Value])
    case dict(Dict)
    case namespace(Namespace)
    case function(Function)
    case loop(LoopObject)

    var typeName: String {
        switch self {
        case .undefined: "Undefined"
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .namespace: "Namespace"
        case .function: "function"
        case .loop: "LoopContext"
        }
    }

    var isUndefined: Bool { if case .undefined = self { true } else { false } }

    /// Python truthiness.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let f): f != 0
        case .string(let s): !s.isEmpty
        case .list(let a), .tuple(let a): !a.isEmpty
        case .dict(let d): !d.isEmpty
        case .namespace, .function, .loop: true
        }
    }

    /// The value as a number for arithmetic: bools count as ints, as in Python.
    enum Number {
        case int(Int)
        case float(Double)
        var double: Double { switch self { case .int(let i): Double(i); case .float(let f): f } }
    }

    var number: Number? {
        switch self {
        case .bool(let b): .int(b ? 1 : 0)
        case .int(let i): .int(i)
        case .float(let f): .float(f)
        default: nil
        }
    }

    /// The items iterating over the value yields: a string's characters, a dict's keys.
    func iterated() throws(JinjaError) -> [Value] {
        switch self {
        case .undefined: return []
        case .list(let a), .tuple(let a): return a
        case .dict(let d): return d.keys.map(Value.string)
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        default: throw .runtime("'\(typeName)' object is not iterable")
        }
    }

    /// Python `==`.
    func equals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.equals($1) }
        case (.dict(let a), .dict(let b)):
            return a.count == b.count && a.entries.allSatisfy { k, v in b[k].map { v.equals($0) } ?? false }
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.function(let a), .function(let b)): return a === b
        case (.loop(let a), .loop(let b)): return a === b
        default:
            guard let a = number, let b = other.number else { return false }
            if case .int(let x) = a, case .int(let y) = b { return x == y }
            return a.double == b.double
        }
    }
}

/// An insertion-ordered `dict` with string keys: JSON objects and dict literals.
struct Dict {
    private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    init() {}

    init(_ pairs: [(String, Value)]) {
        for (k, v) in pairs { self[k] = v }
    }

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }
    var entries: [(key: String, value: Value)] { keys.map { ($0, storage[$0]!) } }

    subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }
}

/// `namespace(…)`: the one mutable object templates have, so a value set inside a loop survives it.
final class Namespace {
    var attributes: Dict
    init(_ attributes: Dict) { self.attributes = attributes }
}

/// A callable value: a macro, a global such as `range`, a bound method such as `'a'.upper`.
final class Function {
    let name: String
    let call: (CallArguments) throws(JinjaError) -> Value

    init(_ name: String, _ call: @escaping (CallArguments) throws(JinjaError) -> Value) {
        self.name = name
        self.call = call
    }
}

/// `loop` inside a for body: one object per loop, advanced each iteration, as in jinja2.
final class LoopObject {
    let items: [Value]
    let depth0: Int
    var index0 = 0
    /// `loop(children)` in a `recursive` loop renders the body again over the children.
    let recurse: Function?
    private var lastChanged: [Value]?

    init(items: [Value], depth0: Int, recurse: Function?) {
        self.items = items
        self.depth0 = depth0
        self.recurse = recurse
    }

    func attribute(_ name: String) -> Value {
        let length = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(depth0 + 1)
        case "depth0": return .int(depth0)
        case "previtem": return index0 > 0 ? items[index0 - 1] : .undefined("there is no previous item")
        case "nextitem": return index0 + 1 < length ? items[index0 + 1] : .undefined("there is no next item")
        case "cycle":
            return .function(Function("cycle") { [self] args throws(JinjaError) in
                guard !args.positional.isEmpty else { throw .runtime("no items for cycling given") }
                return args.positional[self.index0 % args.positional.count]
            })
        case "changed":
            return .function(Function("changed") { [self] args throws(JinjaError) in
                let values = args.positional
                if let last = self.lastChanged, last.count == values.count, zip(last, values).allSatisfy({ $0.equals($1) }) {
                    return .bool(false)
                }
                self.lastChanged = values
                return .bool(true)
            })
        default: return .undefined("'LoopContext' object has no attribute '\(name)'")
        }
    }
}
