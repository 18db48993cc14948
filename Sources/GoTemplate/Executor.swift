/// Walks a parsed template over data, as Go's `text/template/exec.go` does: variables scoped to
/// the control structure that declares them, `missingkey=zero` map lookups, lazy `and`/`or`, and
/// execution errors that name the failing node with its line and byte column.
struct Executor {
    private let template: ParsedTemplate
    private let source: [UInt8]
    private let functions: [String: TemplateFunction]
    private var variables: [(name: String, value: TemplateValue)]
    private var output = ""
    private var depth = 0
    private var templateName = ""

    /// Go stops runaway `{{template}}` recursion at this depth.
    private static let maxDepth = 100_000

    private enum Flow {
        case normal, `break`, `continue`
    }

    static func execute(_ template: ParsedTemplate, source: String, functions: [String: TemplateFunction],
                        data: TemplateValue, root: [Node]) throws(TemplateError) -> String {
        var executor = Executor(template: template, source: Array(source.utf8), functions: functions, variables: [("$", data)])
        _ = try executor.walk(root, dot: data)
        return executor.output
    }

    private init(template: ParsedTemplate, source: [UInt8], functions: [String: TemplateFunction], variables: [(name: String, value: TemplateValue)]) {
        self.template = template
        self.source = source
        self.functions = functions
        self.variables = variables
    }

    // MARK: - Errors

    private func error(at position: Int, _ context: String, _ message: String) -> TemplateError {
        let before = source[..<min(position, source.count)]
        let line = 1 + before.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let column = before.lastIndex(of: 0x0A).map { position - $0 - 1 } ?? position
        let context = context.count > 20 ? String(context.prefix(20)) + "..." : context
        return TemplateError(phase: .execute(template: templateName, context: context, column: column), line: line, message: message)
    }

    private func error(at operand: Operand, _ message: String) -> TemplateError {
        error(at: operand.position, operand.description, message)
    }

    // MARK: - Nodes

    private mutating func walk(_ nodes: [Node], dot: TemplateValue) throws(TemplateError) -> Flow {
        for node in nodes {
            let flow = try walk(node, dot: dot)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private mutating func walk(_ node: Node, dot: TemplateValue) throws(TemplateError) -> Flow {
        switch node {
        case .text(let text):
            output += text
        case .action(let pipe):
            let value = try evaluate(pipe, dot: dot)
            if pipe.declarations.isEmpty { output += value.printed }
        case .if(let branch), .with(let branch):
            let mark = variables.count
            defer { variables.removeLast(variables.count - mark) }
            let value = try evaluate(branch.pipeline, dot: dot)
            let isWith: Bool = if case .with = node { true } else { false }
            if value.isTruthy {
                return try walk(branch.list, dot: isWith ? value : dot)
            } else if let elseList = branch.elseList {
                return try walk(elseList, dot: dot)
            }
        case .range(let branch):
            return try walkRange(branch, dot: dot)
        case .template(let name, let pipeline, let position):
            guard let tree = template.definitions[name] else {
                throw error(at: position, "template \(GoQuote.quote(name))", "template \(GoQuote.quote(name)) not defined")
            }
            guard depth < Self.maxDepth else {
                throw error(at: position, "template \(GoQuote.quote(name))", "exceeded maximum template depth (\(Self.maxDepth))")
            }
            let newDot = try pipeline.map { p throws(TemplateError) in try evaluate(p, dot: dot) } ?? .nil
            let saved = (variables, templateName)
            variables = [("$", newDot)]
            templateName = name
            depth += 1
            defer {
                (variables, templateName) = saved
                depth -= 1
            }
            _ = try walk(tree, dot: newDot)
        case .break: return .break
        case .continue: return .continue
        }
        return .normal
    }

    private mutating func walkRange(_ branch: Branch, dot: TemplateValue) throws(TemplateError) -> Flow {
        let mark = variables.count
        defer { variables.removeLast(variables.count - mark) }
        // The declarations are bound per element below, not to the ranged value.
        var pipe = branch.pipeline
        let declarations = pipe.declarations
        pipe.declarations = []
        let value = try evaluate(pipe, dot: dot)
        let elements: [(key: TemplateValue, element: TemplateValue)]
        switch value {
        case .list(let list): elements = list.items.enumerated().map { (.int($0.offset), $0.element) }
        case .map(let map): elements = map.sortedKeys.map { (.string($0), map.entries[$0]!) }
        case .nil: elements = [] // Go: an invalid value is likely a nil map; not an error
        default:
            throw error(at: pipe.position, pipe.description, "range can't iterate over \(value.formatted)")
        }
        guard !elements.isEmpty else {
            if let elseList = branch.elseList { return try walk(elseList, dot: dot) }
            return .normal
        }
        for (key, element) in elements {
            let iterationMark = variables.count
            // `range $x :=` binds the element; `range $i, $x :=` the key/index, then the element.
            if declarations.count == 1 { variables.append((declarations[0], element)) }
            if declarations.count == 2 {
                variables.append((declarations[0], key))
                variables.append((declarations[1], element))
            }
            let flow = try walk(branch.list, dot: element)
            variables.removeLast(variables.count - iterationMark)
            if flow == .break { break }
        }
        return .normal
    }

    // MARK: - Pipelines and commands

    private mutating func evaluate(_ pipe: Pipeline, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue?
        for command in pipe.commands {
            value = try evaluate(command, dot: dot, final: value)
        }
        let result = value ?? .nil
        for name in pipe.declarations {
            if pipe.isAssign, let i = variables.lastIndex(where: { $0.name == name }) {
                variables[i].value = result
            } else {
                variables.append((name, result))
            }
        }
        return result
    }

    private mutating func evaluate(_ command: Command, dot: TemplateValue, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let first = command.arguments[0]
        switch first {
        case .field(let names, _):
            return try fieldChain(receiver: dot, names: names, operand: first, hasArguments: command.arguments.count > 1 || final != nil)
        case .variable(let name, let names, _):
            let value = try variable(name, at: first)
            if names.isEmpty {
                try notAFunction(command, final: final)
                return value
            }
            return try fieldChain(receiver: value, names: names, operand: first, hasArguments: command.arguments.count > 1 || final != nil)
        case .chain(let base, let names, _):
            if command.arguments.count > 1 || final != nil {
                try notAFunction(command, final: final)
            }
            let value = try argument(base, dot: dot)
            if case .nil = base { throw error(at: first, "indirection through explicit nil in \(first)") }
            return try fieldChain(receiver: value, names: names, operand: first, hasArguments: false)
        case .function(let name, let position):
            return try call(name, at: position, command: command, arguments: Array(command.arguments.dropFirst()), dot: dot, final: final)
        case .pipeline(let pipe):
            try notAFunction(command, final: final)
            return try evaluate(pipe, dot: dot)
        case .nil:
            throw error(at: first, "nil is not a command")
        case .dot, .bool, .number, .string:
            try notAFunction(command, final: final)
            return try argument(first, dot: dot)
        }
    }

    private func notAFunction(_ command: Command, final: TemplateValue?) throws(TemplateError) {
        if command.arguments.count > 1 || final != nil {
            let first = command.arguments[0]
            throw error(at: first, "can't give argument to non-function \(first)")
        }
    }

    private func variable(_ name: String, at operand: Operand) throws(TemplateError) -> TemplateValue {
        guard let entry = variables.last(where: { $0.name == name }) else {
            throw error(at: operand, "undefined variable: \(name)")
        }
        return entry.value
    }

    /// An operand in argument position: every one is evaluated, a function called without arguments.
    private mutating func argument(_ operand: Operand, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        switch operand {
        case .dot: return dot
        case .nil: return .nil
        case .bool(let b, _): return .bool(b)
        case .number(let n, _, _):
            switch n {
            case .int(let i): return .int(i)
            case .float(let d): return .float(d)
            }
        case .string(let s, _, _): return .string(s)
        case .field(let names, _): return try fieldChain(receiver: dot, names: names, operand: operand, hasArguments: false)
        case .variable(let name, let names, _):
            let value = try variable(name, at: operand)
            return names.isEmpty ? value : try fieldChain(receiver: value, names: names, operand: operand, hasArguments: false)
        case .chain(let base, let names, _):
            let value = try argument(base, dot: dot)
            return try fieldChain(receiver: value, names: names, operand: operand, hasArguments: false)
        case .pipeline(let pipe):
            return try evaluate(pipe, dot: dot)
        case .function(let name, let position):
            return try call(name, at: position, command: Command(position: position, arguments: [operand]), arguments: [], dot: dot, final: nil)
        }
    }

    // MARK: - Fields

    private func fieldChain(receiver: TemplateValue, names: [String], operand: Operand, hasArguments: Bool) throws(TemplateError) -> TemplateValue {
        var value = receiver
        // Go names the receiver's static type in field errors: a value looked up in a
        // `map[string]any` is an `interface {}` there, whatever it holds.
        var staticType: String?
        for (i, name) in names.enumerated() {
            let container = value
            value = try field(name, of: container, staticType: staticType, operand: operand, hasArguments: hasArguments && i == names.count - 1)
            staticType = if case .map(let map) = container, case .nil = map.zero { "interface {}" } else { nil }
        }
        return value
    }

    private func field(_ name: String, of receiver: TemplateValue, staticType: String?, operand: Operand, hasArguments: Bool) throws(TemplateError) -> TemplateValue {
        switch receiver {
        case .nil:
            throw error(at: operand, "nil pointer evaluating interface {}.\(name)")
        case .record(let record):
            guard let value = record[name] else {
                throw error(at: operand, "can't evaluate field \(name) in type \(record.typeName)")
            }
            if hasArguments { throw error(at: operand, "\(name) is not a method but has arguments") }
            return value
        case .map(let map):
            if hasArguments { throw error(at: operand, "\(name) is not a method but has arguments") }
            return map.entries[name] ?? map.zero
        default:
            throw error(at: operand, "can't evaluate field \(name) in type \(staticType ?? receiver.goTypeName)")
        }
    }

    // MARK: - Function calls

    private mutating func call(_ name: String, at position: Int, command: Command, arguments: [Operand],
                               dot: TemplateValue, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        guard let function = functions[name] else {
            throw error(at: position, name, "\(GoQuote.quote(name)) is not a defined function")
        }
        let count = arguments.count + (final == nil ? 0 : 1)
        if function.variadic {
            if count < function.fixed {
                throw error(at: position, name, "wrong number of args for \(name): want at least \(function.fixed) got \(arguments.count)")
            }
        } else if count != function.fixed {
            throw error(at: position, name, "wrong number of args for \(name): want \(function.fixed) got \(count)")
        }
        // `and` and `or` stop at the first deciding argument, unevaluated ones included.
        if name == "and" || name == "or" {
            var value = TemplateValue.nil
            for operand in arguments {
                value = try argument(operand, dot: dot)
                if value.isTruthy == (name == "or") { return value }
            }
            return final ?? value
        }
        var values: [TemplateValue] = []
        for operand in arguments { values.append(try argument(operand, dot: dot)) }
        if let final { values.append(final) }
        do {
            return try function.body(values)
        } catch {
            throw self.error(at: command.position, command.description, "error calling \(name): \(error.message)")
        }
    }
}
