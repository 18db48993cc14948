/// Reads what the user types at `>>> `, one message at a time. `"""` opens a block that ends at
/// a line ending with `"""` (same-line `"""text"""` is one message); `/set system """` opens one
/// too, and the command then carries the whole block.
enum MessageReader {
    /// The next message or command; nil at end of input (Ctrl-D).
    static func next() -> String? {
        Terminal.out(">>> ")
        while true {
            guard let line = readLine(strippingNewline: true) else { return nil }
            if Interrupt.take() {
                Terminal.out("Use Ctrl + d or /bye to exit.\n>>> ")
                continue
            }
            let prefix = line.hasPrefix("/set system \"\"\"") ? "/set system " : ""
            guard line.dropFirst(prefix.count).hasPrefix("\"\"\"") else { return line }
            return prefix + block(startingWith: String(line.dropFirst(prefix.count + 3)))
        }
    }

    /// The block's text: `first` (what follows the opening quotes) and the lines up to the one
    /// ending with `"""`.
    private static func block(startingWith first: String) -> String {
        if first.hasSuffix("\"\"\""), !first.isEmpty { return String(first.dropLast(3)) }
        var body = first
        while true {
            Terminal.out("... ")
            guard let more = readLine(strippingNewline: true) else { return body }
            let closes = more.hasSuffix("\"\"\"")
            body += (body.isEmpty ? "" : "\n") + (closes ? more.dropLast(3) : more[...])
            if closes { return body }
        }
    }
}
