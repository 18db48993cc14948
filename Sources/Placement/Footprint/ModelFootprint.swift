import GGUF

/// One tensor as placement sees it: its bytes, role and layer, and how much of it one decoded
/// token reads.
public struct PlannedTensor: Sendable, Equatable {
    public let name: String
    public let role: TensorRole
    /// `blk.N` → N; nil for the embedding, output and other global tensors.
    public let layer: Int?
    public let bytes: Int
    /// Bytes a decoded token reads: all of it, a routed-expert tensor's used share, one embedding row.
    public let bytesReadPerToken: Int
}

/// Everything placement knows about a model, from its GGUF header alone.
public struct ModelFootprint: Sendable {
    public let shape: ModelShape
    public let tensors: [PlannedTensor]
    /// Metadata and tensor directory: mapped with the file, so they live in RAM.
    public let headerBytes: Int
    /// False for a header-only file (a skeleton): sizes are known, data is not there.
    public let hasTensorData: Bool
    let rules: any ArchitectureRules

    public init(file: GGUFFile) throws(PlacementError) {
        let shape = try ModelShape(file: file)
        self.shape = shape
        headerBytes = file.dataOffset
        hasTensorData = file.hasTensorData
        rules = architectureRules(for: shape.architecture)
        // A model without `output.weight` uses its embedding as the output head: read whole every token.
        let tied = file.tensor(named: "output.weight") == nil
        tensors = file.tensors.map { t in
            let named = TensorRole(tensorName: t.name)
            let role = tied && named == .embedding && t.name == "token_embd.weight" ? .output : named
            let read: Int = switch role {
            case .routedExpert: Int((Double(t.byteCount) * shape.routedReadFraction).rounded())
            // Decoding looks up one row of the embedding.
            case .embedding: t.rowBytes
            default: t.byteCount
            }
            return PlannedTensor(name: t.name, role: role, layer: TensorRole.layer(ofTensor: t.name), bytes: t.byteCount,
                                 bytesReadPerToken: read)
        }
    }

    public var tensorBytes: Int { tensors.reduce(0) { $0 + $1.bytes } }

    /// Bytes of `blk.layer.*`.
    public func layerBytes(_ layer: Int) -> Int {
        tensors.reduce(0) { $0 + ($1.layer == layer ? $1.bytes : 0) }
    }

    /// KV-cache bytes per token and layer, in Tern's engine layout; nil when `type` cannot hold the rows.
    public func kvBytesPerTokenPerLayer(_ type: KVCacheType) -> Int? { rules.kvBytesPerTokenPerLayer(shape, type) }

    /// KV-cache bytes per token over all layers (what `ModelState.cacheBytesPerToken` reports).
    public func kvBytesPerToken(_ type: KVCacheType) -> Int? { kvBytesPerTokenPerLayer(type).map { $0 * shape.blockCount } }

    /// Whether Tern's CPU engine can keep its cache in `type` for this architecture.
    public func engineSupports(_ type: KVCacheType) -> Bool { rules.engineSupports(type) }

    /// Activations and scratch one forward pass of `batch` tokens needs with `context` positions,
    /// as Tern's engine allocates them.
    public func workingSetBytes(batch: Int, context: Int, threads: Int) -> Int {
        rules.workingSetBytes(shape, batch: batch, context: context, threads: threads)
    }

    /// Facts about the cache worth telling the user (e.g. what llama.cpp would allocate instead).
    public func cacheNotes(context: Int) -> [String] { rules.cacheNotes(shape, context: context) }
}
