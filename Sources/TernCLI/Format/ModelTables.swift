import OllamaAPI

/// The tables `tern list` and `tern ps` print (spec §3.2, §3.3).
enum ModelTables {
    /// `NAME ID SIZE MODIFIED`, in the server's order (newest first).
    static func list(_ models: [ListedModel], now: Double) -> String {
        TextTable(header: ["NAME", "ID", "SIZE", "MODIFIED"], rows: models.map {
            [$0.name, String($0.digest.prefix(12)), HumanBytes.format($0.size),
             RelativeTime.describe(RFC3339.seconds($0.modifiedAt), now: now)]
        }).rendered
    }

    /// `NAME ID SIZE PROCESSOR CONTEXT UNTIL`; a model past its expiry is `Stopping...`.
    static func ps(_ models: [RunningModel], now: Double) -> String {
        TextTable(header: ["NAME", "ID", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"], rows: models.map {
            let expiry = RFC3339.seconds($0.expiresAt)
            let until = expiry.map { now - $0 > 0 } == true ? "Stopping..." : RelativeTime.describe(expiry, now: now)
            return [$0.name, String($0.digest.prefix(12)), HumanBytes.format($0.size),
                    processor(size: $0.size, vram: $0.sizeVRAM), String($0.contextLength), until]
        }).rendered
    }

    /// Where a loaded model lives, from its total and GPU sizes: "100% CPU", "100% GPU",
    /// "23%/77% CPU/GPU", or "Unknown" when the numbers do not add up.
    static func processor(size: Int, vram: Int) -> String {
        if vram == 0 { return "100% CPU" }
        if vram == size { return "100% GPU" }
        if vram > size || size == 0 { return "Unknown" }
        let cpu = Int((Double(size - vram) / Double(size) * 100).rounded())
        return "\(cpu)%/\(100 - cpu)% CPU/GPU"
    }
}
