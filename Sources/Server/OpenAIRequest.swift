import JSON
import OllamaAPI

/// Translates OpenAI request bodies into native ones (spec §2.2–§2.5), so the `/v1` layer is a
/// thin shell over the native pipeline. Errors are `APIError`s, shaped as OpenAI errors by the caller.
enum OpenAIRequest {
    /// The sampling defaults OpenAI clients expect: temperature and top_p 1.0 when absent.
    static func options(_ f: RequestFields) throws(APIError) -> JSONObject {
        var options: JSONObject = ["temperature": .double(1), "top_p": .double(1)]
        if let t = f.value("temperature") { options["temperature"] = t }
        if let p = f.value("top_p"), p.doubleValue != 0 { options["top_p"] = p }
        for key in ["seed", "frequency_penalty", "presence_penalty"] { if let v = f.value(key) { options[key] = v } }
        if let n = f.value("max_completion_tokens") ?? f.value("max_tokens") { options["num_predict"] = n }
        switch f.value("stop") {
        case nil: break
        case .string(let s)?: options["stop"] = .array([.string(s)])
        case .array(let a)?: options["stop"] = .array(a)
        case let v?: throw .badRequest("invalid stop value: \(v.text())")
        }
        if let n = try f.int("n"), n > 1 { throw .badRequest("n > 1 is not supported: ask for one choice per request") }
        return options
    }

    /// `response_format` → native `format`.
    static func format(_ f: RequestFields) throws(APIError) -> JSONValue? {
        guard let rf = try f.object("response_format") else { return nil }
        switch rf["type"]?.stringValue {
        case "json_object": return .string("json")
        case "json_schema":
            guard let schema = rf["json_schema"]?.objectValue?["schema"] else { throw .badRequest("response_format json_schema needs a schema") }
            return schema
        case "text", nil: return nil
        case let other?: throw .badRequest("invalid response_format type: \(other)")
        }
    }

    /// `reasoning_effort` / `reasoning.effort` → `think` (spec §2.2).
    static func think(_ f: RequestFields) throws(APIError) -> JSONValue? {
        var effort = try f.string("reasoning_effort")
        if effort == nil { effort = try f.object("reasoning")?["effort"]?.stringValue }
        switch effort {
        case nil: return nil
        case "none": return .bool(false)
        case "minimal": return .string("low")
        case "low", "medium", "high", "max": return .string(effort!)
        case "xhigh", "ultra": return .string("max")
        case let other?: throw .badRequest("invalid reasoning value: \"\(other)\"")
        }
    }

    /// `/v1/chat/completions` body → `/api/chat` body.
    static func chat(_ body: [UInt8]) throws(APIError) -> (native: [UInt8], includeUsage: Bool) {
        let f = try RequestFields.parse(body, structName: "ChatCompletionRequest")
        guard let items = try f.array("messages", of: "openai.Message"), !items.isEmpty else {
            throw .badRequest("[] is too short - 'messages'")
        }
        var messages: [JSONValue] = []
        var callNames: [String: String] = [:]
        for item in items {
            guard let m = item.objectValue, let role = m["role"]?.stringValue else { throw .badRequest("invalid message format") }
            var native: JSONObject = ["role": .string(role == "developer" ? "system" : role)]
            if let reasoning = m["reasoning"]?.stringValue ?? m["reasoning_content"]?.stringValue { native["thinking"] = .string(reasoning) }
            if let calls = m["tool_calls"]?.arrayValue {
                native["tool_calls"] = .array(try calls.map { (call) throws(APIError) in
                    guard let c = call.objectValue, let fn = c["function"]?.objectValue, let name = fn["name"]?.stringValue else {
                        throw .badRequest("invalid tool call arguments")
                    }
                    var arguments: JSONValue = .object([:])
                    if case .string(let s)? = fn["arguments"] {
                        guard let parsed = try? JSONParser.parse(Array(s.utf8)), parsed.objectValue != nil else { throw .badRequest("invalid tool call arguments") }
                        arguments = parsed
                    } else if let o = fn["arguments"], o.objectValue != nil {
                        arguments = o
                    }
                    if let id = c["id"]?.stringValue { callNames[id] = name }
                    var out: JSONObject = ["function": .object(["name": .string(name), "arguments": arguments])]
                    if let id = c["id"] { out["id"] = id }
                    return .object(out)
                })
            }
            if role == "tool" {
                let id = m["tool_call_id"]?.stringValue ?? ""
                if let name = m["name"]?.stringValue ?? callNames[id] { native["tool_name"] = .string(name) }
                if !id.isEmpty { native["tool_call_id"] = .string(id) }
            }
            switch m["content"] {
            case .string(let s)?: native["content"] = .string(s); messages.append(.object(native))
            case nil, .null?:
                guard native["tool_calls"] != nil else { throw .badRequest("invalid message format") }
                native["content"] = .string("")
                messages.append(.object(native))
            case .array(let parts)?:
                // One native message per part; the template joins same-role neighbours.
                for part in parts {
                    guard let p = part.objectValue else { throw .badRequest("invalid message format") }
                    switch p["type"]?.stringValue {
                    case "text": var copy = native; copy["content"] = p["text"] ?? .string(""); messages.append(.object(copy))
                    case "image_url": throw .badRequest("invalid image input: this server runs text-only models")
                    default: throw .badRequest("invalid message format")
                    }
                }
            default: throw .badRequest("invalid message format")
            }
        }
        var native: JSONObject = ["model": .string(try f.string("model") ?? ""), "messages": .array(messages),
                                  "stream": .bool(try f.bool("stream") ?? false), "options": .object(try options(f))]
        if let tools = try f.array("tools", of: "openai.Tool") { native["tools"] = .array(tools) }
        if let format = try format(f) { native["format"] = format }
        if let think = try think(f) { native["think"] = think }
        if try f.bool("_debug_render_only") == true { native["_debug_render_only"] = .bool(true) }
        let includeUsage = try f.object("stream_options")?["include_usage"]?.boolValue ?? false
        return (JSONValue.object(native).serialized(), includeUsage)
    }

    /// `/v1/completions` body → `/api/generate` body.
    static func completion(_ body: [UInt8]) throws(APIError) -> (native: [UInt8], includeUsage: Bool) {
        let f = try RequestFields.parse(body, structName: "CompletionRequest")
        guard case .string(let prompt)? = f.value("prompt") else { throw .badRequest("prompt must be a string") }
        var native: JSONObject = ["model": .string(try f.string("model") ?? ""), "prompt": .string(prompt),
                                  "stream": .bool(try f.bool("stream") ?? false), "options": .object(try options(f))]
        if let suffix = try f.string("suffix") { native["suffix"] = .string(suffix) }
        let includeUsage = try f.object("stream_options")?["include_usage"]?.boolValue ?? false
        return (JSONValue.object(native).serialized(), includeUsage)
    }
}
