/// The on-disk type tag of a GGUF metadata value (`gguf_type` in ggml).
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// The name gguf-py and `tern show --json` use for the type.
    public var name: String {
        switch self {
        case .uint8: "uint8"; case .int8: "int8"; case .uint16: "uint16"; case .int16: "int16"
        case .uint32: "uint32"; case .int32: "int32"; case .float32: "float32"; case .bool: "bool"
        case .string: "string"; case .array: "array"; case .uint64: "uint64"; case .int64: "int64"
        case .float64: "float64"
        }
    }

    /// Bytes a fixed-size value occupies; nil for strings and arrays.
    var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .string, .array: nil
        }
    }
}

/// One typed metadata value. Strings are valid UTF-8 (the reader rejects anything else, as gguf-py does).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool)
    case string(String)
    case array(GGUFArray)

    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8; case .int8: .int8; case .uint16: .uint16; case .int16: .int16
        case .uint32: .uint32; case .int32: .int32; case .uint64: .uint64; case .int64: .int64
        case .float32: .float32; case .float64: .float64; case .bool: .bool; case .string: .string
        case .array: .array
        }
    }

    /// Any integer value as `Int`, or nil when it is not an integer or does not fit.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v); case .int8(let v): Int(v); case .uint16(let v): Int(v)
        case .int16(let v): Int(v); case .uint32(let v): Int(v); case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v); case .int64(let v): Int(v)
        default: nil
        }
    }

    /// Any numeric value as `Double` (integers included).
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: intValue.map(Double.init)
        }
    }

    public var boolValue: Bool? { if case .bool(let v) = self { v } else { nil } }
    public var stringValue: String? { if case .string(let v) = self { v } else { nil } }
    public var arrayValue: GGUFArray? { if case .array(let v) = self { v } else { nil } }
}

/// A homogeneous metadata array. Arrays of arrays may mix element types between inner arrays.
public enum GGUFArray: Sendable, Equatable {
    case uint8([UInt8]), int8([Int8]), uint16([UInt16]), int16([Int16]), uint32([UInt32]), int32([Int32])
    case uint64([UInt64]), int64([Int64]), float32([Float]), float64([Double]), bool([Bool])
    case string([String])
    case array([GGUFArray])

    public var elementType: GGUFValueType {
        switch self {
        case .uint8: .uint8; case .int8: .int8; case .uint16: .uint16; case .int16: .int16
        case .uint32: .uint32; case .int32: .int32; case .uint64: .uint64; case .int64: .int64
        case .float32: .float32; case .float64: .float64; case .bool: .bool; case .string: .string
        case .array: .array
        }
    }

    public var count: Int {
        switch self {
        case .uint8(let a): a.count; case .int8(let a): a.count; case .uint16(let a): a.count
        case .int16(let a): a.count; case .uint32(let a): a.count; case .int32(let a): a.count
        case .uint64(let a): a.count; case .int64(let a): a.count; case .float32(let a): a.count
        case .float64(let a): a.count; case .bool(let a): a.count; case .string(let a): a.count
        case .array(let a): a.count
        }
    }

    public var strings: [String]? { if case .string(let a) = self { a } else { nil } }
    public var float32s: [Float]? { if case .float32(let a) = self { a } else { nil } }

    /// Integer elements of any width as `Int`; nil for non-integer arrays or values that do not fit.
    public var ints: [Int]? {
        switch self {
        case .uint8(let a): a.map(Int.init); case .int8(let a): a.map(Int.init)
        case .uint16(let a): a.map(Int.init); case .int16(let a): a.map(Int.init)
        case .uint32(let a): a.map(Int.init); case .int32(let a): a.map(Int.init)
        case .int64(let a): a.map(Int.init)
        case .uint64(let a):
            a.allSatisfy { $0 <= UInt64(Int.max) } ? a.map { Int($0) } : nil
        default: nil
        }
    }

    /// Element `i` as a standalone value (for generic printing).
    public func element(_ i: Int) -> GGUFValue {
        switch self {
        case .uint8(let a): .uint8(a[i]); case .int8(let a): .int8(a[i]); case .uint16(let a): .uint16(a[i])
        case .int16(let a): .int16(a[i]); case .uint32(let a): .uint32(a[i]); case .int32(let a): .int32(a[i])
        case .uint64(let a): .uint64(a[i]); case .int64(let a): .int64(a[i]); case .float32(let a): .float32(a[i])
        case .float64(let a): .float64(a[i]); case .bool(let a): .bool(a[i]); case .string(let a): .string(a[i])
        case .array(let a): .array(a[i])
        }
    }
}

/// One key/value pair of the metadata section, in file order.
public struct GGUFMetadataEntry: Sendable, Equatable {
    public var key: String
    public var value: GGUFValue
    public init(_ key: String, _ value: GGUFValue) {
        self.key = key
        self.value = value
    }
}
