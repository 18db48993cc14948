/// Cuts a byte stream into NDJSON lines. Network buffers end anywhere, mid-line or mid-character,
/// so the tail after the last newline waits for the next buffer.
public struct NDJSONSplitter {
    private var pending: [UInt8] = []

    public init() {}

    /// The complete lines `bytes` finishes, without their newline; blank lines are skipped.
    public mutating func feed<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if let line = Self.trimmed(pending) { lines.append(line) }
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
            }
        }
        return lines
    }

    /// The last line when the stream ended without a newline after it.
    public mutating func finish() -> [UInt8]? {
        defer { pending = [] }
        return Self.trimmed(pending)
    }

    /// Without a trailing CR (a server writing CRLF); nil for a blank line.
    private static func trimmed(_ line: [UInt8]) -> [UInt8]? {
        var line = line[...]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? nil : Array(line)
    }
}
