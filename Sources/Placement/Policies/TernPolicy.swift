/// The tern policy: attention/MLA, norms, router, shared experts, dense FFNs, the output and the KV
/// cache go to GPUs first, in contiguous layer ranges sized to each GPU's free memory; routed
/// experts then fill what GPU memory is left, layer by layer, and the rest stay in RAM. The
/// embedding stays in RAM (decoding looks up one row). Nothing is over-committed: when even RAM is
/// short, a smaller context is tried before the plan is refused.
struct TernPolicy {
    let footprint: ModelFootprint
    let inventory: Inventory
    let options: PlanOptions

    func plan() throws(PlacementError) -> Plan {
        if let numGPU = options.numGPU {
            guard options.overrides.isEmpty else {
                throw .badOption("num_gpu", reason: "give either num_gpu (whole layers) or tensor overrides, not both")
            }
            let ledger = try freshLedger(options)
            return LayerOffload.plan(numGPU: numGPU, policy: .tern, options: options, fresh: { ledger })
        }
        let requested = try attempt(options)
        guard !requested.fits else { return requested }
        var smaller = options
        while smaller.contextLength > 512 {
            smaller.contextLength /= 2
            var reduced = try attempt(smaller)
            if reduced.fits {
                reduced.notes.insert("context reduced from \(options.contextLength) to \(smaller.contextLength) tokens per slot: "
                                     + "at \(options.contextLength) \(requested.refusal ?? "it does not fit")", at: 0)
                return reduced
            }
        }
        return requested
    }

    private func attempt(_ options: PlanOptions) throws(PlacementError) -> Plan {
        var ledger = try freshLedger(options)
        let pinned = try pin(options.overrides, &ledger)
        var notes: [String] = []
        if let spilled = placeCore(&ledger, pinned: pinned) { notes.append(spilled) }
        placeExperts(&ledger, pinned: pinned)
        // A GPU that ends up empty needs no context or buffers.
        for g in ledger.gpuIndices where !ledger.holdsAnything(g) {
            ledger.computeBytes[g] = 0
            ledger.overheadBytes[g] = 0
        }
        return PlanAssembly.plan(ledger, policy: .tern, options: options, notes: notes)
    }

    /// An empty ledger with the engine's cache layout, the working set on every device and the
    /// reserve on every GPU.
    private func freshLedger(_ options: PlanOptions) throws(PlacementError) -> PlacementLedger {
        guard let perTokenLayer = footprint.kvBytesPerTokenPerLayer(options.kvType) else {
            throw .badOption("--kv \(options.kvType.rawValue)", reason: "the cache rows of \(footprint.shape.architecture) are not whole \(options.kvType.rawValue) blocks")
        }
        var ledger = PlacementLedger(footprint: footprint, inventory: inventory,
                                     cacheBytesPerLayer: perTokenLayer * options.cacheTokens,
                                     cacheReadPerLayer: perTokenLayer * options.contextLength)
        let batch = min(options.batchSize, options.cacheTokens)
        ledger.computeBytes[ledger.ram] = footprint.workingSetBytes(batch: batch, context: options.cacheTokens, threads: inventory.cores)
        for g in ledger.gpuIndices {
            ledger.computeBytes[g] = footprint.workingSetBytes(batch: batch, context: options.cacheTokens, threads: 1)
            ledger.overheadBytes[g] = gpuReserveBytes + options.gpuOverheadBytes
        }
        return ledger
    }

    /// Puts every tensor an override names on its device; returns their indices.
    private func pin(_ overrides: [TensorOverride], _ ledger: inout PlacementLedger) throws(PlacementError) -> Set<Int> {
        guard !overrides.isEmpty else { return [] }
        let ids = ledger.devices.map(\.id)
        var pinned = Set<Int>()
        for o in overrides where !ids.contains(o.deviceID) { throw .unknownDevice(o.deviceID, known: ids) }
        for (i, t) in footprint.tensors.enumerated() {
            guard let o = overrides.first(where: { $0.matches(t.name) }) else { continue }
            ledger.tensorDevice[i] = ids.firstIndex(of: o.deviceID)!
            pinned.insert(i)
        }
        return pinned
    }

    /// Places each layer's non-expert tensors with its cache (and the output after the last layer) in
    /// order, filling each GPU up to its share of the total; what no GPU can take stays in RAM.
    /// Returns a note when that happens.
    private func placeCore(_ ledger: inout PlacementLedger, pinned: Set<Int>) -> String? {
        let blocks = footprint.shape.blockCount
        // Unit u < blocks is layer u; unit `blocks` is the output and other global tensors.
        var units = Array(repeating: [Int](), count: blocks + 1)
        for (i, t) in footprint.tensors.enumerated() where !pinned.contains(i) && t.role != .routedExpert && t.role != .embedding {
            units[min(t.layer ?? blocks, blocks)].append(i)
        }
        func bytes(_ u: Int) -> Int {
            units[u].reduce(0) { $0 + footprint.tensors[$1].bytes } + (u < blocks ? ledger.cacheBytesPerLayer : 0)
        }
        let gpus = Array(ledger.gpuIndices)
        let room = gpus.map { max(0, ledger.devices[$0].freeBytes - ledger.used($0)) }
        let totalRoom = room.reduce(0, +)
        let totalCore = (0...blocks).reduce(0) { $0 + bytes($1) }
        var gpu = 0, placedOnGPU = 0
        var spilled: [Int] = []
        for u in 0...blocks {
            let need = bytes(u)
            // Move on when this GPU has its share (and holds something) or has no room for the unit.
            while gpu < gpus.count {
                let share = totalRoom == 0 ? 0 : Int(Double(totalCore) * Double(room[gpu]) / Double(totalRoom))
                let free = ledger.devices[gpus[gpu]].freeBytes - ledger.used(gpus[gpu])
                let hasShare = placedOnGPU > 0 && placedOnGPU + need / 2 > share && gpu < gpus.count - 1
                if need <= free && !hasShare { break }
                gpu += 1
                placedOnGPU = 0
            }
            let device = gpu < gpus.count ? gpus[gpu] : ledger.ram
            for i in units[u] { ledger.tensorDevice[i] = device }
            if u < blocks { ledger.cacheDevice[u] = device }
            if device == ledger.ram { spilled.append(u) } else { placedOnGPU += need }
        }
        guard !gpus.isEmpty, !spilled.isEmpty else { return nil }
        return "GPU memory cannot hold every non-expert tensor and the cache: "
            + "\(spilled.contains(blocks) ? "the output and " : "")layers \(PlacementLedger.ranges(Set(spilled.filter { $0 < blocks }))) stay in RAM"
    }

    /// Routed experts, layer by layer: on the GPU of their layer when it has room, else on the GPU with
    /// the most room, else in RAM.
    private func placeExperts(_ ledger: inout PlacementLedger, pinned: Set<Int>) {
        let gpus = Array(ledger.gpuIndices)
        var free = gpus.map { ledger.devices[$0].freeBytes - ledger.used($0) }
        for (i, t) in footprint.tensors.enumerated() where t.role == .routedExpert && !pinned.contains(i) {
            let home = t.layer.map { ledger.cacheDevice[$0] } ?? ledger.ram
            let candidates = (home < gpus.count ? [home] : []) + gpus.indices.sorted { free[$0] > free[$1] }
            guard let g = candidates.first(where: { free[$0] >= t.bytes }) else { continue }
            ledger.tensorDevice[i] = gpus[g]
            free[g] -= t.bytes
        }
    }
}
