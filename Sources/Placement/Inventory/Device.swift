/// One place tensors can live: a GPU's memory or the machine's RAM.
public struct Device: Sendable, Equatable {
    public enum Kind: String, Sendable { case gpu, ram }

    /// "gpu0", "gpu1", … or "ram": the names plans, overrides and messages use.
    public var id: String
    public var kind: Kind
    /// What the hardware calls itself ("NVIDIA H200"), or "described" for a described inventory.
    public var name: String
    public var totalBytes: Int
    /// What a model may use now: free GPU memory, or available RAM within the cgroup limit.
    public var freeBytes: Int
    /// Read bandwidth in bytes per second: decode reads every used weight once per token.
    public var bandwidth: Double

    public init(id: String, kind: Kind, name: String, totalBytes: Int, freeBytes: Int, bandwidth: Double) {
        self.id = id
        self.kind = kind
        self.name = name
        self.totalBytes = totalBytes
        self.freeBytes = freeBytes
        self.bandwidth = bandwidth
    }
}

/// Bandwidth defaults when nothing better is known; both are overridable (`tern plan --gpu-bandwidth`,
/// `--ram-bandwidth`). 800 GB/s is a 48 GB data-centre GPU (L40S 864, A6000 768); 100 GB/s is what
/// one socket of DDR4/DDR5 server memory sustains for a streaming read.
public enum DefaultBandwidth {
    public static let gpu = 800e9
    public static let ram = 100e9
}

/// Everything a plan may place tensors on.
public struct Inventory: Sendable, Equatable {
    public var gpus: [Device]
    public var ram: Device
    public var cores: Int
    /// How the inventory was obtained: "this machine" or the description the user gave.
    public var origin: String

    public init(gpus: [Device], ram: Device, cores: Int, origin: String) {
        self.gpus = gpus
        self.ram = ram
        self.cores = cores
        self.origin = origin
    }

    /// GPUs first, then RAM: the order plans list devices in.
    public var devices: [Device] { gpus + [ram] }

    /// The same inventory with other bandwidths (nil keeps what it has).
    public func withBandwidth(gpu: Double?, ram ramBandwidth: Double?) -> Inventory {
        var copy = self
        if let gpu { for i in copy.gpus.indices { copy.gpus[i].bandwidth = gpu } }
        if let ramBandwidth { copy.ram.bandwidth = ramBandwidth }
        return copy
    }
}
