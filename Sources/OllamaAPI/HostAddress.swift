/// `TERN_HOST`/`OLLAMA_HOST` as Ollama reads it (spec §6.1): `host`, `host:port`, `:port`,
/// `[v6]:port`, `scheme://host[:port][/path]`. No scheme → http on 11434; an explicit `http://`
/// without a port → 80, `https://` → 443; an unreadable port → 11434.
public struct HostAddress: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int
    public var path: String

    public static let defaultPort = 11434

    public init(scheme: String = "http", host: String = "127.0.0.1", port: Int = defaultPort, path: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    public init(parsing raw: String) {
        var text = Substring(raw.trimmingCharacters(in: " \t\"'"))
        var scheme = "http"
        var defaultPort = Self.defaultPort
        if let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") {
            scheme = String(text[..<colon]).lowercased()
            text = text[text.index(colon, offsetBy: 3)...]
            defaultPort = scheme == "https" ? 443 : 80
        }
        var path = ""
        if let slash = text.firstIndex(of: "/") {
            path = String(text[slash...])
            text = text[..<slash]
            if path == "/" { path = "" }
        }
        var host = String(text)
        var port = defaultPort
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { port = Int(rest.dropFirst()).flatMap { (1...65535).contains($0) ? $0 : nil } ?? defaultPort }
        } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            host = String(text[..<colon])
            port = Int(text[text.index(after: colon)...]).flatMap { (1...65535).contains($0) ? $0 : nil } ?? defaultPort
        }
        if host.isEmpty { host = "127.0.0.1" }
        self.init(scheme: scheme, host: host, port: port, path: path)
    }

    /// Whether this names a loopback address (the Host-header check applies only then).
    public var isLoopback: Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }

    /// The address a client connects to: unspecified addresses become loopback.
    public var connectable: HostAddress {
        var copy = self
        if host == "0.0.0.0" { copy.host = "127.0.0.1" } else if host == "::" { copy.host = "::1" }
        return copy
    }

    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(h):\(port)\(path)"
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
