import JSON

/// How long a model stays loaded after its last request (spec §1.6): a duration, zero (unload
/// when idle) or forever (any negative value).
public enum KeepAlive: Sendable, Equatable, CustomStringConvertible {
    case duration(nanoseconds: UInt64)
    case forever

    public static let defaultValue = KeepAlive.duration(nanoseconds: 5 * 60 * 1_000_000_000)

    public var isZero: Bool { self == .duration(nanoseconds: 0) }

    /// From the API: a JSON number of seconds (fractional allowed) or a Go duration string. A bare
    /// numeric string is an error on the API, as in Ollama.
    public init(json value: JSONValue) throws(APIError) {
        switch value {
        case .int, .float32, .double:
            self.init(nanoseconds: value.doubleValue! * 1e9)
        case .string(let s):
            guard let ns = GoDuration.parse(s) else { throw .badRequest("time: invalid duration \"\(s)\"") }
            self.init(nanoseconds: ns)
        default:
            throw .badRequest("json: cannot unmarshal \(RequestFields.kind(value)) into Go struct field .keep_alive of type time.Duration")
        }
    }

    /// From `TERN_KEEP_ALIVE`/`OLLAMA_KEEP_ALIVE`: a Go duration or bare integer seconds; nil when unreadable.
    public init?(environment text: String) {
        if let seconds = Int(text) {
            self.init(nanoseconds: Double(seconds) * 1e9)
        } else if let ns = GoDuration.parse(text) {
            self.init(nanoseconds: ns)
        } else {
            return nil
        }
    }

    init(nanoseconds: Double) {
        self = nanoseconds < 0 ? .forever : .duration(nanoseconds: UInt64(nanoseconds.rounded()))
    }

    public var description: String {
        switch self {
        case .forever: "-1"
        case .duration(let ns): GoDuration.format(nanoseconds: ns)
        }
    }
}
