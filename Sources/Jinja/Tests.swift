/// jinja2's tests (`x is defined`, `x is string`, `n is divisibleby 3`…).
enum Tests {
    static func apply(_ name: String, to value: Value, _ arguments: CallArguments) throws(JinjaError) -> Bool {
        func argument() throws(JinjaError) -> Value {
            guard let first = arguments.positional.first ?? arguments.keyword.first?.value else {
                throw .runtime("test '\(name)' needs an argument")
            }
            return first
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": return value.isNone
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "integer": if case .int = value { return true } else { return false }
        case "float": return value.isFloat
        case "number": return value.number != nil
        case "string": return value.isString
        case "mapping": if case .dict = value { return true } else { return false }
        case "iterable":
            switch value {
            case .undefined, .string, .list, .tuple, .dict: return true
            default: return false
            }
        case "sequence":
            switch value {
            case .undefined, .string, .list, .tuple, .dict: return true
            default: return false
            }
        case "callable":
            switch value {
            case .function, .loop: return true
            default: return false
            }
        case "lower": return PythonText.classify(PythonFormat.str(value), "islower")
        case "upper": return PythonText.classify(PythonFormat.str(value), "isupper")
        case "even", "odd":
            guard case .int(let i)? = value.number else { throw .runtime("test '\(name)' needs an integer") }
            return (i % 2 == 0) == (name == "even")
        case "divisibleby":
            let divisor = try argument()
            guard case .int(let d)? = divisor.number, case .int(let i)? = value.number, d != 0 else {
                throw .runtime("divisibleby needs non-zero integers")
            }
            return i % d == 0
        case "eq", "equalto", "==": return value.equals(try argument())
        case "ne", "!=": return !value.equals(try argument())
        case "lt", "lessthan", "<": return try Operators.less(value, try argument())
        case "le", "<=": return try !Operators.less(try argument(), value)
        case "gt", "greaterthan", ">": return try Operators.less(try argument(), value)
        case "ge", ">=": return try !Operators.less(value, try argument())
        case "in": return try Operators.contains(try argument(), value)
        case "sameas":
            let other = try argument()
            switch (value, other) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.int(let a), .int(let b)): return a == b
            case (.namespace, _), (.function, _), (.loop, _): return value.equals(other)
            default: return false
            }
        case "escaped": return false
        case "filter": return Filters.exists(PythonFormat.str(try argument()))
        case "test": return exists(PythonFormat.str(try argument()))
        default: throw .runtime("no test named '\(name)'")
        }
    }

    private static let names: Set<String> = [
        "defined", "undefined", "none", "boolean", "true", "false", "integer", "float", "number", "string",
        "mapping", "iterable", "sequence", "callable", "lower", "upper", "even", "odd", "divisibleby",
        "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">",
        "ge", ">=", "in", "sameas", "escaped", "filter", "test",
    ]

    static func exists(_ name: String) -> Bool { names.contains(name) }
}
