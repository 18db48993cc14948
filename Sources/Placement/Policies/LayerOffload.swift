/// A user's `num_gpu`: the last N blocks (and the output when N exceeds the block count) whole on
/// the GPUs, split in contiguous ranges in proportion to free memory as llama.cpp's `-ngl` with its
/// default tensor split does; the rest in RAM. Checked before anything is loaded: a count that does
/// not fit is refused with the device, the shortfall and the largest count that would fit.
enum LayerOffload {
    /// `fresh` makes an empty ledger with the policy's cache sizes and reserves.
    static func plan(numGPU: Int, policy: PlanOptions.Policy, options: PlanOptions,
                     fresh: () -> PlacementLedger) -> Plan {
        let requested = place(numGPU, fresh())
        var plan = PlanAssembly.plan(requested, policy: policy, options: options, notes: ["num_gpu \(numGPU) requested"])
        guard !plan.fits, let short = plan.devices.indices.first(where: { plan.devices[$0].shortfall > 0 }) else { return plan }
        let shortDevice = plan.devices[short]
        let layers = Set(requested.cacheDevice.indices.filter { requested.cacheDevice[$0] == short })
        let most = (0..<min(numGPU, requested.footprint.shape.blockCount + 1)).last { n in
            place(n, fresh()).devicePlans().allSatisfy { $0.shortfall == 0 }
        }
        plan.refusal = "num_gpu \(numGPU) does not fit: \(shortDevice.device.id) would hold \(ByteSize.format(shortDevice.totalBytes)) "
            + "(\(layers.isEmpty ? "the output" : "layers " + PlacementLedger.ranges(layers))) but has \(ByteSize.format(shortDevice.device.freeBytes)) free: "
            + "short by \(ByteSize.format(shortDevice.shortfall))"
            + (most.map { "; at most num_gpu \($0) fits" } ?? "; no layer fits")
        return plan
    }

    private static func place(_ numGPU: Int, _ ledger: PlacementLedger) -> PlacementLedger {
        var ledger = ledger
        let blocks = ledger.footprint.shape.blockCount
        let gpus = Array(ledger.gpuIndices)
        let n = min(max(numGPU, 0), blocks + 1)
        guard !gpus.isEmpty, n > 0 else {
            for g in gpus { ledger.computeBytes[g] = 0; ledger.overheadBytes[g] = 0 }
            return ledger
        }
        // Units in order: blocks blocks-n+1 … blocks-1, then the output when n > blocks.
        let units = Array((blocks - min(n, blocks))..<blocks) + (n > blocks ? [blocks] : [])
        let weights = gpus.map { Double(max(1, ledger.devices[$0].freeBytes - ledger.computeBytes[$0] - ledger.overheadBytes[$0])) }
        let total = weights.reduce(0, +)
        var bounds: [Double] = []
        var running = 0.0
        for w in weights { running += w / total; bounds.append(running) }
        for (k, unit) in units.enumerated() {
            let position = (Double(k) + 0.5) / Double(units.count)
            let g = gpus[bounds.firstIndex { position <= $0 } ?? gpus.count - 1]
            for (i, t) in ledger.footprint.tensors.enumerated() where t.role != .embedding {
                if unit < blocks ? t.layer == unit : t.layer == nil { ledger.tensorDevice[i] = g }
            }
            if unit < blocks { ledger.cacheDevice[unit] = g }
        }
        for g in gpus where !ledger.holdsAnything(g) { ledger.computeBytes[g] = 0; ledger.overheadBytes[g] = 0 }
        return ledger
    }
}
