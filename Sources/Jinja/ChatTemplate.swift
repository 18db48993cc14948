import Foundation
import JSON

/// A chat template (a GGUF's `tokenizer.chat_template`), parsed once and rendered per request the
/// way HF transformers renders it: jinja2's sandbox with `trim_blocks` and `lstrip_blocks`,
/// `loopcontrols`, `tojson` as `json.dumps(ensure_ascii=False)`, `raise_exception` and `strftime_now`.
public struct ChatTemplate: Sendable {
    private let body: [Statement]

    public init(_ source: String) throws(JinjaError) {
        body = try Parser.parse(try Lexer.tokenize(source))
    }

    /// Renders with `context` as the template's variables: `messages`, `tools`,
    /// `add_generation_prompt`, `bos_token`, `eos_token` and whatever else the template reads
    /// (`enable_thinking`, `reasoning_effort`, `date_string`…). `now` is what `strftime_now` formats.
    public func render(_ context: JSONObject, now: Date = Date()) throws(JinjaError) -> String {
        let globals = Scope(parent: nil)
        Globals.install(in: globals, now: now)
        for (key, value) in context { globals.set(key, Value(value)) }
        var out = ""
        _ = try Interpreter().execute(body, in: Scope(parent: globals), into: &out)
        return out
    }
}

extension Value {
    /// A request's JSON as the template sees it: what Python's `json.loads` would have made of it.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .float32(let f): self = .float(Double(f))
        case .double(let d): self = .float(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(Value.init))
        case .object(let object): self = .dict(Dict(object.map { ($0.key, Value($0.value)) }))
        }
    }
}
