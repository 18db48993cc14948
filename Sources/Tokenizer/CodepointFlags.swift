/// The properties pre-tokenizers test, one bit each, for one code point.
///
/// `present` is set for every real code point, so an empty set means "past the end of the text",
/// which is how llama.cpp's splitters see positions beyond a fragment.
struct CodepointFlags: OptionSet, Sendable {
    let rawValue: UInt8

    static let number = CodepointFlags(rawValue: 1 << 0)
    static let letter = CodepointFlags(rawValue: 1 << 1)
    static let whitespace = CodepointFlags(rawValue: 1 << 2)
    static let mark = CodepointFlags(rawValue: 1 << 3)
    static let punctuation = CodepointFlags(rawValue: 1 << 4)
    static let symbol = CodepointFlags(rawValue: 1 << 5)
    static let present = CodepointFlags(rawValue: 1 << 6)

    /// Flags of every code point, indexed by scalar value: 1.1 MB built once from the generated runs,
    /// never written afterwards (hence safe to share).
    nonisolated(unsafe) static let table: UnsafePointer<CodepointFlags> = {
        let count = 0x110000
        let table = UnsafeMutablePointer<CodepointFlags>.allocate(capacity: count)
        let runs = unicodeCategoryRuns
        for (i, run) in runs.enumerated() {
            let start = Int(run >> 8)
            let end = i + 1 < runs.count ? Int(runs[i + 1] >> 8) : count
            table.advanced(by: start).initialize(repeating: flags(code: UInt8(truncatingIfNeeded: run)), count: end - start)
        }
        return UnsafePointer(table)
    }()

    /// Flags for a generated category code: the category in the low 3 bits (see the generator), 8 for White_Space.
    private static func flags(code: UInt8) -> CodepointFlags {
        var flags: CodepointFlags = .present
        switch code & 7 {
        case 1: flags.insert(.number)
        case 2: flags.insert(.letter)
        case 4: flags.insert(.mark)
        case 5: flags.insert(.punctuation)
        case 6: flags.insert(.symbol)
        default: break  // unassigned, separators and controls have no bit of their own
        }
        if code & 8 != 0 { flags.insert(.whitespace) }
        return flags
    }

    /// Flags of any decoded value; values past U+10FFFF only exist in malformed text and have no category.
    @inline(__always)
    static func of(_ codepoint: UInt32) -> CodepointFlags {
        codepoint < 0x110000 ? table[Int(codepoint)] : .present
    }
}
