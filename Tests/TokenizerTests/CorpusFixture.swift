import Foundation
import GGUF
import TestSupport
import Tokenizer

/// `Fixtures/corpus.json`: llama.cpp's ids for 400+ texts on the test models and on variants with
/// changed tokenizer metadata, written by `scripts/bench-tokenizer/generate-corpus.py` (its docstring
/// says how to rerun it).
struct CorpusFixture: Decodable {
    struct Variant: Decodable {
        let name: String
        let model: String
        let overrides: [String: Override]
        let results: [Result]
    }

    /// A metadata value that replaces (or adds) a key in the variant's header.
    enum Override: Decodable {
        case string(String), bool(Bool)

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) } else { self = .string(try c.decode(String.self)) }
        }

        var value: GGUFValue {
            switch self {
            case .string(let s): .string(s)
            case .bool(let b): .bool(b)
            }
        }
    }

    struct Result: Decodable {
        let P: [Int32]
        let N: [Int32]
        let text_hex: String
        let text_plain_hex: String?
    }

    let texts_hex: [String]
    let variants: [Variant]

    static let shared: CorpusFixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/corpus.json")
        do {
            return try JSONDecoder().decode(CorpusFixture.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    var texts: [[UInt8]] { texts_hex.map(bytes(fromHex:)) }

    /// The variant's tokenizer: the base model's metadata with the overrides applied, without tensors.
    func tokenizer(_ variant: Variant) throws -> Tokenizer {
        let base = try GGUFFile(path: TestModel(rawValue: variant.model)!.path)
        var writer = GGUFWriter(version: base.version)
        for entry in base.metadata {
            try writer.set(entry.key, variant.overrides[entry.key]?.value ?? entry.value)
        }
        for (key, value) in variant.overrides where base[key] == nil { try writer.set(key, value.value) }
        return try Tokenizer(GGUFFile(bytes: writer.serialized()))
    }
}

func bytes(fromHex hex: String) -> [UInt8] {
    let digits = Array(hex.utf8).map { $0 <= 0x39 ? $0 - 0x30 : $0 - 0x57 }
    return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}
