/// Where a model's tensors, cache and buffers go, what that costs each device, and what decoding
/// will read per token. A plan that does not fit says why in `refusal`.
public struct Plan: Sendable {
    public var policy: PlanOptions.Policy
    public var fits: Bool
    /// Why the plan cannot be used, naming the device and the shortfall.
    public var refusal: String?
    /// Tokens per slot the plan sizes the cache for (smaller than asked when the policy had to reduce it).
    public var contextLength: Int
    public var parallel: Int
    public var kvType: KVCacheType
    /// GPUs first, then RAM.
    public var devices: [DevicePlan]
    /// Whole layers on GPUs as `num_gpu` counts them: blocks, plus one for the output.
    public var gpuLayers: Int
    /// `block_count + 1`: the `num_gpu` that means everything.
    public var layerCount: Int
    public var notes: [String]

    public var totalBytes: Int { devices.reduce(0) { $0 + $1.totalBytes } }
    public var gpuBytes: Int { devices.filter { $0.device.kind == .gpu }.reduce(0) { $0 + $1.totalBytes } }
    public var ramBytes: Int { totalBytes - gpuBytes }
    /// Share of the model's bytes in RAM, as `ollama ps` shows it.
    public var cpuFraction: Double { totalBytes == 0 ? 0 : Double(ramBytes) / Double(totalBytes) }
    /// Bytes decoding one token reads from RAM (only the chosen experts of RAM-resident layers count).
    public var ramBytesPerToken: Int { devices.filter { $0.device.kind == .ram }.reduce(0) { $0 + $1.bytesReadPerToken } }

    /// Tokens per second when every device streams its share of a token's reads at its bandwidth,
    /// one after the other (a single sequence runs through the layers in order).
    public var predictedDecodeTokensPerSecond: Double {
        let seconds = devices.reduce(0.0) { $0 + Double($1.bytesReadPerToken) / $1.device.bandwidth }
        return seconds > 0 ? 1 / seconds : 0
    }

    /// `ollama ps`'s PROCESSOR column: "100% GPU", "100% CPU" or "17%/83% CPU/GPU".
    public var processor: String {
        let cpu = Int((cpuFraction * 100).rounded())
        if gpuBytes == 0 { return "100% CPU" }
        if cpu == 0 { return "100% GPU" }
        return "\(cpu)%/\(100 - cpu)% CPU/GPU"
    }
}

/// One device's share of a plan.
public struct DevicePlan: Sendable {
    public var device: Device
    public var weightBytes = 0
    public var kvBytes = 0
    /// Activations and scratch for a forward pass (Ollama: its graph estimate).
    public var computeBytes = 0
    /// Driver reserve, the user's per-GPU overhead, and the metadata mapped with the file in RAM.
    public var overheadBytes = 0
    /// What it holds, by role and layers: "attention blk 0–60", "routed experts blk 3–40".
    public var holds: [String] = []
    public var bytesReadPerToken = 0

    public var totalBytes: Int { weightBytes + kvBytes + computeBytes + overheadBytes }
    /// How much more than the device has free the plan asks of it.
    public var shortfall: Int { max(0, totalBytes - device.freeBytes) }
}
