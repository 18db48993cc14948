/// `value.name`, `value[key]` and `value[a:b:c]` as jinja2's sandbox resolves them: attribute
/// lookup tries the Python attribute (a method such as `str.startswith` or `dict.items`) before
/// the item, subscripts try the item first; a missing one is undefined, and only reaching into an
/// undefined value is an error. Methods that would mutate (`list.append`, `dict.update`…) are
/// unsafe in HF's immutable sandbox and come back undefined.
enum Attributes {
    static func attribute(_ base: Value, _ name: String) throws(JinjaError) -> Value {
        switch base {
        case .undefined(let message): throw .runtime(message)
        case .namespace(let ns): return ns.attributes[name] ?? missing(base, name)
        case .loop(let loop): return loop.attribute(name)
        case .dict(let d): return Methods.dict(d, name) ?? d[name] ?? missing(base, name)
        default: return Methods.bound(base, name) ?? missing(base, name)
        }
    }

    static func item(_ base: Value, _ key: Value) throws(JinjaError) -> Value {
        switch (base, key) {
        case (.undefined(let message), _): throw .runtime(message)
        case (.dict(let d), .string(let k)):
            return d[k] ?? Methods.dict(d, k) ?? .undefined("'dict object' has no attribute '\(k)'")
        case (.namespace(let ns), .string(let k)):
            return ns.attributes[k] ?? missing(base, k)
        case (.list(let items), _), (.tuple(let items), _):
            guard case .int(let i)? = key.number, !key.isFloat else { break }
            let index = i < 0 ? i + items.count : i
            return items.indices.contains(index) ? items[index] : .undefined("\(base.typeName) object has no element \(i)")
        case (.string(let s), _):
            guard case .int(let i)? = key.number, !key.isFloat else { break }
            let scalars = Array(s.unicodeScalars)
            let index = i < 0 ? i + scalars.count : i
            return scalars.indices.contains(index) ? .string(String(scalars[index])) : .undefined("str object has no element \(i)")
        default: break
        }
        if case .string(let name) = key { return try attribute(base, name) }
        return .undefined("'\(base.typeName) object' has no attribute '\(PythonFormat.str(key))'")
    }

    private static func missing(_ base: Value, _ name: String) -> Value {
        .undefined("'\(base.typeName) object' has no attribute '\(name)'")
    }

    /// Python's `slice.indices`: the positions a slice selects from a sequence of `count` items.
    static func sliceIndices(count: Int, start: Value, stop: Value, step: Value) throws(JinjaError) -> [Int] {
        func bound(_ v: Value) throws(JinjaError) -> Int? {
            switch v {
            case .none, .undefined: return nil
            default:
                guard case .int(let i)? = v.number, !v.isFloat else { throw .runtime("slice indices must be integers or None") }
                return i
            }
        }
        let step = try bound(step) ?? 1
        guard step != 0 else { throw .runtime("slice step cannot be zero") }
        func clamp(_ i: Int?, _ defaultValue: Int) -> Int {
            guard var i else { return defaultValue }
            if i < 0 { i += count }
            return step > 0 ? min(max(i, 0), count) : min(max(i, -1), count - 1)
        }
        let from = clamp(try bound(start), step > 0 ? 0 : count - 1)
        let to = clamp(try bound(stop), step > 0 ? count : -1)
        return Array(stride(from: from, to: to, by: step))
    }

    static func slice(_ base: Value, start: Value, stop: Value, step: Value) throws(JinjaError) -> Value {
        switch base {
        case .undefined(let message): throw .runtime(message)
        case .list(let items):
            return .list(try sliceIndices(count: items.count, start: start, stop: stop, step: step).map { items[$0] })
        case .tuple(let items):
            return .tuple(try sliceIndices(count: items.count, start: start, stop: stop, step: step).map { items[$0] })
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            return .string(PythonText.string(try sliceIndices(count: scalars.count, start: start, stop: stop, step: step).map { scalars[$0] }))
        default:
            throw .runtime("'\(base.typeName)' object is not subscriptable")
        }
    }
}

extension Value {
    var isFloat: Bool { if case .float = self { true } else { false } }
}
