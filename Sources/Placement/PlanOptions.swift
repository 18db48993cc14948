/// What the user asks of a plan: the context and slots to size the cache for, its type, and any
/// explicit placement (`num_gpu` layers, per-tensor overrides).
public struct PlanOptions: Sendable {
    public enum Policy: String, Sendable, CaseIterable {
        /// Per tensor: everything but routed experts (and the KV cache) on GPUs, experts fill the rest.
        case tern
        /// Ollama's layer estimator (spec §6.5.1), to show what Ollama would have done.
        case ollama
    }

    public var policy: Policy = .tern
    /// Tokens per slot (`num_ctx`).
    public var contextLength = 2048
    /// Request slots (`OLLAMA_NUM_PARALLEL`): the cache holds `contextLength × parallel` tokens.
    public var parallel = 1
    public var kvType: KVCacheType = .f16
    public var batchSize = 512
    /// Layers the user wants on GPUs (`num_gpu`); nil lets the policy decide.
    public var numGPU: Int?
    public var overrides: [TensorOverride] = []
    /// Bytes to leave unused on each GPU (`OLLAMA_GPU_OVERHEAD`).
    public var gpuOverheadBytes = 0

    public init() {}

    /// Positions the cache holds over all slots.
    var cacheTokens: Int { contextLength * parallel }
}

/// Memory every used GPU loses before any tensor: the driver context and cuBLAS workspace.
/// 457 MiB is the figure Ollama reserves for CUDA (spec §6.5.1, `M`).
public let gpuReserveBytes = 457 << 20
