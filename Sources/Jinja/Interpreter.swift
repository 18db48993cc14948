/// Runs a parsed template: statements append to the output, expressions evaluate to `Value`s.
/// Errors from filters, calls and operators are placed at the expression that caused them.
final class Interpreter {
    /// Macro calls nest at most this deep, so a runaway recursive macro fails instead of overflowing the stack.
    private static let maxCallDepth = 200
    private var callDepth = 0

    enum Flow { case normal, breakLoop, continueLoop }

    func execute(_ statements: [Statement], in scope: Scope, into out: inout String) throws(JinjaError) -> Flow {
        for statement in statements {
            let flow = try execute(statement, in: scope, into: &out)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func execute(_ statement: Statement, in scope: Scope, into out: inout String) throws(JinjaError) -> Flow {
        switch statement {
        case .text(let text):
            out += text
        case .output(let expression):
            out += PythonFormat.str(try evaluate(expression, in: scope))
        case .conditional(let branches, let otherwise):
            for branch in branches where try evaluate(branch.condition, in: scope).isTruthy {
                return try execute(branch.body, in: scope, into: &out)
            }
            return try execute(otherwise, in: scope, into: &out)
        case .forLoop(let loop):
            let items = try evaluate(loop.iterable, in: scope)
            try run(loop, over: items, depth0: 0, in: scope, into: &out)
        case .assign(let target, let expression, let location):
            try assign(try evaluate(expression, in: scope), to: target, in: scope, at: location)
        case .assignBlock(let target, let body, let filters, let location):
            var text = ""
            _ = try execute(body, in: scope, into: &text)
            var value = Value.string(text)
            for filter in filters { value = try applyFilter(filter, to: value, in: scope) }
            try assign(value, to: target, in: scope, at: location)
        case .macro(let definition):
            scope.set(definition.name, .function(macro(definition, definedIn: scope)))
        case .callBlock(let call, let parameters, let body):
            guard case .call(let callee, let arguments) = call.kind else { return .normal }
            let caller = macro(MacroDefinition(name: "caller", parameters: parameters, body: body), definedIn: scope)
            var evaluated = try evaluate(arguments, in: scope)
            evaluated.keyword.append(("caller", .function(caller)))
            out += PythonFormat.str(try self.call(try evaluate(callee, in: scope), evaluated, at: call.location))
        case .filterBlock(let filters, let body):
            var text = ""
            _ = try execute(body, in: Scope(parent: scope), into: &text)
            var value = Value.string(text)
            for filter in filters { value = try applyFilter(filter, to: value, in: scope) }
            out += PythonFormat.str(value)
        case .loopBreak:
            return .breakLoop
        case .loopContinue:
            return .continueLoop
        }
        return .normal
    }

    // MARK: Loops

    /// One pass of a for loop; a `recursive` loop calls this again through `loop(children)`.
    private func run(_ loop: ForLoop, over iterable: Value, depth0: Int, in scope: Scope, into out: inout String) throws(JinjaError) {
        var items: [Value]
        do { items = try iterable.iterated() } catch { throw error.located(at: loop.iterable.location) }
        if let filter = loop.filter {
            var kept: [Value] = []
            for item in items {
                let iteration = Scope(parent: scope)
                try assign(item, to: loop.target, in: iteration, at: loop.location)
                if try evaluate(filter, in: iteration).isTruthy { kept.append(item) }
            }
            items = kept
        }
        guard !items.isEmpty else {
            _ = try execute(loop.otherwise, in: scope, into: &out)
            return
        }
        let recurse: Function? = loop.recursive ? Function("loop") { [unowned self] args throws(JinjaError) in
            guard args.positional.count == 1 else { throw .runtime("loop() takes exactly one argument") }
            var text = ""
            try self.run(loop, over: args.positional[0], depth0: depth0 + 1, in: scope, into: &text)
            return .string(text)
        } : nil
        let loopObject = LoopObject(items: items, depth0: depth0, recurse: recurse)
        for (i, item) in items.enumerated() {
            loopObject.index0 = i
            let iteration = Scope(parent: scope)
            iteration.set("loop", .loop(loopObject))
            try assign(item, to: loop.target, in: iteration, at: loop.location)
            if try execute(loop.body, in: iteration, into: &out) == .breakLoop { break }
        }
    }

    private func assign(_ value: Value, to target: AssignTarget, in scope: Scope, at location: SourceLocation) throws(JinjaError) {
        switch target {
        case .name(let name):
            scope.set(name, value)
        case .tuple(let names):
            let items: [Value]
            do { items = try value.iterated() } catch { throw error.located(at: location) }
            guard items.count == names.count else {
                let problem = items.count > names.count ? "too many values to unpack" : "not enough values to unpack"
                throw JinjaError.runtime("\(problem) (expected \(names.count), got \(items.count))").located(at: location)
            }
            for (name, item) in zip(names, items) { scope.set(name, item) }
        case .attribute(let object, let attribute):
            guard case .namespace(let namespace) = scope.lookup(object) ?? .undefined("") else {
                throw JinjaError.runtime("cannot assign attribute on non-namespace object").located(at: location)
            }
            try Globals.checkNamespaceName(attribute, at: location)
            namespace.attributes[attribute] = value
        }
    }

    // MARK: Macros

    /// A macro as a callable value. Its body sees the scope it was defined in (so later top-level
    /// `set`s are visible, as in jinja2), its parameters, `varargs`, `kwargs` and `caller`.
    private func macro(_ definition: MacroDefinition, definedIn scope: Scope) -> Function {
        Function(definition.name) { [unowned self] args throws(JinjaError) in
            let local = Scope(parent: scope)
            let names = definition.parameters.map(\.name)
            for (i, value) in args.positional.prefix(names.count).enumerated() { local.set(names[i], value) }
            local.set("varargs", .tuple(Array(args.positional.dropFirst(names.count))))
            var extra = Dict()
            for (name, value) in args.keyword {
                if name == "caller" {
                    local.set("caller", value)
                } else if let i = names.firstIndex(of: name) {
                    guard i >= args.positional.count else {
                        throw .runtime("macro '\(definition.name)' got multiple values for argument '\(name)'")
                    }
                    local.set(name, value)
                } else {
                    extra[name] = value
                }
            }
            local.set("kwargs", .dict(extra))
            for (i, parameter) in definition.parameters.enumerated() where i >= args.positional.count && !args.keyword.contains(where: { $0.name == parameter.name }) {
                if let defaultValue = parameter.defaultValue {
                    local.set(parameter.name, try self.evaluate(defaultValue, in: local))
                } else {
                    local.set(parameter.name, .undefined("parameter '\(parameter.name)' was not provided"))
                }
            }
            guard self.callDepth < Self.maxCallDepth else { throw .runtime("macro calls nested too deeply") }
            self.callDepth += 1
            defer { self.callDepth -= 1 }
            var text = ""
            _ = try self.execute(definition.body, in: local, into: &text)
            return .string(text)
        }
    }
}
