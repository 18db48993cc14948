extension Interpreter {
    func evaluate(_ expression: Expression, in scope: Scope) throws(JinjaError) -> Value {
        do throws(JinjaError) {
            return try evaluateUnlocated(expression, in: scope)
        } catch {
            throw error.located(at: expression.location)
        }
    }

    private func evaluateUnlocated(_ expression: Expression, in scope: Scope) throws(JinjaError) -> Value {
        switch expression.kind {
        case .constant(let c):
            switch c {
            case .none: return .none
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let f): return .float(f)
            case .string(let s): return .string(s)
            }
        case .name(let name):
            return scope.lookup(name) ?? .undefined("'\(name)' is undefined")
        case .list(let items):
            return .list(try items.map { (e) throws(JinjaError) in try evaluate(e, in: scope) })
        case .tuple(let items):
            return .tuple(try items.map { (e) throws(JinjaError) in try evaluate(e, in: scope) })
        case .dict(let pairs):
            var dict = Dict()
            for pair in pairs {
                guard case .string(let key) = try evaluate(pair.key, in: scope) else {
                    throw JinjaError.runtime("only string keys are supported in dict literals").located(at: pair.key.location)
                }
                dict[key] = try evaluate(pair.value, in: scope)
            }
            return .dict(dict)
        case .attribute(let base, let name):
            return try Attributes.attribute(try evaluate(base, in: scope), name)
        case .item(let base, let key):
            return try Attributes.item(try evaluate(base, in: scope), try evaluate(key, in: scope))
        case .slice(let base, let start, let stop, let step):
            let bounds = try [start, stop, step].map { (e) throws(JinjaError) -> Value in
                try e.map { (e) throws(JinjaError) in try evaluate(e, in: scope) } ?? .none
            }
            return try Attributes.slice(try evaluate(base, in: scope), start: bounds[0], stop: bounds[1], step: bounds[2])
        case .call(let callee, let arguments):
            let function = try evaluate(callee, in: scope)
            return try call(function, try evaluate(arguments, in: scope), at: expression.location)
        case .filter(let base, let filter):
            return try applyFilter(filter, to: try evaluate(base, in: scope), in: scope)
        case .test(let base, let name, let arguments, let negated):
            let value = try evaluate(base, in: scope)
            let result = try Tests.apply(name, to: value, try evaluate(arguments, in: scope))
            return .bool(result != negated)
        case .negate(let operand):
            return try Operators.negate(try evaluate(operand, in: scope))
        case .plus(let operand):
            let value = try evaluate(operand, in: scope)
            guard value.number != nil else { throw Operators.unsupported("unary +", value) }
            return value
        case .not(let operand):
            return .bool(!(try evaluate(operand, in: scope)).isTruthy)
        case .binary(let op, let left, let right):
            return try Operators.binary(op, try evaluate(left, in: scope), try evaluate(right, in: scope))
        case .compare(let first, let operations):
            var left = try evaluate(first, in: scope)
            for (op, rightExpression) in operations {
                let right = try evaluate(rightExpression, in: scope)
                guard try Operators.compare(op, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .and(let left, let right):
            let l = try evaluate(left, in: scope)
            return l.isTruthy ? try evaluate(right, in: scope) : l
        case .or(let left, let right):
            let l = try evaluate(left, in: scope)
            return l.isTruthy ? l : try evaluate(right, in: scope)
        case .concat(let parts):
            var text = ""
            for part in parts { text += PythonFormat.str(try evaluate(part, in: scope)) }
            return .string(text)
        case .conditional(let value, let condition, let otherwise):
            if try evaluate(condition, in: scope).isTruthy { return try evaluate(value, in: scope) }
            guard let otherwise else { return .undefined("the inline if expression evaluated to false and no else section was defined") }
            return try evaluate(otherwise, in: scope)
        }
    }

    func evaluate(_ arguments: Arguments, in scope: Scope) throws(JinjaError) -> CallArguments {
        var result = CallArguments()
        for e in arguments.positional { result.positional.append(try evaluate(e, in: scope)) }
        if let spread = arguments.spreadPositional {
            let value = try evaluate(spread, in: scope)
            do { result.positional += try value.iterated() } catch { throw error.located(at: spread.location) }
        }
        for (name, e) in arguments.keyword { result.keyword.append((name, try evaluate(e, in: scope))) }
        if let spread = arguments.spreadKeyword {
            guard case .dict(let d) = try evaluate(spread, in: scope) else {
                throw JinjaError.runtime("argument after ** must be a mapping").located(at: spread.location)
            }
            result.keyword += d.entries.map { ($0.key, $0.value) }
        }
        return result
    }

    func call(_ callee: Value, _ arguments: CallArguments, at location: SourceLocation) throws(JinjaError) -> Value {
        do throws(JinjaError) {
            switch callee {
            case .function(let f): return try f.call(arguments)
            case .loop(let loop):
                guard let recurse = loop.recurse else { throw JinjaError.runtime("loop() is only callable in a recursive for loop") }
                return try recurse.call(arguments)
            case .undefined(let message): throw JinjaError.runtime(message)
            default: throw JinjaError.runtime("'\(callee.typeName)' object is not callable")
            }
        } catch {
            throw error.located(at: location)
        }
    }

    func applyFilter(_ filter: FilterCall, to value: Value, in scope: Scope) throws(JinjaError) -> Value {
        let arguments = try evaluate(filter.arguments, in: scope)
        do throws(JinjaError) {
            return try Filters.apply(filter.name, to: value, arguments)
        } catch {
            throw error.located(at: filter.location)
        }
    }
}
