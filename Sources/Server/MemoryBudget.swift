import Dispatch
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

/// How much memory a new model may take: what the kernel reports available (MemAvailable, or the
/// cgroup limit minus usage when lower), optionally capped by `TERN_MEMORY_LIMIT`. A load that does
/// not fit is refused with a clear message instead of being killed by the OOM killer.
struct MemoryBudget: Sendable {
    /// A cap on what Tern plans to use in total, in bytes; nil = no cap beyond the machine's.
    var limit: Int?

    init(limit: Int?) { self.limit = limit }

    /// Parses `TERN_MEMORY_LIMIT`: bytes, or a number with KB/MB/GB/TB (base 1000) or KiB/MiB/GiB/TiB.
    static func parseSize(_ text: String) -> Int? {
        let units: [(String, Double)] = [("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
                                          ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1)]
        let trimmed = text.trimming(" ")
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let v = Double(String(trimmed.dropLast(suffix.count)).trimming(" ")), v >= 0 else { return nil }
            return Int(v * scale)
        }
        return Int(trimmed)
    }

    /// nil when `needed` more bytes fit, else Ollama's refusal text.
    func refusal(needed: Int, alreadyUsed: Int) -> String? {
        var available = Self.systemAvailable()
        if let limit { available = min(available, max(0, limit - alreadyUsed)) }
        guard needed > available else { return nil }
        return "model requires more system memory (\(Self.gib(needed))) than is available (\(Self.gib(available)))"
    }

    /// Bytes as GiB with one decimal, as Ollama prints memory sizes in this message.
    static func gib(_ bytes: Int) -> String {
        let tenths = Int((Double(bytes) / Double(1 << 30) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) GiB"
    }

    /// MemAvailable, lowered to the cgroup v2 headroom when the process runs under a limit.
    static func systemAvailable() -> Int {
        var available = meminfo("MemAvailable") ?? Int.max
        if let max = readInt("/sys/fs/cgroup/memory.max"), let current = readInt("/sys/fs/cgroup/memory.current") {
            available = min(available, Swift.max(0, max - current))
        }
        return available
    }

    private static func meminfo(_ key: String) -> Int? {
        guard let text = readText("/proc/meminfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kb = Int(fields[1]) { return kb * 1024 }
        }
        return nil
    }

    private static func readInt(_ path: String) -> Int? {
        readText(path).flatMap { Int($0.trimming(" \n")) }
    }

    private static func readText(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Monotonic nanoseconds, for durations and LRU order.
enum Monotonic {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
