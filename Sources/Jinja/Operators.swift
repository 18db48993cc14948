import Foundation

/// Python's arithmetic and comparison operators over `Value`s, with its type errors.
enum Operators {
    static func unsupported(_ op: String, _ values: Value...) -> JinjaError {
        for case .undefined(let message) in values { return .runtime(message) }
        return .runtime("unsupported operand type(s) for \(op): " + values.map { "'\($0.typeName)'" }.joined(separator: " and "))
    }

    static func negate(_ value: Value) throws(JinjaError) -> Value {
        switch value.number {
        case .int(let i): return .int(0 - i)
        case .float(let f): return .float(-f)
        case nil: throw unsupported("unary -", value)
        }
    }

    static func binary(_ op: BinaryOperator, _ left: Value, _ right: Value) throws(JinjaError) -> Value {
        switch (op, left, right) {
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.add, .list(let a), .list(let b)): return .list(a + b)
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.multiply, .string(let s), _), (.multiply, _, .string(let s)):
            let count = left.isString ? right : left
            guard !count.isString, case .int(let n)? = count.number else { throw unsupported(op.rawValue, left, right) }
            return .string(String(repeating: s, count: max(0, n)))
        case (.multiply, .list(let a), _), (.multiply, _, .list(let a)):
            let count = left.isList ? right : left
            guard case .int(let n)? = count.number else { throw unsupported(op.rawValue, left, right) }
            return .list(Array(repeating: a, count: max(0, n)).flatMap { $0 })
        default: break
        }
        guard let a = left.number, let b = right.number else { throw unsupported(op.rawValue, left, right) }
        if case .int(let x) = a, case .int(let y) = b { return try integer(op, x, y) }
        return try real(op, a.double, b.double)
    }

    private static func overflow() -> JinjaError { .runtime("integer result too large") }

    private static func integer(_ op: BinaryOperator, _ x: Int, _ y: Int) throws(JinjaError) -> Value {
        switch op {
        case .add:
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow() }
            return .int(r)
        case .subtract:
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow() }
            return .int(r)
        case .multiply:
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow() }
            return .int(r)
        case .divide:
            return try real(op, Double(x), Double(y))
        case .floorDivide:
            guard y != 0 else { throw .runtime("integer division or modulo by zero") }
            let q = x / y
            return .int((x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q)
        case .modulo:
            guard y != 0 else { throw .runtime("integer division or modulo by zero") }
            let r = x % y
            return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case .power:
            guard y >= 0 else { return try real(op, Double(x), Double(y)) }
            var result = 1
            for _ in 0..<y {
                let (r, o) = result.multipliedReportingOverflow(by: x)
                if o { throw overflow() }
                result = r
            }
            return .int(result)
        }
    }

    private static func real(_ op: BinaryOperator, _ x: Double, _ y: Double) throws(JinjaError) -> Value {
        switch op {
        case .add: return .float(x + y)
        case .subtract: return .float(x - y)
        case .multiply: return .float(x * y)
        case .divide:
            guard y != 0 else { throw .runtime("division by zero") }
            return .float(x / y)
        case .floorDivide:
            guard y != 0 else { throw .runtime("float floor division by zero") }
            return .float((x / y).rounded(.down))
        case .modulo:
            guard y != 0 else { throw .runtime("float modulo") }
            var r = x.truncatingRemainder(dividingBy: y)
            if r != 0 && (r < 0) != (y < 0) { r += y }
            return .float(r)
        case .power:
            return .float(pow(x, y))
        }
    }

    /// Python's ordering: numbers with numbers, strings by code point, sequences element-wise.
    static func less(_ left: Value, _ right: Value) throws(JinjaError) -> Bool {
        switch (left, right) {
        case (.string(let a), .string(let b)):
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            for (x, y) in zip(a, b) where !x.equals(y) { return try less(x, y) }
            return a.count < b.count
        default:
            guard let a = left.number, let b = right.number else { throw unsupported("<", left, right) }
            if case .int(let x) = a, case .int(let y) = b { return x < y }
            return a.double < b.double
        }
    }

    static func contains(_ container: Value, _ item: Value) throws(JinjaError) -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let needle) = item else {
                throw .runtime("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return needle.isEmpty || s.contains(needle)
        case .list(let items), .tuple(let items): return items.contains { $0.equals(item) }
        case .dict(let d):
            guard case .string(let key) = item else { return false }
            return d[key] != nil
        case .undefined: return false
        default: throw .runtime("argument of type '\(container.typeName)' is not iterable")
        }
    }

    static func compare(_ op: ComparisonOperator, _ left: Value, _ right: Value) throws(JinjaError) -> Bool {
        switch op {
        case .equal: left.equals(right)
        case .notEqual: !left.equals(right)
        case .less: try less(left, right)
        case .greater: try less(right, left)
        case .lessOrEqual: try !less(right, left)
        case .greaterOrEqual: try !less(left, right)
        case .contains: try contains(right, left)
        case .notContains: try !contains(right, left)
        }
    }
}

extension Value {
    var isString: Bool { if case .string = self { true } else { false } }
    var isList: Bool { if case .list = self { true } else { false } }
}
