/// Turns a finished ledger into a `Plan`: device totals, whether each fits, and the notes every
/// policy shares.
enum PlanAssembly {
    static func plan(_ ledger: PlacementLedger, policy: PlanOptions.Policy, options: PlanOptions, notes: [String]) -> Plan {
        let devices = ledger.devicePlans()
        let short = devices.filter { $0.shortfall > 0 }
        let refusal = short.isEmpty ? nil : short.map { d in
            "\(d.device.id) needs \(ByteSize.format(d.totalBytes)) but has \(ByteSize.format(d.device.freeBytes)) free: "
                + "short by \(ByteSize.format(d.shortfall))"
        }.joined(separator: "; ")
        return Plan(policy: policy, fits: short.isEmpty, refusal: refusal, contextLength: options.contextLength,
                    parallel: options.parallel, kvType: options.kvType, devices: devices,
                    gpuLayers: ledger.wholeLayersOnGPUs, layerCount: ledger.footprint.shape.blockCount + 1,
                    notes: notes + sharedNotes(ledger.footprint, options))
    }

    static func sharedNotes(_ footprint: ModelFootprint, _ options: PlanOptions) -> [String] {
        var notes = footprint.cacheNotes(context: options.cacheTokens)
        if !footprint.engineSupports(options.kvType) {
            notes.append("Tern's CPU engine cannot keep this model's cache in \(options.kvType.rawValue) "
                         + "(\(footprint.shape.architecture == "deepseek2" ? "the MLA cache is f16" : "f16, f32 or q8_0")); "
                         + "the sizes are what a GPU backend would allocate")
        }
        if !footprint.hasTensorData { notes.append("planned from a header-only file: the sizes are known, the data is not there") }
        return notes
    }
}
