/// A ggml tensor type as stored in a GGUF tensor directory, with the raw id ggml gives it.
///
/// Names keep ggml's spelling (`q4_K`, `iq4_xs`) so they grep against llama.cpp and the GGUF spec.
/// The ids and block geometry are those of llama.cpp commit 84f71294 (`ggml.h`, `ggml-common.h`).
public enum GGMLType: UInt32, CaseIterable, Sendable, Hashable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3
    case q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, q8_K = 15
    case iq2_xxs = 16, iq2_xs = 17, iq3_xxs = 18, iq1_s = 19, iq4_nl = 20, iq3_s = 21, iq2_s = 22, iq4_xs = 23
    case i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_m = 29, bf16 = 30
    case tq1_0 = 34, tq2_0 = 35, mxfp4 = 39, nvfp4 = 40, q1_0 = 41, q2_0 = 42

    /// Values per block: a row's length must be a multiple of it.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .f64, .i8, .i16, .i32, .i64: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .iq4_nl, .mxfp4: 32
        case .nvfp4, .q2_0: 64
        case .q1_0: 128
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K, .iq2_xxs, .iq2_xs, .iq3_xxs, .iq1_s, .iq3_s,
             .iq2_s, .iq4_xs, .iq1_m, .tq1_0, .tq2_0: 256
        }
    }

    /// Bytes per block, exactly `sizeof(block_<type>)` in ggml.
    public var blockBytes: Int {
        switch self {
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .f64, .i64: 8
        case .i8: 1
        case .q4_0, .iq4_nl: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .q8_0: 34
        case .q8_1: 36
        case .mxfp4: 17
        case .nvfp4: 36
        case .q1_0, .q2_0: 18
        case .q2_K: 84
        case .q3_K, .iq3_s: 110
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        case .q8_K: 292
        case .iq2_xxs: 66
        case .iq2_xs: 74
        case .iq3_xxs: 98
        case .iq1_s: 50
        case .iq2_s: 82
        case .iq4_xs: 136
        case .iq1_m: 56
        case .tq1_0: 54
        case .tq2_0: 66
        }
    }

    /// ggml's name for the type (`ggml_type_name`), used in every listing and error.
    public var name: String {
        switch self {
        case .f32: "f32"; case .f16: "f16"; case .bf16: "bf16"; case .f64: "f64"
        case .i8: "i8"; case .i16: "i16"; case .i32: "i32"; case .i64: "i64"
        case .q4_0: "q4_0"; case .q4_1: "q4_1"; case .q5_0: "q5_0"; case .q5_1: "q5_1"
        case .q8_0: "q8_0"; case .q8_1: "q8_1"
        case .q2_K: "q2_K"; case .q3_K: "q3_K"; case .q4_K: "q4_K"; case .q5_K: "q5_K"
        case .q6_K: "q6_K"; case .q8_K: "q8_K"
        case .iq2_xxs: "iq2_xxs"; case .iq2_xs: "iq2_xs"; case .iq3_xxs: "iq3_xxs"; case .iq1_s: "iq1_s"
        case .iq4_nl: "iq4_nl"; case .iq3_s: "iq3_s"; case .iq2_s: "iq2_s"; case .iq4_xs: "iq4_xs"
        case .iq1_m: "iq1_m"; case .tq1_0: "tq1_0"; case .tq2_0: "tq2_0"
        case .mxfp4: "mxfp4"; case .nvfp4: "nvfp4"; case .q1_0: "q1_0"; case .q2_0: "q2_0"
        }
    }

    /// Looks a type up by its ggml name (`"q4_K"`), case-insensitively.
    public init?(name: String) {
        let lowered = name.lowercased()
        guard let match = GGMLType.allCases.first(where: { $0.name.lowercased() == lowered }) else { return nil }
        self = match
    }

    /// Bytes needed for `count` values, or nil when `count` is not a whole number of blocks
    /// or the product overflows.
    public func byteCount(values count: Int) -> Int? {
        guard count >= 0, count % blockSize == 0 else { return nil }
        let (bytes, overflow) = (count / blockSize).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }
}

extension GGMLType: CustomStringConvertible {
    public var description: String { name }
}
