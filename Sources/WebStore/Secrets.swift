import Crypto
import Foundation

/// Random bearer secrets (session tokens, API keys) and the hashes the database keeps instead of
/// them, so a copied database file does not hand out live sessions or keys.
enum Secrets {
    /// `bytes` bytes from the system's CSPRNG, as lowercase hex.
    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in hex(UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map(hex).joined()
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
