import Foundation
import TestSupport

/// The tokenization part of a llama.cpp reference JSON (see shared/fixtures/reference/README.md).
struct ReferenceFixture: Decodable {
    struct Model: Decodable {
        let add_bos: Bool
        let add_eos: Bool
        let bos_id: Int32
        let eos_id: Int32
    }

    struct Case: Decodable {
        let id: String
        let text: String
        let parse_special: Outcome
        let no_parse_special: Outcome
    }

    struct Outcome: Decodable {
        let tokens: [Int32]
        let pieces_hex: [String]
        let text_hex: String
        let text_plain_hex: String
    }

    let model: Model
    let tokenization: [Case]

    static func load(_ model: TestModel) throws -> ReferenceFixture {
        try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: URL(fileURLWithPath: model.referencePath)))
    }
}

/// Lowercase hex of bytes, as the fixtures write them.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}
