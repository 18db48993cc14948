import Crypto

/// A blob's SHA-256, written `sha256:<hex>` in manifests and the API and `sha256-<hex>` as a
/// file name. The hex is kept lower-case, as Ollama computes it.
public struct BlobDigest: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 64 lower-case hex digits.
    public let hex: String

    /// Accepts `sha256:<64 hex>` or `sha256-<64 hex>`; nil for anything else (Ollama's
    /// `invalid digest format`).
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 71, text.hasPrefix("sha256"), utf8[6] == UInt8(ascii: ":") || utf8[6] == UInt8(ascii: "-")
        else { return nil }
        let digits = utf8[7...]
        guard digits.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else { return nil }
        hex = String(decoding: digits, as: UTF8.self).lowercased()
    }

    /// A digest from a finished SHA-256.
    init<D: Sequence>(hashBytes: D) where D.Element == UInt8 {
        let table = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for b in hashBytes { text += [table[Int(b >> 4)], table[Int(b & 0xF)]] }
        hex = String(decoding: text, as: UTF8.self)
    }

    /// `sha256:<hex>`.
    public var description: String { "sha256:" + hex }

    /// The blob's file name below `blobs/`: `sha256-<hex>`.
    public var fileName: String { "sha256-" + hex }

    /// The first 12 hex digits, which the CLI shows as an ID and in `pulling <id>`.
    public var shortID: String { String(hex.prefix(12)) }

    public static func < (a: BlobDigest, b: BlobDigest) -> Bool { a.hex < b.hex }

    /// The SHA-256 of `bytes`.
    static func sha256(of bytes: [UInt8]) -> BlobDigest { BlobDigest(hashBytes: SHA256.hash(data: bytes)) }

    /// Every `sha256:<64 hex>` written in `bytes`: the blobs a manifest that no longer parses
    /// may still refer to.
    static func mentions(in bytes: [UInt8]) -> Set<BlobDigest> {
        let prefix = Array("sha256:".utf8)
        var found: Set<BlobDigest> = []
        var i = 0
        while i + 71 <= bytes.count {
            if bytes[i..<(i + 7)].elementsEqual(prefix), let d = BlobDigest(String(decoding: bytes[i..<(i + 71)], as: UTF8.self)) {
                found.insert(d)
                i += 71
            } else {
                i += 1
            }
        }
        return found
    }
}
