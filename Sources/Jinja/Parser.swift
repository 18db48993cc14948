/// Recursive descent over the tokens with jinja2's grammar and operator precedence, loosest first:
/// `x if c else y`, `or`, `and`, `not`, comparisons (`== != < <= > >= in`, `not in`), `+ -`, `~`,
/// `* / // %`, `**`, unary `- +`, then postfix `.attr [key] (call)` and `| filter`, `is test`.
struct Parser {
    private let tokens: [Token]
    private var index = 0

    static func parse(_ tokens: [Token]) throws(JinjaError) -> [Statement] {
        var parser = Parser(tokens: tokens)
        let (body, endTag) = try parser.statements(until: [])
        if let endTag { throw parser.error("unexpected '{% \(endTag) %}'") }
        return body
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    // MARK: Token access

    private var current: Token { tokens[index] }
    private var next: Token { tokens[min(index + 1, tokens.count - 1)] }

    private func error(_ message: String, at token: Token? = nil) -> JinjaError {
        let loc = (token ?? current).location
        return JinjaError(.syntax, message, line: loc.line, column: loc.column)
    }

    private func describe(_ kind: TokenKind) -> String {
        switch kind {
        case .text: "text"
        case .variableBegin: "'{{'"
        case .variableEnd: "'}}'"
        case .blockBegin: "'{%'"
        case .blockEnd: "'%}'"
        case .name(let n): "'\(n)'"
        case .string: "string literal"
        case .integer(let i): "'\(i)'"
        case .float(let f): "'\(f)'"
        case .symbol(let s): "'\(s)'"
        case .end: "end of template"
        }
    }

    private mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    private func isName(_ n: String) -> Bool { current.kind == .name(n) }

    private mutating func skip(symbol s: String) -> Bool {
        guard isSymbol(s) else { return false }
        index += 1
        return true
    }

    private mutating func skip(name n: String) -> Bool {
        guard isName(n) else { return false }
        index += 1
        return true
    }

    private mutating func expect(symbol s: String) throws(JinjaError) {
        guard skip(symbol: s) else { throw error("expected '\(s)', got \(describe(current.kind))") }
    }

    private mutating func expect(name n: String) throws(JinjaError) {
        guard skip(name: n) else { throw error("expected '\(n)', got \(describe(current.kind))") }
    }

    private mutating func expectBlockEnd() throws(JinjaError) {
        guard current.kind == .blockEnd else { throw error("expected end of statement '%}', got \(describe(current.kind))") }
        index += 1
    }

    private mutating func identifier() throws(JinjaError) -> String {
        guard case .name(let n) = current.kind else { throw error("expected a name, got \(describe(current.kind))") }
        index += 1
        return n
    }

    // MARK: Statements

    /// Statements up to a `{% name %}` whose name is in `endTags`; returns the body and that name
    /// (the end tag's `{%` and name are consumed, the rest of that tag is left to the caller).
    private mutating func statements(until endTags: Set<String>) throws(JinjaError) -> ([Statement], String?) {
        var body: [Statement] = []
        while true {
            let token = current
            switch token.kind {
            case .end:
                if endTags.isEmpty { return (body, nil) }
                throw error("unexpected end of template, expected one of: \(endTags.sorted().joined(separator: ", "))")
            case .text(let s):
                index += 1
                body.append(.text(s))
            case .variableBegin:
                index += 1
                let value = try tuple()
                guard current.kind == .variableEnd else { throw error("expected end of print statement '}}', got \(describe(current.kind))") }
                index += 1
                body.append(.output(value))
            case .blockBegin:
                index += 1
                if case .name(let n) = current.kind, endTags.contains(n) {
                    index += 1
                    return (body, n)
                }
                body.append(try statement())
            default:
                throw error("unexpected \(describe(token.kind))")
            }
        }
    }

    private mutating func body(until endTag: String) throws(JinjaError) -> [Statement] {
        let (body, _) = try statements(until: [endTag])
        try expectBlockEnd()
        return body
    }

    private mutating func statement() throws(JinjaError) -> Statement {
        let tag = current
        let name = try identifier()
        switch name {
        case "if": return try ifStatement()
        case "for": return try forStatement(at: tag.location)
        case "set": return try setStatement(at: tag.location)
        case "macro": return try macroStatement()
        case "call": return try callStatement()
        case "filter":
            let filters = try filterChain(first: true)
            try expectBlockEnd()
            return .filterBlock(filters: filters, body: try body(until: "endfilter"))
        case "break", "continue":
            try expectBlockEnd()
            return name == "break" ? .loopBreak(tag.location) : .loopContinue(tag.location)
        case "generation":
            // HF's AssistantTracker tag: marks assistant text for training masks, renders its body unchanged.
            try expectBlockEnd()
            return .filterBlock(filters: [], body: try body(until: "endgeneration"))
        default:
            throw error("unknown tag '\(name)'", at: tag)
        }
    }

    private mutating func ifStatement() throws(JinjaError) -> Statement {
        var branches: [(condition: Expression, body: [Statement])] = []
        var condition = try tuple(conditional: false)
        while true {
            try expectBlockEnd()
            let (body, end) = try statements(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            switch end {
            case "elif":
                condition = try tuple(conditional: false)
            case "else":
                try expectBlockEnd()
                return .conditional(branches: branches, otherwise: try self.body(until: "endif"))
            default:
                try expectBlockEnd()
                return .conditional(branches: branches, otherwise: [])
            }
        }
    }

    private mutating func forStatement(at location: SourceLocation) throws(JinjaError) -> Statement {
        let target = try assignTarget(allowAttribute: false)
        try expect(name: "in")
        let iterable = try tuple(conditional: false, endNames: ["recursive"])
        let filter = skip(name: "if") ? try expression() : nil
        let recursive = skip(name: "recursive")
        try expectBlockEnd()
        let (body, end) = try statements(until: ["else", "endfor"])
        try expectBlockEnd()
        let otherwise = end == "else" ? try self.body(until: "endfor") : []
        return .forLoop(ForLoop(target: target, iterable: iterable, filter: filter, body: body,
                                otherwise: otherwise, recursive: recursive, location: location))
    }

    private mutating func setStatement(at location: SourceLocation) throws(JinjaError) -> Statement {
        let target = try assignTarget(allowAttribute: true)
        if skip(symbol: "=") {
            let value = try tuple()
            try expectBlockEnd()
            return .assign(target, value, location)
        }
        let filters = isSymbol("|") ? try filterChain(first: false) : []
        try expectBlockEnd()
        return .assignBlock(target, body: try body(until: "endset"), filters: filters, location)
    }

    private mutating func assignTarget(allowAttribute: Bool) throws(JinjaError) -> AssignTarget {
        let first = try identifier()
        if allowAttribute, skip(symbol: ".") {
            return .attribute(object: first, attribute: try identifier())
        }
        guard isSymbol(",") else { return .name(first) }
        var names = [first]
        while skip(symbol: ",") {
            guard case .name = current.kind else { break }
            names.append(try identifier())
        }
        return .tuple(names)
    }

    private mutating func parameters() throws(JinjaError) -> [Parameter] {
        try expect(symbol: "(")
        var parameters: [Parameter] = []
        while !skip(symbol: ")") {
            if !parameters.isEmpty { try expect(symbol: ",") }
            if skip(symbol: ")") { break }
            let name = try identifier()
            let defaultValue = skip(symbol: "=") ? try expression() : nil
            if defaultValue == nil, parameters.last?.defaultValue != nil {
                throw error("non-default argument '\(name)' follows default argument")
            }
            parameters.append(Parameter(name: name, defaultValue: defaultValue))
        }
        return parameters
    }

    private mutating func macroStatement() throws(JinjaError) -> Statement {
        let name = try identifier()
        let parameters = try parameters()
        try expectBlockEnd()
        return .macro(MacroDefinition(name: name, parameters: parameters, body: try body(until: "endmacro")))
    }

    private mutating func callStatement() throws(JinjaError) -> Statement {
        let parameters = isSymbol("(") ? try self.parameters() : []
        let call = try expression()
        guard case .call = call.kind else { throw error("expected a call after '{% call %}'", at: nil) }
        try expectBlockEnd()
        return .callBlock(call: call, parameters: parameters, body: try body(until: "endcall"))
    }

    // MARK: Expressions

    /// A comma-separated list becomes a tuple; a single expression stays itself.
    private mutating func tuple(conditional: Bool = true, endNames: Set<String> = [], parenthesized: Bool = false) throws(JinjaError) -> Expression {
        let start = current.location
        var items: [Expression] = []
        var sawComma = false
        while true {
            if !items.isEmpty {
                guard skip(symbol: ",") else { break }
                sawComma = true
            }
            if atTupleEnd(endNames) { break }
            items.append(conditional ? try expression() : try or())
        }
        if items.count == 1 && !sawComma { return items[0] }
        if items.isEmpty && !parenthesized { throw error("expected an expression, got \(describe(current.kind))") }
        return Expression(kind: .tuple(items), location: start)
    }

    private func atTupleEnd(_ endNames: Set<String>) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .end: true
        case .symbol(let s): s == ")"
        case .name(let n): endNames.contains(n)
        default: false
        }
    }

    private mutating func expression() throws(JinjaError) -> Expression {
        var value = try or()
        while isName("if") {
            let location = advance().location
            let condition = try or()
            let otherwise = skip(name: "else") ? try expression() : nil
            value = Expression(kind: .conditional(value: value, condition: condition, otherwise: otherwise), location: location)
        }
        return value
    }

    private mutating func or() throws(JinjaError) -> Expression {
        var left = try and()
        while isName("or") {
            let location = advance().location
            left = Expression(kind: .or(left, try and()), location: location)
        }
        return left
    }

    private mutating func and() throws(JinjaError) -> Expression {
        var left = try not()
        while isName("and") {
            let location = advance().location
            left = Expression(kind: .and(left, try not()), location: location)
        }
        return left
    }

    private mutating func not() throws(JinjaError) -> Expression {
        guard isName("not") else { return try comparison() }
        let location = advance().location
        return Expression(kind: .not(try not()), location: location)
    }

    private mutating func comparison() throws(JinjaError) -> Expression {
        let left = try additive()
        var operations: [(ComparisonOperator, Expression)] = []
        while true {
            let op: ComparisonOperator
            if case .symbol(let s) = current.kind, let o = ComparisonOperator(rawValue: s) {
                index += 1
                op = o
            } else if isName("in") {
                index += 1
                op = .contains
            } else if isName("not"), next.kind == .name("in") {
                index += 2
                op = .notContains
            } else {
                break
            }
            operations.append((op, try additive()))
        }
        return operations.isEmpty ? left : Expression(kind: .compare(left, operations), location: left.location)
    }

    private mutating func additive() throws(JinjaError) -> Expression {
        var left = try concatenation()
        while case .symbol(let s) = current.kind, s == "+" || s == "-" {
            let location = advance().location
            left = Expression(kind: .binary(s == "+" ? .add : .subtract, left, try concatenation()), location: location)
        }
        return left
    }

    private mutating func concatenation() throws(JinjaError) -> Expression {
        let first = try multiplicative()
        var parts = [first]
        while skip(symbol: "~") { parts.append(try multiplicative()) }
        return parts.count == 1 ? first : Expression(kind: .concat(parts), location: first.location)
    }

    private mutating func multiplicative() throws(JinjaError) -> Expression {
        var left = try power()
        while case .symbol(let s) = current.kind, let op = BinaryOperator(rawValue: s),
              op == .multiply || op == .divide || op == .floorDivide || op == .modulo {
            let location = advance().location
            left = Expression(kind: .binary(op, left, try power()), location: location)
        }
        return left
    }

    private mutating func power() throws(JinjaError) -> Expression {
        var left = try unary()
        while isSymbol("**") {
            let location = advance().location
            left = Expression(kind: .binary(.power, left, try unary()), location: location)
        }
        return left
    }

    /// jinja2 binds a sign tighter than filters: `-x|abs` is `(-x)|abs`.
    private mutating func unary(filters: Bool = true) throws(JinjaError) -> Expression {
        var value: Expression
        if isSymbol("-") || isSymbol("+") {
            let token = advance()
            let operand = try unary(filters: false)
            value = Expression(kind: token.kind == .symbol("-") ? .negate(operand) : .plus(operand), location: token.location)
        } else {
            value = try primary()
        }
        value = try postfix(value)
        return filters ? try filtersAndTests(value) : value
    }

    private mutating func primary() throws(JinjaError) -> Expression {
        let token = advance()
        let location = token.location
        switch token.kind {
        case .name(let n):
            switch n {
            case "true", "True": return Expression(kind: .constant(.bool(true)), location: location)
            case "false", "False": return Expression(kind: .constant(.bool(false)), location: location)
            case "none", "None": return Expression(kind: .constant(.none), location: location)
            default: return Expression(kind: .name(n), location: location)
            }
        case .string(var s):
            while case .string(let more) = current.kind {
                s += more
                index += 1
            }
            return Expression(kind: .constant(.string(s)), location: location)
        case .integer(let i): return Expression(kind: .constant(.int(i)), location: location)
        case .float(let f): return Expression(kind: .constant(.float(f)), location: location)
        case .symbol("("):
            let inner = try tuple(parenthesized: true)
            try expect(symbol: ")")
            return inner
        case .symbol("["):
            var items: [Expression] = []
            while !skip(symbol: "]") {
                if !items.isEmpty { try expect(symbol: ",") }
                if skip(symbol: "]") { break }
                items.append(try expression())
            }
            return Expression(kind: .list(items), location: location)
        case .symbol("{"):
            var pairs: [(key: Expression, value: Expression)] = []
            while !skip(symbol: "}") {
                if !pairs.isEmpty { try expect(symbol: ",") }
                if skip(symbol: "}") { break }
                let key = try expression()
                try expect(symbol: ":")
                pairs.append((key, try expression()))
            }
            return Expression(kind: .dict(pairs), location: location)
        default:
            throw error("unexpected \(describe(token.kind))", at: token)
        }
    }

    private mutating func postfix(_ base: Expression) throws(JinjaError) -> Expression {
        var value = base
        while true {
            if isSymbol(".") {
                let location = advance().location
                switch advance().kind {
                case .name(let n): value = Expression(kind: .attribute(value, n), location: location)
                case .integer(let i): value = Expression(kind: .item(value, Expression(kind: .constant(.int(i)), location: location)), location: location)
                default: throw error("expected an attribute name after '.'", at: tokens[index - 1])
                }
            } else if isSymbol("[") {
                value = try subscriptOrSlice(value)
            } else if isSymbol("(") {
                value = try call(value)
            } else {
                return value
            }
        }
    }

    private mutating func subscriptOrSlice(_ base: Expression) throws(JinjaError) -> Expression {
        let location = advance().location
        var parts: [Expression?] = [nil]
        var colons = 0
        while !isSymbol("]") {
            if skip(symbol: ":") {
                colons += 1
                guard colons <= 2 else { throw error("too many ':' in slice") }
                parts.append(nil)
            } else {
                guard parts[parts.count - 1] == nil else { throw error("expected ']' or ':', got \(describe(current.kind))") }
                parts[parts.count - 1] = try tuple()
            }
        }
        index += 1
        if colons == 0 {
            guard let key = parts[0] else { throw error("expected a subscript", at: nil) }
            return Expression(kind: .item(base, key), location: location)
        }
        return Expression(kind: .slice(base, start: parts[0], stop: parts[1], step: parts.count > 2 ? parts[2] : nil), location: location)
    }

    private mutating func arguments() throws(JinjaError) -> Arguments {
        try expect(symbol: "(")
        var arguments = Arguments()
        var first = true
        while !skip(symbol: ")") {
            if !first { try expect(symbol: ",") }
            first = false
            if skip(symbol: ")") { break }
            if skip(symbol: "*") {
                arguments.spreadPositional = try expression()
            } else if skip(symbol: "**") {
                arguments.spreadKeyword = try expression()
            } else if case .name(let n) = current.kind, next.kind == .symbol("=") {
                index += 2
                arguments.keyword.append((n, try expression()))
            } else {
                guard arguments.keyword.isEmpty else { throw error("positional argument follows keyword argument") }
                arguments.positional.append(try expression())
            }
        }
        return arguments
    }

    private mutating func call(_ callee: Expression) throws(JinjaError) -> Expression {
        let location = current.location
        return Expression(kind: .call(callee, try arguments()), location: location)
    }

    private mutating func filtersAndTests(_ base: Expression) throws(JinjaError) -> Expression {
        var value = base
        while true {
            if isSymbol("|") {
                for filter in try filterChain(first: false) {
                    value = Expression(kind: .filter(value, filter), location: filter.location)
                }
            } else if isName("is") {
                value = try test(value)
            } else if isSymbol("(") {
                value = try call(value)
            } else {
                return value
            }
        }
    }

    /// `| f(args) | g …`; `first` is true on `{% filter f %}`, which starts without a pipe.
    private mutating func filterChain(first: Bool) throws(JinjaError) -> [FilterCall] {
        var filters: [FilterCall] = []
        var needsPipe = !first
        while !needsPipe || isSymbol("|") {
            if needsPipe { index += 1 }
            needsPipe = true
            let location = current.location
            var name = try identifier()
            while skip(symbol: ".") { name += "." + (try identifier()) }
            let arguments = isSymbol("(") ? try self.arguments() : Arguments()
            filters.append(FilterCall(name: name, arguments: arguments, location: location))
        }
        return filters
    }

    /// `x is [not] name`, `x is name(args)` or `x is name arg` (one primary argument, as `is divisibleby 3`).
    private mutating func test(_ value: Expression) throws(JinjaError) -> Expression {
        let location = advance().location
        let negated = skip(name: "not")
        var name = try identifier()
        while skip(symbol: ".") { name += "." + (try identifier()) }
        var arguments = Arguments()
        if isSymbol("(") {
            arguments = try self.arguments()
        } else {
            switch current.kind {
            case .name(let n) where !["else", "or", "and"].contains(n):
                arguments.positional = [try postfix(try primary())]
            case .string, .integer, .float, .symbol("["), .symbol("{"):
                arguments.positional = [try postfix(try primary())]
            default: break
            }
        }
        return Expression(kind: .test(value, name: name, arguments, negated: negated), location: location)
    }
}
