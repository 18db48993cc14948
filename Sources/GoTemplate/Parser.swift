/// A parsed template: the main tree and the trees `{{define}}`/`{{block}}` named.
struct ParsedTemplate: Sendable {
    var root: [Node]
    var definitions: [String: [Node]]
}

/// Recursive descent over the token stream, following Go's `parse.Tree` rule by rule so that the
/// same templates are accepted, the same are rejected, and the messages and line numbers match.
/// Checks Go makes at parse time happen here too: undefined variables, unknown functions,
/// `break`/`continue` outside `range`.
struct Parser {
    private var tokens: [Token]
    private var index = 0
    /// The furthest token read; Go reports the line of its most recently lexed token.
    private var furthest = 0
    private var variables = ["$"]
    private var rangeDepth = 0
    private var actionLine = 0
    private var definitions: [String: [Node]] = [:]
    private let functions: Set<String>

    private enum Item {
        case node(Node)
        case end
        case `else`
    }

    static func parse(_ text: String, functions: Set<String>) throws(TemplateError) -> ParsedTemplate {
        var parser = Parser(tokens: Lexer.tokenize(text), functions: functions)
        let root = try parser.parseTop()
        return ParsedTemplate(root: root, definitions: parser.definitions)
    }

    private init(tokens: [Token], functions: Set<String>) {
        self.tokens = tokens
        self.functions = functions
    }

    // MARK: - Token access

    private mutating func next() -> Token {
        let i = min(index, tokens.count - 1)
        index = i + 1
        furthest = max(furthest, i)
        return tokens[i]
    }

    private mutating func peek() -> Token {
        let token = next()
        index -= 1
        return token
    }

    private mutating func backup() { index -= 1 }

    private mutating func nextNonSpace() -> Token {
        var token = next()
        while token.kind == .space { token = next() }
        return token
    }

    private mutating func peekNonSpace() -> Token {
        let token = nextNonSpace()
        backup()
        return token
    }

    private func error(_ message: String) -> TemplateError {
        TemplateError(phase: .parse, line: tokens[furthest].line, message: message)
    }

    private func unexpected(_ token: Token, _ context: String) -> TemplateError {
        if token.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != token.line {
                extra = token.value.hasSuffix(" action") ? " started at :\(actionLine)" : " in action started at :\(actionLine)"
            }
            return error(token.value + extra)
        }
        return error("unexpected \(token.goDescription) in \(context)")
    }

    private mutating func expect(_ kind: Token.Kind, _ context: String) throws(TemplateError) -> Token {
        let token = nextNonSpace()
        guard token.kind == kind else { throw unexpected(token, context) }
        return token
    }

    // MARK: - Lists

    private mutating func parseTop() throws(TemplateError) -> [Node] {
        var root: [Node] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delimIndex = index
                _ = next()
                if nextNonSpace().kind == .define {
                    try parseDefinition()
                    continue
                }
                index = delimIndex
            }
            switch try textOrAction() {
            case .node(let n): root.append(n)
            case .end: throw error("unexpected {{end}}")
            case .else: throw error("unexpected {{else}}")
            }
        }
        return root
    }

    private mutating func parseDefinition() throws(TemplateError) {
        let context = "define clause"
        let nameToken = nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else { throw unexpected(nameToken, context) }
        guard let name = GoQuote.unquote(nameToken.value) else { throw error("invalid syntax") }
        _ = try expect(.rightDelim, context)
        let saved = variables
        variables = ["$"]
        defer { variables = saved }
        let (list, end) = try itemList()
        guard case .end = end else { throw error("unexpected {{else}} in \(context)") }
        try define(name, list)
    }

    /// Go's `add`: an empty definition never replaces a non-empty one; two non-empty ones clash.
    private mutating func define(_ name: String, _ list: [Node]) throws(TemplateError) {
        if let existing = definitions[name], !Self.isEmpty(existing) {
            if !Self.isEmpty(list) { throw error("template: multiple definition of template \(GoQuote.quote(name))") }
            return
        }
        definitions[name] = list
    }

    private static func isEmpty(_ list: [Node]) -> Bool {
        list.allSatisfy { if case .text(let t) = $0 { t.allSatisfy(\.isWhitespace) } else { false } }
    }

    private mutating func itemList() throws(TemplateError) -> ([Node], Item) {
        var list: [Node] = []
        while peekNonSpace().kind != .eof {
            switch try textOrAction() {
            case .node(let n): list.append(n)
            case let terminator: return (list, terminator)
            }
        }
        throw error("unexpected EOF")
    }

    private mutating func textOrAction() throws(TemplateError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text:
            return .node(.text(token.value))
        case .leftDelim:
            actionLine = token.line
            defer { actionLine = 0 }
            return try action()
        default:
            throw unexpected(token, "input")
        }
    }

    // MARK: - Actions and control structures

    private mutating func action() throws(TemplateError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .block: return .node(try blockControl())
        case .break, .continue:
            let word = token.kind == .break ? "break" : "continue"
            let after = nextNonSpace()
            guard after.kind == .rightDelim else { throw unexpected(after, "{{\(word)}}") }
            guard rangeDepth > 0 else { throw error("{{\(word)}} outside {{range}}") }
            return .node(token.kind == .break ? .break(position: token.position) : .continue(position: token.position))
        case .else:
            // `{{else if …}}` leaves the `if` pending for the enclosing control to consume.
            if peekNonSpace().kind != .if { _ = try expect(.rightDelim, "else") }
            return .else
        case .end:
            _ = try expect(.rightDelim, "end")
            return .end
        case .if: return .node(.if(try parseControl(allowElseIf: true, context: "if")))
        case .range: return .node(.range(try parseControl(allowElseIf: false, context: "range")))
        case .with: return .node(.with(try parseControl(allowElseIf: false, context: "with")))
        case .template: return .node(try templateControl())
        default:
            backup()
            return .node(.action(try pipeline(context: "command", end: .rightDelim)))
        }
    }

    private mutating func parseControl(allowElseIf: Bool, context: String) throws(TemplateError) -> Branch {
        let mark = variables.count
        defer { variables.removeLast(variables.count - mark) }
        let pipe = try pipeline(context: context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        let (list, terminator) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: [Node]?
        if case .else = terminator {
            if allowElseIf && peekNonSpace().kind == .if {
                _ = nextNonSpace()
                // `{{if a}}…{{else if b}}…{{end}}` is `{{if a}}…{{else}}{{if b}}…{{end}}{{end}}`.
                elseList = [.if(try parseControl(allowElseIf: true, context: "if"))]
            } else {
                let (list, end) = try itemList()
                guard case .end = end else { throw error("expected end; found {{else}}") }
                elseList = list
            }
        }
        return Branch(pipeline: pipe, list: list, elseList: elseList)
    }

    private mutating func templateName(_ context: String) throws(TemplateError) -> (String, Token) {
        let token = nextNonSpace()
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        guard let name = GoQuote.unquote(token.value) else { throw error("invalid syntax") }
        return (name, token)
    }

    private mutating func templateControl() throws(TemplateError) -> Node {
        let context = "template clause"
        let (name, token) = try templateName(context)
        var pipe: Pipeline?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context: context, end: .rightDelim)
        }
        return .template(name: name, pipeline: pipe, position: token.position)
    }

    /// `{{block "name" pipeline}}…{{end}}` defines "name" and calls it in place.
    private mutating func blockControl() throws(TemplateError) -> Node {
        let context = "block clause"
        let (name, token) = try templateName(context)
        let pipe = try pipeline(context: context, end: .rightDelim)
        let saved = (variables, rangeDepth)
        variables = ["$"]
        rangeDepth = 0
        let (list, end) = try itemList()
        (variables, rangeDepth) = saved
        guard case .end = end else { throw error("unexpected {{else}} in \(context)") }
        try define(name, list)
        return .template(name: name, pipeline: pipe, position: token.position)
    }

    // MARK: - Pipelines, commands, operands

    private mutating func pipeline(context: String, end: Token.Kind) throws(TemplateError) -> Pipeline {
        var pipe = Pipeline(position: peekNonSpace().position, isAssign: false, declarations: [], commands: [])
        declarations: while peekNonSpace().kind == .variable {
            let restart = index
            let variable = nextNonSpace()
            let following = peekNonSpace()
            if following.kind == .assign || following.kind == .declare {
                _ = nextNonSpace()
                pipe.isAssign = following.kind == .assign
                pipe.declarations.append(variable.value)
                variables.append(variable.value)
            } else if following.kind == .char && following.value == "," {
                _ = nextNonSpace()
                pipe.declarations.append(variable.value)
                variables.append(variable.value)
                if context == "range" && pipe.declarations.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue declarations
                    default: throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            } else {
                index = restart
            }
            break
        }
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                try check(pipe, context: context)
                return pipe
            case .bool, .charConstant, .dot, .field, .identifier, .number, .nil, .rawString, .string, .variable, .leftParen:
                backup()
                pipe.commands.append(try command())
            default:
                throw unexpected(token, context)
            }
        }
    }

    private func check(_ pipe: Pipeline, context: String) throws(TemplateError) {
        guard !pipe.commands.isEmpty else { throw error("missing value for \(context)") }
        for (i, command) in pipe.commands.enumerated().dropFirst() {
            switch command.arguments[0] {
            case .bool, .dot, .nil, .number, .string:
                throw error("non executable command in pipeline stage \(i + 1)")
            default: continue
            }
        }
    }

    private mutating func command() throws(TemplateError) -> Command {
        var command = Command(position: peekNonSpace().position, arguments: [])
        loop: while true {
            _ = peekNonSpace()
            if let operand = try operand() { command.arguments.append(operand) }
            let token = next()
            switch token.kind {
            case .space: continue loop
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(token, "operand")
            }
            break
        }
        guard !command.arguments.isEmpty else { throw error("empty command") }
        return command
    }

    private mutating func operand() throws(TemplateError) -> Operand? {
        guard let term = try term() else { return nil }
        guard peek().kind == .field else { return term }
        let position = peek().position
        var fields: [String] = []
        while peek().kind == .field { fields.append(String(next().value.dropFirst())) }
        switch term {
        case .field(let base, _): return .field(base + fields, position: position)
        case .variable(let name, let base, _): return .variable(name, fields: base + fields, position: position)
        case .bool, .string, .number, .nil, .dot:
            throw error("unexpected . after term \(GoQuote.quote(term.description))")
        default: return .chain(term, fields: fields, position: position)
        }
    }

    private mutating func term() throws(TemplateError) -> Operand? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            guard functions.contains(token.value) else { throw error("function \(GoQuote.quote(token.value)) not defined") }
            return .function(token.value, position: token.position)
        case .dot: return .dot(position: token.position)
        case .nil: return .nil(position: token.position)
        case .variable:
            guard variables.contains(token.value) else { throw error("undefined variable \(GoQuote.quote(token.value))") }
            return .variable(token.value, fields: [], position: token.position)
        case .field: return .field([String(token.value.dropFirst())], position: token.position)
        case .bool: return .bool(token.value == "true", position: token.position)
        case .number, .charConstant:
            guard let number = Self.number(token) else { throw error("illegal number syntax: \(GoQuote.quote(token.value))") }
            return .number(number, text: token.value, position: token.position)
        case .leftParen:
            return .pipeline(try pipeline(context: "parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            guard let value = GoQuote.unquote(token.value) else { throw error("invalid syntax") }
            return .string(value, quoted: token.value, position: token.position)
        default:
            backup()
            return nil
        }
    }

    /// Go's constant rules as `any` arguments see them: a character constant is its code point;
    /// a literal spelled with `.`, `e` or `p` (and not hex) is a float64; other literals are ints.
    private static func number(_ token: Token) -> NumberLiteral? {
        if token.kind == .charConstant {
            guard let s = GoQuote.unquote(token.value), let scalar = s.unicodeScalars.first else { return nil }
            return .int(Int(scalar.value))
        }
        var text = token.value.replacingOccurrences("_", "")
        var negative = false
        if text.hasPrefix("+") || text.hasPrefix("-") {
            negative = text.hasPrefix("-")
            text.removeFirst()
        }
        let lower = text.lowercased()
        let isHex = lower.hasPrefix("0x")
        if isHex || !lower.contains(where: { ".ep".contains($0) }) {
            let (digits, radix): (Substring, Int) =
                isHex ? (lower.dropFirst(2), 16)
                : lower.hasPrefix("0o") ? (lower.dropFirst(2), 8)
                : lower.hasPrefix("0b") ? (lower.dropFirst(2), 2)
                : lower.count > 1 && lower.hasPrefix("0") ? (lower.dropFirst(1), 8)
                : (Substring(lower), 10)
            guard let magnitude = Int(digits, radix: radix) else { return nil }
            return .int(negative ? -magnitude : magnitude)
        }
        guard let value = Double(lower) else { return nil }
        return .float(negative ? -value : value)
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
