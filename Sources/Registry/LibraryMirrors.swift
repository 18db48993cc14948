import ModelStore

/// `TERN_LIBRARY`: registries (usually other Terns on the LAN) asked first for names that do not
/// name a host, so a team pulls `llama3.2` from its internal library and reaches the public
/// registry only when no mirror has it. Entries are comma-separated `[scheme://]host[:port]`; a
/// bare host means https, and `http://` must be spelled out for a plain-HTTP library.
public struct LibraryMirrors: Hashable, Sendable, CustomStringConvertible {
    /// Base URLs, `scheme://host[:port]`, in the order they are asked.
    public var bases: [String]

    public init(bases: [String] = []) { self.bases = bases }

    /// Parses the variable's value; entries that are not `[http(s)://]host[:port]` are reported
    /// in `invalid` and left out.
    public init(parsing text: String) {
        var bases: [String] = []
        var invalid: [String] = []
        for entry in text.split(separator: ",").map({ $0.trimmingSpaces() }) where !entry.isEmpty {
            var rest = Substring(entry)
            var scheme = "https"
            if let range = rest.firstRange(of: "://") {
                scheme = String(rest[..<range.lowerBound]).lowercased()
                rest = rest[range.upperBound...]
            }
            while rest.hasSuffix("/") { rest = rest.dropLast() }
            if (scheme == "http" || scheme == "https"), !rest.isEmpty, !rest.contains("/"),
               (try? ModelName(host: String(rest), namespace: "library", model: "m", tag: "t")) != nil {
                bases.append(scheme + "://" + rest)
            } else {
                invalid.append(entry)
            }
        }
        self.bases = bases
        self.invalid = invalid
    }

    /// Entries that could not be used, for a start-up warning.
    public private(set) var invalid: [String] = []

    /// Where to look for `text`, in order: each mirror and then the name's own registry when the
    /// text names no host; only the named registry when it does.
    public func endpoints(for text: String, name: ModelName, insecure: Bool) throws(RegistryError) -> [RegistryEndpoint] {
        let own = try RegistryEndpoint(name, insecure: insecure)
        guard !Self.namesHost(text) else { return [own] }
        return bases.map { RegistryEndpoint(base: $0, name: name) } + [own]
    }

    /// Whether a name's text includes a host: `[scheme://]host/namespace/model[:tag]` has two
    /// slashes after any scheme.
    static func namesHost(_ text: String) -> Bool {
        let rest = text.firstRange(of: "://").map { text[$0.upperBound...] } ?? Substring(text)
        return rest.filter { $0 == "/" }.count >= 2
    }

    public var description: String { bases.joined(separator: ",") }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
