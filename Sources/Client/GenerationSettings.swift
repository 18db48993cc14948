import JSON
import OllamaAPI

/// What a generate or chat request carries besides the prompt or the messages: the choices the
/// user made with `run`'s flags and the REPL's `/set` commands.
public struct GenerationSettings: Sendable {
    /// Options by name (`temperature`, `num_ctx`, …), typed as Modelfile PARAMETERs are.
    public var options: JSONObject = [:]
    /// `"json"` for JSON mode; nil for free text.
    public var format: String?
    public var keepAlive: KeepAlive?
    /// Nil leaves the choice to the server (absent is not false, spec §7).
    public var think: ThinkValue?
    /// Replaces the Modelfile's SYSTEM (generate only; chat sends it as a message).
    public var system: String?

    public init() {}

    /// The settings' keys added to a request body.
    func add(to body: inout JSONObject) {
        if let format { body["format"] = .string(format) }
        if !options.isEmpty { body["options"] = .object(options) }
        if let keepAlive { body["keep_alive"] = keepAlive.wireJSON }
        if let think { body["think"] = think.wireJSON }
    }
}

extension KeepAlive {
    /// As Go's `api.Duration` marshals it: -1 for forever, else a duration string ("5m0s", "0s").
    public var wireJSON: JSONValue {
        switch self {
        case .forever: .int(-1)
        case .duration(let ns): .string(GoDuration.format(nanoseconds: ns))
        }
    }
}

extension ThinkValue {
    /// `true`/`false` or the level's name.
    public var wireJSON: JSONValue {
        switch self {
        case .enabled(let on): .bool(on)
        case .level(let name): .string(name)
        }
    }
}
