/// The walks Ollama makes over a template's parse tree to learn what the model expects. Each copies
/// the reach of Ollama's own walk (which nodes it enters and which it skips), because the answers
/// decide the capabilities a model reports and how its output is parsed.
enum TreeAnalysis {
    /// `template.Identifiers` over every tree, lowercased: the field and variable names the
    /// template mentions (`.Messages` and `$.Messages` both give "messages"). Ollama refuses a
    /// `{{template}}` call without a pipeline here.
    static func identifiers(_ parsed: ParsedTemplate) throws(TemplateError) -> Set<String> {
        var names = Set<String>()
        func visit(_ nodes: [Node]) throws(TemplateError) {
            for node in nodes {
                switch node {
                case .action(let pipe): visit(pipe)
                case .if(let b), .range(let b), .with(let b):
                    visit(b.pipeline)
                    try visit(b.list)
                    if let e = b.elseList { try visit(e) }
                case .template(_, let pipe, _):
                    guard let pipe else { throw TemplateError(phase: .analysis, line: 0, message: "undefined template specified") }
                    visit(pipe)
                case .text, .break, .continue: break
                }
            }
        }
        func visit(_ pipe: Pipeline) {
            for command in pipe.commands {
                for argument in command.arguments {
                    switch argument {
                    case .field(let idents, _): idents.forEach { names.insert($0.lowercased()) }
                    case .variable(let name, let fields, _): ([name] + fields).forEach { names.insert($0.lowercased()) }
                    case .pipeline(let inner): visit(inner)
                    default: break
                    }
                }
            }
        }
        try visit(parsed.root)
        for name in parsed.definitions.keys.sorted() { try visit(parsed.definitions[name]!) }
        return names
    }

    /// `tools.parseTag`: the first non-blank text inside the first `{{if}}` whose command mentions a
    /// `.ToolCalls` field, up to any `{`, trimmed; "{" when there is none.
    static func toolCallTag(_ root: [Node]) -> String {
        guard let body = toolCallBlock(root), let text = firstText(body) else { return "{" }
        let normalized = text.replacingCRLF()
        let beforeBrace = normalized.split(separator: "{", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let tag = beforeBrace.trimmingGoSpace()
        return tag.isEmpty ? "{" : tag
    }

    private static func toolCallBlock(_ nodes: [Node]) -> [Node]? {
        for node in nodes {
            switch node {
            case .if(let b):
                let mentions = b.pipeline.commands.contains { command in
                    command.arguments.contains { if case .field(let idents, _) = $0 { idents.contains("ToolCalls") } else { false } }
                }
                if mentions { return b.list }
                if let found = toolCallBlock(b.list) ?? b.elseList.flatMap(toolCallBlock) { return found }
            case .range(let b), .with(let b):
                if let found = toolCallBlock(b.list) ?? b.elseList.flatMap(toolCallBlock) { return found }
            default: continue
            }
        }
        return nil
    }

    /// Depth first; an action, or a control structure without text, ends the search.
    private static func firstText(_ nodes: [Node]) -> String? {
        for node in nodes {
            switch node {
            case .text(let t):
                if !t.trimmingGoSpace().isEmpty { return t }
            case .if(let b), .range(let b), .with(let b):
                return firstText(b.list) ?? b.elseList.flatMap(firstText)
            case .action: return nil
            default: continue
            }
        }
        return nil
    }

    /// `thinking.InferTags`: for every `.Thinking…` field inside a `range` over a `.Messages`
    /// field, the list holding it gives its leading text as the opening tag and its trailing
    /// text as the closing tag (each only when that node is text). Later matches win.
    static func thinkingTags(_ root: [Node]) -> (open: String, close: String) {
        var open = "", close = ""
        var lists: [[Node]] = []
        var rangeOverMessages: [Bool] = [] // innermost range last

        func found() {
            guard rangeOverMessages.last == true, let list = lists.last else { return }
            if case .text(let t)? = list.first { open = t.trimmingGoSpace() }
            if case .text(let t)? = list.last { close = t.trimmingGoSpace() }
        }
        func visit(_ pipe: Pipeline) {
            for command in pipe.commands {
                for argument in command.arguments {
                    switch argument {
                    case .field(let idents, _) where idents.first == "Thinking": found()
                    case .pipeline(let inner): visit(inner)
                    default: break
                    }
                }
            }
        }
        func visit(list: [Node]) {
            lists.append(list)
            defer { lists.removeLast() }
            for node in list {
                switch node {
                case .action(let pipe): visit(pipe)
                case .if(let b), .with(let b):
                    visit(branch: b)
                case .range(let b):
                    let overMessages = b.pipeline.commands.contains { mentionsField("Messages", $0) }
                    rangeOverMessages.append(overMessages)
                    visit(branch: b)
                    rangeOverMessages.removeLast()
                case .template(_, let pipe?, _): visit(pipe)
                default: break
                }
            }
        }
        func visit(branch b: Branch) {
            visit(b.pipeline)
            visit(list: b.list)
            if let e = b.elseList { visit(list: e) }
        }
        visit(list: root)
        return (open, close)
    }

    /// A field whose first name is `name`, anywhere in the command (nested pipelines included).
    private static func mentionsField(_ name: String, _ command: Command) -> Bool {
        command.arguments.contains { argument in
            switch argument {
            case .field(let idents, _): idents.first == name
            case .pipeline(let inner): inner.commands.contains { mentionsField(name, $0) }
            default: false
            }
        }
    }

    /// The legacy final turn: the tree up to and including the first `.Response` field, everything
    /// after it deleted (Ollama's `deleteNode`), so generation continues where the answer goes.
    static func cutAfterResponse(_ root: [Node]) -> [Node] {
        var cut = false
        func list(_ nodes: [Node]) -> [Node] {
            if cut { return [] }
            return nodes.compactMap(node)
        }
        func node(_ n: Node) -> Node? {
            if cut { return nil }
            switch n {
            case .action(let pipe): return pipeline(pipe).map(Node.action)
            case .if(let b): return .if(branch(b))
            case .range(let b): return .range(branch(b))
            case .with(let b): return .with(branch(b))
            default: return n
            }
        }
        // Ollama walks the branch's lists but not its condition.
        func branch(_ b: Branch) -> Branch {
            var b = b
            b.list = list(b.list)
            b.elseList = b.elseList.map(list)
            return b
        }
        func pipeline(_ pipe: Pipeline) -> Pipeline? {
            var pipe = pipe
            var commands: [Command] = []
            for var command in pipe.commands {
                var kept: [Operand] = []
                for argument in command.arguments {
                    if cut { continue }
                    switch argument {
                    case .field(let idents, _) where idents.contains("Response"):
                        cut = true
                        kept.append(argument)
                    case .pipeline(let inner):
                        if let inner = pipeline(inner) { kept.append(.pipeline(inner)) }
                    default:
                        kept.append(argument)
                    }
                }
                if kept.isEmpty { return nil }
                command.arguments = kept
                commands.append(command)
            }
            pipe.commands = commands
            return commands.isEmpty ? nil : pipe
        }
        return list(root)
    }
}

extension String {
    /// Go's `strings.TrimSpace` (ASCII and Unicode white space).
    func trimmingGoSpace() -> String {
        let scalars = Array(unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    fileprivate func replacingCRLF() -> String {
        var out = ""
        for c in self {
            if c == "\r\n" { out += "\n" } else { out.append(c) }
        }
        return out
    }
}
