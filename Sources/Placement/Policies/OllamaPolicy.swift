/// Ollama's layer estimator (generation A, spec §6.5.1), so users can see what Ollama would have
/// done: whole layers dealt round-robin to the GPUs while `free > O + alloc + G + c_i`, with its KV
/// formula (no MLA), its graph formulas, the 457 MiB reserve and one layer of head-room per GPU.
/// llama.cpp then receives the count and offloads the last blocks, which is what the devices show.
struct OllamaPolicy {
    let footprint: ModelFootprint
    let inventory: Inventory
    let options: PlanOptions

    /// Ollama's KV total for the whole context: `n_ctx × L × (d_k + d_v) × n_head_kv × b`.
    var kvBytes: Int {
        let s = footprint.shape
        return Int(Double(options.cacheTokens * s.blockCount * (s.keyLength + s.valueLength) * s.headCountKV)
                   * options.kvType.ollamaBytesPerElement)
    }

    func plan() -> Plan {
        let s = footprint.shape
        let blocks = s.blockCount, kv = kvBytes
        let kvPerLayer = blocks > 0 ? kv / blocks : 0
        let batch = min(options.batchSize, options.cacheTokens)
        var graph = footprint.rules.ollamaGraph(s, batch: batch, context: options.cacheTokens, kvBytes: kv)
        if inventory.gpus.count > 1 { graph.full = graph.partial }  // multi-GPU always uses the partial graph
        let g = max(graph.full, graph.partial)
        let layerCost = (0..<blocks).map { footprint.layerBytes($0) + kvPerLayer }
        let outputCost = footprint.tensors.filter { $0.name == "output_norm.weight" || $0.name == "output.weight" }.reduce(0) { $0 + $1.bytes }
            + (footprint.tensors.contains { $0.name == "output.weight" } ? 0
               : footprint.tensors.first { $0.name == "token_embd.weight" }?.bytes ?? 0)
        let o = options.gpuOverheadBytes, m = gpuReserveBytes, headroom = layerCost.first ?? 0

        func fresh() -> PlacementLedger {
            var ledger = PlacementLedger(footprint: footprint, inventory: inventory, cacheBytesPerLayer: kvPerLayer,
                                         cacheReadPerLayer: kvPerLayer / options.parallel)
            for gpu in ledger.gpuIndices {
                ledger.computeBytes[gpu] = graph.partial
                ledger.overheadBytes[gpu] = m + o
            }
            return ledger
        }
        if let numGPU = options.numGPU {
            return LayerOffload.plan(numGPU: numGPU, policy: .ollama, options: options, fresh: fresh)
        }

        // The estimator: usable GPUs start with the reserve and one layer of head-room.
        var usable = inventory.gpus.indices.filter { inventory.gpus[$0].freeBytes >= o + g + m + 2 * headroom }
        var alloc = Array(repeating: 0, count: inventory.gpus.count)
        var counts = alloc
        for i in usable { alloc[i] = m + headroom }
        var placed = 0
        func tryPlace(_ cost: Int, at index: Int) {
            while !usable.isEmpty {
                let slot = index % usable.count, gpu = usable[slot]
                if inventory.gpus[gpu].freeBytes > o + alloc[gpu] + g + cost {
                    alloc[gpu] += cost
                    counts[gpu] += 1
                    placed += 1
                    return
                }
                usable.remove(at: slot)
            }
        }
        for i in 0..<blocks { tryPlace(layerCost[i], at: i) }
        tryPlace(outputCost, at: placed)
        let full = placed >= blocks + 1
        for i in counts.indices where counts[i] > 0 { alloc[i] += full ? graph.full : graph.partial }
        let vram = alloc.reduce(0, +)
        let overflow = (0..<blocks).dropLast(min(placed, blocks)).reduce(0) { $0 + layerCost[$1] } + (full ? 0 : outputCost)

        var ledger = fresh()
        var next = blocks - min(placed, blocks)
        for gpu in counts.indices {
            ledger.computeBytes[gpu] = counts[gpu] > 0 ? (full ? graph.full : graph.partial) : 0
            // The head-room layer is part of the estimate only; llama.cpp allocates the reserve.
            ledger.overheadBytes[gpu] = counts[gpu] > 0 ? m + o : 0
            for _ in 0..<counts[gpu] where next <= blocks {
                for (t, tensor) in footprint.tensors.enumerated() where tensor.role != .embedding {
                    if next < blocks ? tensor.layer == next : tensor.layer == nil { ledger.tensorDevice[t] = gpu }
                }
                if next < blocks { ledger.cacheDevice[next] = gpu }
                next += 1
            }
        }
        let split = counts.filter { $0 > 0 }.map(String.init).joined(separator: ",")
        let total = vram + overflow
        let cpuShare = total > 0 ? Int((Double(overflow) / Double(total) * 100).rounded()) : 100
        let estimate = "Ollama's estimate: \(placed)/\(blocks + 1) layers on GPUs (split \(split.isEmpty ? "none" : split)), "
            + "VRAM \(ByteSize.format(vram)), total \(ByteSize.format(total)), ollama ps \(cpuShare)%/\(100 - cpuShare)% CPU/GPU; "
            + "KV \(ByteSize.format(kv)) (no MLA), graph \(ByteSize.format(full ? graph.full : graph.partial)) per GPU, "
            + "reserve \(ByteSize.format(m)) + one layer of head-room (\(ByteSize.format(headroom))) per GPU"
        var plan = PlanAssembly.plan(ledger, policy: .ollama, options: options, notes: [estimate])
        plan.gpuLayers = placed
        if let refusal = plan.refusal {
            plan.refusal = "Ollama's estimate accepts num_gpu \(placed), but llama.cpp's contiguous split of those layers "
                + "overflows (\"unable to allocate\" at load): " + refusal
        }
        return plan
    }
}
