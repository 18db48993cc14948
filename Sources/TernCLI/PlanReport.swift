import GGUF
import Placement

/// The text `tern plan` prints: the model and hardware, both policies side by side, then each
/// plan's devices, what they hold, the decode prediction and the notes.
enum PlanReport {
    static func header(model: String, file: GGUFFile, footprint: ModelFootprint, inventory: Inventory) -> String {
        let s = footprint.shape
        let experts = s.expertCount > 0 ? ", \(s.expertCount) experts (\(s.expertUsedCount) used, \(s.expertSharedCount) shared)" : ""
        let data = footprint.hasTensorData ? "" : " (header-only)"
        let gpus = inventory.gpus.isEmpty ? "no GPU" : inventory.gpus.map { "\($0.id) \(ByteSize.format($0.freeBytes)) free" }.joined(separator: ", ")
        return """
        model    \(model): \(s.architecture), \(s.blockCount) blocks\(experts), \(ByteSize.format(footprint.tensorBytes)) of tensors\(data)
        devices  \(inventory.origin): \(gpus); RAM \(ByteSize.format(inventory.ram.freeBytes)) available; \(inventory.cores) cores
        """
    }

    static func comparison(_ plans: [Plan]) -> String {
        let rows: [(String, (Plan) -> String)] = [
            ("fits", { $0.fits ? "yes" : "no" }),
            ("context per slot", { "\($0.contextLength) × \($0.parallel)" }),
            ("whole layers on GPUs", { "\($0.gpuLayers)/\($0.layerCount)" }),
            ("processor (ollama ps)", { $0.processor }),
            ("total", { ByteSize.format($0.totalBytes) }),
            ("on GPUs", { ByteSize.format($0.gpuBytes) }),
            ("in RAM", { ByteSize.format($0.ramBytes) }),
            ("RAM read per token", { ByteSize.format($0.ramBytesPerToken) }),
            ("predicted decode", { tokensPerSecond($0) }),
        ]
        var lines = [pad("", 24) + plans.map { pad($0.policy.rawValue, 20) }.joined()]
        for (label, value) in rows { lines.append(pad(label, 24) + plans.map { pad(value($0), 20) }.joined()) }
        return "\n" + lines.joined(separator: "\n")
    }

    static func details(_ plan: Plan) -> String {
        var lines = ["", "policy \(plan.policy.rawValue): " + (plan.fits ? "fits" : "does not fit")
                     + ", \(plan.gpuLayers)/\(plan.layerCount) whole layers on GPUs, \(plan.processor), "
                     + "KV \(plan.kvType.rawValue) for \(plan.contextLength) × \(plan.parallel) tokens"]
        if let refusal = plan.refusal { lines.append("  refused: \(refusal)") }
        lines.append("  " + pad("DEVICE", 7) + pad("FREE", 11) + pad("WEIGHTS", 11) + pad("KV", 11) + pad("COMPUTE", 11)
                     + pad("RESERVE", 11) + pad("TOTAL", 11) + "READ/TOKEN")
        for d in plan.devices where d.totalBytes > 0 || d.device.kind == .ram {
            lines.append("  " + pad(d.device.id, 7) + pad(ByteSize.format(d.device.freeBytes), 11) + pad(ByteSize.format(d.weightBytes), 11)
                         + pad(ByteSize.format(d.kvBytes), 11) + pad(ByteSize.format(d.computeBytes), 11)
                         + pad(ByteSize.format(d.overheadBytes), 11) + pad(ByteSize.format(d.totalBytes), 11)
                         + ByteSize.format(d.bytesReadPerToken) + (d.shortfall > 0 ? "  SHORT \(ByteSize.format(d.shortfall))" : ""))
            lines.append("         " + d.holds.joined(separator: "; "))
        }
        let bandwidths = Set(plan.devices.filter { $0.device.kind == .gpu }.map(\.device.bandwidth)).sorted().map(ByteSize.formatRate)
        let ram = plan.devices.last.map { ByteSize.formatRate($0.device.bandwidth) } ?? "?"
        lines.append("  RAM read per token \(ByteSize.format(plan.ramBytesPerToken)); predicted decode \(tokensPerSecond(plan)) "
                     + "(GPU \(bandwidths.isEmpty ? "none" : bandwidths.joined(separator: "/")), RAM \(ram), devices in turn)")
        for note in plan.notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n")
    }

    static func tokensPerSecond(_ plan: Plan) -> String {
        ByteSize.decimal(plan.predictedDecodeTokensPerSecond) + " tokens/s"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
