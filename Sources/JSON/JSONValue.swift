/// A JSON value: what the API reads from requests and writes in responses, and what the store's
/// small blobs (params, messages, config) hold. Objects keep their key order (`JSONObject`); the
/// Go-compatible writer sorts keys as Go does for maps. Numbers keep the distinction Go makes when
/// encoding: integers print as integers, a `float32` prints with float32's shortest digits (`0.7`,
/// not `0.699999988079071`), other numbers as float64.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case float32(Float)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The payload when the value has that case, else nil.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }

    /// The value as an integer when it is one exactly (a whole float counts, as Go's decoder
    /// turns every number into a float64 before an int field takes it).
    public var intValue: Int? {
        switch self {
        case .int(let i): i
        case .float32(let f): Self.exactInt(Double(f))
        case .double(let d): Self.exactInt(d)
        default: nil
        }
    }

    /// Any number as a Double.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .float32(let f): Double(f)
        case .double(let d): d
        default: nil
        }
    }

    private static func exactInt(_ d: Double) -> Int? {
        guard d.isFinite, d == d.rounded(), abs(d) < 0x1p63 else { return nil }
        return Int(d)
    }
}
