/// One way of reading the bytes so far: a stack of open values plus the scanner of the innermost
/// string, number, literal or key. Deterministic; a choice between schemas that the next byte cannot
/// settle splits it in two (see `GrammarState`). A plain value type, cheap to copy.
struct ParsePath: Sendable, Equatable {
    private var stack = FrameStack()
    private var awaitingRoot = true
    private var gap = Whitespace()
    private var string = StringScanner()
    private var number = NumberScanner()
    private var literal = LiteralMatch(lower: 0, upper: 0, offset: 0)
    /// While a key is read: whether it still spells the start of some declared key, of one that may
    /// come here, or can still be an undeclared key.
    private var keySpellsDeclared = false
    private var keyMayBeDeclared = false
    private var keyMayBeAdditional = false

    /// Phases of an object frame; `additionalKey` marks a value that belongs to an undeclared key.
    private enum ObjectPhase: UInt8 { case start, open, key, colon, value, afterValue, afterComma }
    private static let additionalKey: UInt8 = 0x80
    private enum ArrayPhase: UInt8 { case start, open, afterItem, afterComma }

    /// Whether a whole value has been read: nothing open, or only a root number (or literal) that
    /// could still grow but may also end here.
    func isComplete(in grammar: CompiledGrammar) -> Bool {
        if stack.isEmpty { return !awaitingRoot }
        guard stack.depth == 1 else { return false }
        switch grammar.nodes[stack.top.node] {
        case .number(let rule): return number.isAccepting(rule: rule)
        case .literals(let table): return table.completed(literal) != nil
        default: return false
        }
    }

    /// When the innermost open value is a string value and the reader is between characters: how
    /// many more characters it may take. Any run of plain characters up to that many is then
    /// accepted, which lets a sampler skip reading most tokens byte by byte.
    func openStringRoom(in grammar: CompiledGrammar) -> Int? {
        guard !stack.isEmpty, case .string(let rule) = grammar.nodes[stack.top.node], string.isBetweenCharacters else { return nil }
        return rule.maxLength - Int(string.length)
    }

    /// Reads `byte`. Returns false when no continuation of this path admits it (the path is then
    /// dead and must be dropped). Paths split off by a choice the byte cannot settle go to `forks`.
    mutating func feed(_ byte: UInt8, in grammar: CompiledGrammar, forks: inout [ParsePath]) -> Bool {
        while true {
            if stack.isEmpty {
                guard awaitingRoot else { return false }
                awaitingRoot = false
                return startValue(grammar.root, byte, grammar, &forks)
            }
            let frame = stack.top
            switch grammar.nodes[frame.node] {
            case .string(let rule):
                switch string.feed(byte, rule: rule, canonical: false) {
                case .rejected: return false
                case .consumed: return true
                case .closed:
                    stack.pop()
                    return true
                }
            case .number(let rule):
                if number.feed(byte, rule: rule) { return true }
                guard number.isAccepting(rule: rule) else { return false }
                stack.pop()  // the byte ends the number; the enclosing value reads it
            case .literals(let table):
                if let next = table.narrowed(literal, by: byte) {
                    literal = next
                    if !table.canExtend(next) { stack.pop() }
                    return true
                }
                guard table.completed(literal) != nil else { return false }
                stack.pop()
            case .object(let rule):
                return feedObject(byte, frame, rule, grammar, &forks)
            case .array(let rule):
                return feedArray(byte, frame, rule, grammar, &forks)
            case .choice:
                preconditionFailure("a choice is settled when its value starts")
            }
        }
    }

    /// Opens a value of `node` with its first byte, splitting the path when several alternatives take it.
    private mutating func startValue(_ node: NodeID, _ byte: UInt8, _ grammar: CompiledGrammar, _ forks: inout [ParsePath]) -> Bool {
        let alternatives = grammar.alternatives[node]
        if alternatives.count == 1 { return open(alternatives[0], byte, grammar, &forks) }
        let base = self
        var matched = false
        for alternative in alternatives where grammar.firstBytes[alternative].contains(byte) {
            var path = base
            guard path.open(alternative, byte, grammar, &forks) else { continue }
            if matched {
                forks.append(path)
            } else {
                self = path
                matched = true
            }
        }
        return matched
    }

    private mutating func open(_ node: NodeID, _ byte: UInt8, _ grammar: CompiledGrammar, _ forks: inout [ParsePath]) -> Bool {
        switch grammar.nodes[node] {
        case .string: string = StringScanner()
        case .number: number = NumberScanner()
        case .literals(let table): literal = table.all
        case .object, .array:
            // Keep the last slot for a string, number or literal, so a full stack never blocks a value.
            guard stack.depth < FrameStack.capacity - 1 else { return false }
        case .choice: preconditionFailure("choices are flattened")
        }
        guard stack.push(Frame(node: node)) else { return false }
        gap.reset()
        return feed(byte, in: grammar, forks: &forks)
    }

    private mutating func feedObject(_ byte: UInt8, _ frame: Frame, _ rule: ObjectRule, _ grammar: CompiledGrammar,
                                     _ forks: inout [ParsePath]) -> Bool {
        var frame = frame
        let isAdditional = frame.phase & Self.additionalKey != 0
        let phase = ObjectPhase(rawValue: frame.phase & ~Self.additionalKey)!
        if Whitespace.isWhitespace(byte) && phase != .start && phase != .key {
            // After a value whitespace can only lead to `}` (no space before a comma), so it is
            // refused while required keys remain: every accepted prefix must still be completable.
            guard phase != .afterValue || frame.count >= rule.requiredCount else { return false }
            return gap.feed(byte)
        }
        switch phase {
        case .start:
            guard byte == UInt8(ascii: "{") else { return false }
            frame.phase = ObjectPhase.open.rawValue
        case .open, .afterComma:
            if byte == UInt8(ascii: "\"") && rule.acceptsKey(at: frame.count) {
                beginKey(rule, cursor: frame.count)
                frame.phase = ObjectPhase.key.rawValue
            } else if byte == UInt8(ascii: "}") && phase == .open && rule.requiredCount == 0 {
                close()
                return true
            } else {
                return false
            }
        case .key:
            switch readKey(byte, rule, cursor: frame.count) {
            case .rejected: return false
            case .consumed: return true
            case .declared(let index):
                frame.count = index + 1
                frame.phase = ObjectPhase.colon.rawValue
            case .additional:
                frame.count = rule.values.count
                frame.phase = ObjectPhase.colon.rawValue | Self.additionalKey
            }
        case .colon:
            guard byte == UInt8(ascii: ":") else { return false }
            frame.phase = ObjectPhase.value.rawValue | (isAdditional ? Self.additionalKey : 0)
        case .value:
            frame.phase = ObjectPhase.afterValue.rawValue
            stack.top = frame
            return startValue(isAdditional ? rule.additional! : rule.values[frame.count - 1], byte, grammar, &forks)
        case .afterValue:
            if byte == UInt8(ascii: ",") && !gap.hasBegun && rule.acceptsKey(at: frame.count) {
                frame.phase = ObjectPhase.afterComma.rawValue
            } else if byte == UInt8(ascii: "}") && frame.count >= rule.requiredCount {
                close()
                return true
            } else {
                return false
            }
        }
        gap.reset()
        stack.top = frame
        return true
    }

    private mutating func feedArray(_ byte: UInt8, _ frame: Frame, _ rule: ArrayRule, _ grammar: CompiledGrammar,
                                    _ forks: inout [ParsePath]) -> Bool {
        var frame = frame
        let phase = ArrayPhase(rawValue: frame.phase)!
        if Whitespace.isWhitespace(byte) && phase != .start {
            guard phase != .afterItem || frame.count >= rule.minItems else { return false }
            return gap.feed(byte)
        }
        switch phase {
        case .start:
            guard byte == UInt8(ascii: "[") else { return false }
            frame.phase = ArrayPhase.open.rawValue
        case .open, .afterComma:
            if byte == UInt8(ascii: "]") && phase == .open && rule.minItems == 0 {
                close()
                return true
            }
            guard frame.count < rule.maxItems else { return false }
            frame.count += 1
            frame.phase = ArrayPhase.afterItem.rawValue
            stack.top = frame
            return startValue(rule.items, byte, grammar, &forks)
        case .afterItem:
            if byte == UInt8(ascii: ",") && !gap.hasBegun && frame.count < rule.maxItems {
                frame.phase = ArrayPhase.afterComma.rawValue
            } else if byte == UInt8(ascii: "]") && frame.count >= rule.minItems {
                close()
                return true
            } else {
                return false
            }
        }
        gap.reset()
        stack.top = frame
        return true
    }

    /// Ends the innermost object or array at its closing byte; the enclosing value's gap starts afresh.
    private mutating func close() {
        stack.pop()
        gap.reset()
    }

    // MARK: Keys

    private enum KeyStep { case rejected, consumed, declared(Int), additional }

    private mutating func beginKey(_ rule: ObjectRule, cursor: Int) {
        string = StringScanner()
        _ = string.feed(UInt8(ascii: "\""), rule: StringRule(), canonical: true)
        literal = rule.keys.all
        keySpellsDeclared = !rule.keys.entries.isEmpty
        keyMayBeDeclared = rule.values.count > cursor
        keyMayBeAdditional = rule.additional != nil && cursor >= rule.requiredCount
    }

    /// Which declared properties may come next: the next required one, or any later optional one.
    private static func isAllowed(_ index: Int, _ rule: ObjectRule, cursor: Int) -> Bool {
        cursor < rule.requiredCount ? index == cursor : index >= cursor
    }

    /// A key is matched against the declared spellings and, where undeclared keys are allowed, read
    /// as a string that must not spell any declared key, used or not (llama.cpp's rule, which keeps
    /// keys unique).
    private mutating func readKey(_ byte: UInt8, _ rule: ObjectRule, cursor: Int) -> KeyStep {
        let closes = keyMayBeAdditional ? string.closesOnQuote : keySpellsDeclared && rule.keys.completed(literal) != nil
        if byte == UInt8(ascii: "\"") && closes {
            if keySpellsDeclared, let end = rule.keys.completed(literal) {
                let index = rule.keys.tags[end]
                return Self.isAllowed(index, rule, cursor: cursor) ? .declared(index) : .rejected
            }
            return keyMayBeAdditional ? .additional : .rejected
        }
        if keySpellsDeclared {
            if let next = rule.keys.narrowed(literal, by: byte) {
                literal = next
                keyMayBeDeclared = (Int(next.lower)..<Int(next.upper)).contains { Self.isAllowed(rule.keys.tags[$0], rule, cursor: cursor) }
            } else {
                keySpellsDeclared = false
                keyMayBeDeclared = false
            }
        }
        if keyMayBeAdditional {
            keyMayBeAdditional = string.feed(byte, rule: StringRule(), canonical: true) == .consumed
        }
        return keyMayBeDeclared || keyMayBeAdditional ? .consumed : .rejected
    }
}
