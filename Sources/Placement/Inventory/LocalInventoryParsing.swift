/// The text formats the local inventory reads, parsed apart from the reading so tests can feed them.
public enum LocalInventoryParsing {
    /// MemTotal and MemAvailable of /proc/meminfo, in bytes (the file says kB and means KiB).
    public static func meminfo(_ text: String) -> (total: Int, available: Int) {
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            if parts.count >= 2, let kib = Int(parts[1]) { fields[String(parts[0])] = kib * 1024 }
        }
        let total = fields["MemTotal"] ?? 0
        return (total, fields["MemAvailable"] ?? fields["MemFree"] ?? total)
    }

    /// `nvidia-smi --query-gpu=name,memory.total,memory.free --format=csv,noheader,nounits`: one line
    /// per GPU, sizes in MiB.
    public static func nvidiaSMI(_ text: String) -> [Device] {
        text.split(separator: "\n").compactMap { line -> (String, Int, Int)? in
            let fields = line.split(separator: ",").map { String($0).trimmingSpaces }
            guard fields.count == 3, let total = Int(fields[1]), let free = Int(fields[2]) else { return nil }
            return (fields[0], total << 20, free << 20)
        }.enumerated().map { i, gpu in
            Device(id: "gpu\(i)", kind: .gpu, name: gpu.0, totalBytes: gpu.1, freeBytes: gpu.2, bandwidth: DefaultBandwidth.gpu)
        }
    }
}
