import JSON

/// DeepSeek's tool-call token grammar (spec §7.4): calls sit between `<｜tool▁call▁begin｜>` and
/// `<｜tool▁call▁end｜>`, split by `<｜tool▁sep｜>`. R1/V3 write `function<｜tool▁sep｜>NAME` then the
/// arguments in a ```json fence; V3.1 writes `NAME<｜tool▁sep｜>ARGUMENTS`.
enum DeepSeekCalls {
    static let callBegin = "<｜tool▁call▁begin｜>"
    static let callEnd = "<｜tool▁call▁end｜>"
    static let separator = "<｜tool▁sep｜>"

    static func parse(_ text: String, names: Set<String>) -> [ToolCallParser.Call] {
        var calls: [ToolCallParser.Call] = []
        for segment in text.split(separator: callBegin).dropFirst() {
            let body = segment.firstRange(of: callEnd).map { segment[..<$0.lowerBound] } ?? segment
            guard let sep = body.firstRange(of: separator) else { continue }
            let before = body[..<sep.lowerBound].trimmingWhitespace()
            var after = Substring(body[sep.upperBound...])
            var name = before
            if before == "function" {
                // R1: the name runs to the end of the line, the arguments follow in a fence.
                let line = after.prefix { $0 != "\n" }
                name = line.trimmingWhitespace()
                after = after.dropFirst(line.count)
            }
            var json = after.trimmingWhitespace()
            if json.hasPrefix("```") {
                json = String(json.drop { $0 != "\n" }.dropFirst())
                if let fence = json.firstRange(of: "```") { json = String(json[..<fence.lowerBound]) }
            }
            guard names.contains(name), let arguments = (try? JSONParser.parse(Array(json.utf8)))?.objectValue else { continue }
            calls.append(ToolCallParser.Call(name: name, arguments: arguments))
        }
        return calls
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
