import OllamaAPI
import JSON
import Engine
import Sampling
import Models
import ModelStore
import Logging
import GGUF
#if canImport(Glibc)
import Glibc
#endif

/// Which browser origins may call the API (spec §1.1 CORS): the local ones always, plus the
/// configured patterns with `*` wildcards.
struct OriginPolicy: Sendable {
    let patterns: [String]

    static let builtIn: [String] = ["localhost", "127.0.0.1", "0.0.0.0"].flatMap { host in
        ["http://\(host)", "https://\(host)", "http://\(host):*", "https://\(host):*"]
    } + ["app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*"]

    static let allowedHeaders = [
        "Authorization", "Content-Type", "User-Agent", "Accept", "X-Requested-With", "OpenAI-Beta",
    ] + ["arch", "async", "custom-poll-interval", "helper-method", "lang", "os", "package-version", "poll-helper",
         "retry-count", "runtime", "runtime-version", "timeout"].map { "x-stainless-" + $0 }

    init(extra: [String]) { patterns = Self.builtIn + extra }

    func allows(_ origin: String) -> Bool {
        patterns.contains { Self.matches(origin, pattern: $0) }
    }

    /// Glob match where `*` stands for any run of characters.
    static func matches(_ text: String, pattern: String) -> Bool {
        let t = Array(text.utf8), p = Array(pattern.utf8)
        var ti = 0, pi = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if pi < p.count, p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

/// DNS-rebinding protection (spec §1.1): on a loopback listener, only requests whose Host names
/// this machine or a private address are served.
enum HostCheck {
    static func allows(hostHeader: String?, localHostname: String) -> Bool {
        guard var host = hostHeader?.lowercased(), !host.isEmpty else { return true }
        if host.hasPrefix("[") , let close = host.firstIndex(of: "]") {
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            host = String(host[..<colon])
        }
        if host.isEmpty || host == "localhost" || host == localHostname.lowercased() { return true }
        if host.hasSuffix(".localhost") || host.hasSuffix(".local") || host.hasSuffix(".internal") { return true }
        if let v4 = ipv4(host) { return isLocal(v4) }
        if host.contains(":") { return isLocalIPv6(host) }
        return false
    }

    private static func ipv4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }

    private static func isLocal(_ a: [UInt8]) -> Bool {
        a[0] == 127 || a[0] == 10 || (a[0] == 172 && (16...31).contains(a[1])) || (a[0] == 192 && a[1] == 168)
            || a == [0, 0, 0, 0] || (a[0] == 169 && a[1] == 254) || isInterfaceAddress(a)
    }

    private static func isLocalIPv6(_ s: String) -> Bool {
        s == "::1" || s == "::" || s.hasPrefix("fc") || s.hasPrefix("fd") || s.hasPrefix("fe80:")
    }

    /// Whether the address is assigned to one of this machine's interfaces.
    private static func isInterfaceAddress(_ a: [UInt8]) -> Bool {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return false }
        defer { freeifaddrs(list) }
        var node: UnsafeMutablePointer<ifaddrs>? = first
        while let n = node {
            if let sa = n.pointee.ifa_addr, sa.pointee.sa_family == sa_family_t(AF_INET) {
                let addr = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                let bytes = withUnsafeBytes(of: addr) { Array($0) }
                if bytes == a { return true }
            }
            node = n.pointee.ifa_next
        }
        return false
    }

    static var machineHostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
