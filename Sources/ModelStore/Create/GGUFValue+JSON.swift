import GGUF
import JSON

extension GGUFValue {
    /// The metadata value as JSON (`model_info`, `show --json`): integers exact, floats at their width.
    public var jsonValue: JSONValue {
        switch self {
        case .uint8(let v): .int(Int(v))
        case .int8(let v): .int(Int(v))
        case .uint16(let v): .int(Int(v))
        case .int16(let v): .int(Int(v))
        case .uint32(let v): .int(Int(v))
        case .int32(let v): .int(Int(v))
        case .uint64(let v): v <= UInt64(Int.max) ? .int(Int(v)) : .double(Double(v))
        case .int64(let v): .int(Int(v))
        case .float32(let v): .float32(v)
        case .float64(let v): .double(v)
        case .bool(let v): .bool(v)
        case .string(let v): .string(v)
        case .array(let a): .array((0..<a.count).map { a.element($0).jsonValue })
        }
    }
}
