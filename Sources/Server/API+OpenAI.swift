import Engine
import Hummingbird
import JSON
import Logging
import ModelStore
import OllamaAPI
import Synchronization

/// The OpenAI-compatible layer (spec §2): requests are translated into native ones and run
/// through the same pipeline; replies are reshaped into OpenAI's objects and server-sent events.
extension API {
    /// Shared by the chunks of one completion: its id and time, and what was already sent.
    final class CompletionState: Sendable {
        let id: String
        let created: Int
        private let flags = Mutex<(sentRole: Bool, sawToolCalls: Bool)>((false, false))

        init(prefix: String) {
            id = prefix + String(UInt64.random(in: 0..<UInt64(1e12)))
            created = Int(Timestamp.nowNanoseconds() / 1_000_000_000)
        }

        /// True the first time only: the first delta carries the role.
        func takeRole() -> Bool { flags.withLock { f in defer { f.sentRole = true }; return !f.sentRole } }
        func noteToolCalls() { flags.withLock { $0.sawToolCalls = true } }
        var sawToolCalls: Bool { flags.withLock { $0.sawToolCalls } }
    }

    static func openAIToolCalls(_ calls: [ToolCall]) -> JSONValue {
        .array(calls.map { call in
            .object(["id": .string(call.id), "index": .int(call.index), "type": .string("function"),
                     "function": .object(["name": .string(call.name), "arguments": .string(JSONValue.object(call.arguments).text())])])
        })
    }

    static func usage(_ m: Metrics) -> JSONValue {
        .object(["prompt_tokens": .int(m.promptEvalCount), "completion_tokens": .int(m.evalCount),
                 "total_tokens": .int(m.promptEvalCount + m.evalCount)])
    }

    /// A stream's last events: the finish chunk, then (with `stream_options.include_usage`) a
    /// chunk with no choices carrying the usage.
    static func closing(_ finish: JSONObject, usage empty: JSONObject?, outcome: Outcome) -> [JSONObject] {
        guard var usage = empty else { return [finish] }
        usage["usage"] = Self.usage(outcome.metrics)
        return [finish, usage]
    }

    static func finishReason(_ outcome: Outcome, toolCalls: Bool) -> String {
        outcome.reason == .stop && toolCalls ? "tool_calls" : outcome.reason.rawValue
    }

    /// `POST /v1/chat/completions` (spec §2.2).
    func openAIChat(_ request: Request, _ context: TernContext) async throws -> Response {
        let received = Monotonic.now()
        do throws(APIError) {
            let (native, includeUsage) = try OpenAIRequest.chat(try await Self.body(request))
            let req = try ChatRequest(body: native)
            let setup = try prepareChat(req)
            if req.debugRenderOnly {
                return HTTPResponses.json(.object(["_debug_info": .object(["rendered_template": .string(setup.prompt), "image_count": .int(0)])]))
            }
            let model = req.model
            let state = CompletionState(prefix: "chatcmpl-")
            @Sendable func envelope(_ choices: JSONValue) -> JSONObject {
                ["id": .string(state.id), "object": .string("chat.completion.chunk"), "created": .int(state.created),
                 "model": .string(model), "system_fingerprint": .string("fp_ollama"), "choices": choices]
            }
            @Sendable func choice(_ delta: JSONObject, finish: String?) -> JSONValue {
                .array([.object(["index": .int(0), "delta": .object(delta), "finish_reason": finish.map { .string($0) } ?? .null])])
            }
            let plan = GenerationPlan(
                entry: setup.entry, options: setup.options, keepAlive: nil, stream: req.stream,
                tokens: setup.tokens, router: setup.router,
                chunk: { delta in
                    // Reasoning and content travel in separate chunks, reasoning first.
                    var out: [JSONObject] = []
                    @Sendable func withRole(_ d: JSONObject) -> JSONObject {
                        guard state.takeRole() else { return d }
                        var r: JSONObject = ["role": .string("assistant")]
                        for (k, v) in d { r[k] = v }
                        return r
                    }
                    if !delta.thinking.isEmpty {
                        out.append(envelope(choice(withRole(["reasoning": .string(delta.thinking), "reasoning_content": .string(delta.thinking)]), finish: nil)))
                    }
                    if !delta.content.isEmpty { out.append(envelope(choice(withRole(["content": .string(delta.content)]), finish: nil))) }
                    if !delta.toolCalls.isEmpty {
                        state.noteToolCalls()
                        out.append(envelope(choice(withRole(["tool_calls": Self.openAIToolCalls(delta.toolCalls)]), finish: nil)))
                    }
                    return out
                },
                final: { outcome in
                    Self.closing(envelope(choice([:], finish: Self.finishReason(outcome, toolCalls: state.sawToolCalls))),
                                 usage: includeUsage ? envelope(.array([])) : nil, outcome: outcome)
                },
                merge: { whole, outcome in
                    var message: JSONObject = ["role": .string("assistant"), "content": .string(whole.content)]
                    if !whole.thinking.isEmpty {
                        message["reasoning"] = .string(whole.thinking)
                        message["reasoning_content"] = .string(whole.thinking)
                    }
                    if !whole.toolCalls.isEmpty { message["tool_calls"] = Self.openAIToolCalls(whole.toolCalls) }
                    var o = envelope(.array([.object(["index": .int(0), "message": .object(message),
                                                      "finish_reason": .string(Self.finishReason(outcome, toolCalls: !whole.toolCalls.isEmpty))])]))
                    o["object"] = .string("chat.completion")
                    o["usage"] = Self.usage(outcome.metrics)
                    return o
                },
                framing: .serverSentEvents, errorShape: .openAI)
            return await generateResponse(plan, received: received, context: context)
        } catch {
            return ErrorShape.openAI.response(error)
        }
    }

    /// `POST /v1/completions` (spec §2.3).
    func openAICompletion(_ request: Request, _ context: TernContext) async throws -> Response {
        let received = Monotonic.now()
        do throws(APIError) {
            let (native, includeUsage) = try OpenAIRequest.completion(try await Self.body(request))
            let req = try GenerateRequest(body: native)
            guard !req.prompt.isEmpty else { throw .badRequest("prompt is required") }
            let setup = try prepareGenerate(req)
            let model = req.model
            let state = CompletionState(prefix: "cmpl-")
            @Sendable func envelope(_ choices: JSONValue) -> JSONObject {
                ["id": .string(state.id), "object": .string("text_completion"), "created": .int(state.created),
                 "model": .string(model), "system_fingerprint": .string("fp_ollama"), "choices": choices]
            }
            @Sendable func choice(_ text: String, finish: String?) -> JSONValue {
                .array([.object(["text": .string(text), "index": .int(0), "finish_reason": finish.map { .string($0) } ?? .null])])
            }
            let plan = GenerationPlan(
                entry: setup.entry, options: setup.options, keepAlive: nil, stream: req.stream,
                tokens: setup.tokens, router: setup.router,
                chunk: { delta in delta.content.isEmpty ? [] : [envelope(choice(delta.content, finish: nil))] },
                final: { outcome in
                    Self.closing(envelope(choice("", finish: outcome.reason.rawValue)),
                                 usage: includeUsage ? envelope(.array([])) : nil, outcome: outcome)
                },
                merge: { whole, outcome in
                    var o = envelope(choice(whole.content, finish: outcome.reason.rawValue))
                    o["usage"] = Self.usage(outcome.metrics)
                    return o
                },
                framing: .serverSentEvents, errorShape: .openAI)
            return await generateResponse(plan, received: received, context: context)
        } catch {
            return ErrorShape.openAI.response(error)
        }
    }

    static func openAIModel(_ manifest: StoredManifest) -> JSONValue {
        .object(["id": .string(manifest.name.displayShortest), "object": .string("model"),
                 "created": .int(manifest.modifiedAt.seconds), "owned_by": .string(manifest.name.namespace)])
    }

    /// `GET /v1/models` (spec §2.4).
    func openAIModels(_ request: Request, _ context: TernContext) async throws -> Response {
        do throws(ModelStoreError) {
            return HTTPResponses.json(.object(["object": .string("list"), "data": .array(try store.list().map(Self.openAIModel))]))
        } catch {
            return ErrorShape.openAI.response(.serverError(error.description))
        }
    }

    /// `GET /v1/models/{model}`.
    func openAIModel(_ request: Request, _ context: TernContext, _ id: String) async throws -> Response {
        do throws(APIError) {
            let name = try ModelCatalog.parse(id)
            guard let manifest = try? store.manifest(name) else { throw .notFound("model '\(id)' not found") }
            return HTTPResponses.json(Self.openAIModel(manifest))
        } catch {
            return ErrorShape.openAI.response(error)
        }
    }

    /// `POST /v1/embeddings` (spec §2.5): normalized vectors, as floats or base64 float32.
    func openAIEmbeddings(_ request: Request, _ context: TernContext) async throws -> Response {
        do throws(APIError) {
            let f = try RequestFields.parse(try await Self.body(request), structName: "EmbeddingRequest")
            let model = try f.string("model") ?? ""
            var inputs: [String]
            switch f.value("input") {
            case .string(let s)?: inputs = [s]
            case .array(let items)? where !items.isEmpty:
                inputs = try items.map { (item) throws(APIError) in
                    guard case .string(let s) = item else { throw .badRequest("invalid input") }
                    return s
                }
            default: throw .badRequest("invalid input")
            }
            let encoding = try f.string("encoding_format") ?? "float"
            guard encoding == "float" || encoding == "base64" else { throw .badRequest("invalid encoding_format: \(encoding)") }
            let dimensions = try f.int("dimensions")
            let (vectors, promptTokens, _) = try await embeddings(of: inputs, model: model, options: [:], keepAlive: nil, truncate: true,
                                                                  context: context)
            let data: [JSONValue] = vectors.enumerated().map { i, e in
                let v = e.normalized(dimensions: dimensions.flatMap { $0 > 0 ? $0 : nil })
                let embedding: JSONValue = encoding == "float"
                    ? .array(v.map { .float32($0) }) : .string(Base64.encode(v.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }))
                return .object(["object": .string("embedding"), "embedding": embedding, "index": .int(i)])
            }
            return HTTPResponses.json(.object(["object": .string("list"), "data": .array(data), "model": .string(model),
                                               "usage": .object(["prompt_tokens": .int(promptTokens), "total_tokens": .int(promptTokens)])]))
        } catch {
            return ErrorShape.openAI.response(error)
        }
    }
}

/// Standard base64 (RFC 4648 with padding), for `encoding_format: "base64"`.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
