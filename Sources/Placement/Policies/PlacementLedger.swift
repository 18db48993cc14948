/// A placement in progress: the device of every tensor and of every layer's cache, the buffers
/// each device reserves, and the device plans all that adds up to.
struct PlacementLedger {
    let footprint: ModelFootprint
    /// GPUs, then RAM last.
    let devices: [Device]
    /// Index into `devices`, per tensor of `footprint.tensors`.
    var tensorDevice: [Int]
    /// Index into `devices`, per layer.
    var cacheDevice: [Int]
    /// The whole cache of one layer, and what one decoded token reads of it (a full slot).
    let cacheBytesPerLayer: Int
    let cacheReadPerLayer: Int
    var computeBytes: [Int]
    var overheadBytes: [Int]

    init(footprint: ModelFootprint, inventory: Inventory, cacheBytesPerLayer: Int, cacheReadPerLayer: Int) {
        self.footprint = footprint
        devices = inventory.devices
        let ram = devices.count - 1
        tensorDevice = Array(repeating: ram, count: footprint.tensors.count)
        cacheDevice = Array(repeating: ram, count: footprint.shape.blockCount)
        self.cacheBytesPerLayer = cacheBytesPerLayer
        self.cacheReadPerLayer = cacheReadPerLayer
        computeBytes = Array(repeating: 0, count: devices.count)
        overheadBytes = Array(repeating: 0, count: devices.count)
        overheadBytes[ram] = footprint.headerBytes
    }

    var ram: Int { devices.count - 1 }
    var gpuIndices: Range<Int> { 0..<ram }

    /// Bytes assigned to `device` so far: tensors, caches, buffers and reserves.
    func used(_ device: Int) -> Int {
        var bytes = computeBytes[device] + overheadBytes[device]
        for (i, d) in tensorDevice.enumerated() where d == device { bytes += footprint.tensors[i].bytes }
        for d in cacheDevice where d == device { bytes += cacheBytesPerLayer }
        return bytes
    }

    func holdsAnything(_ device: Int) -> Bool { tensorDevice.contains(device) || cacheDevice.contains(device) }

    /// Layers all of whose tensors and cache are on GPUs, plus one when the output is (`num_gpu`'s count).
    var wholeLayersOnGPUs: Int {
        var onGPU = Array(repeating: true, count: footprint.shape.blockCount + 1)
        for (i, t) in footprint.tensors.enumerated() where tensorDevice[i] == ram {
            if let layer = t.layer, layer < footprint.shape.blockCount { onGPU[layer] = false }
            if t.role == .output { onGPU[footprint.shape.blockCount] = false }
        }
        for (layer, d) in cacheDevice.enumerated() where d == ram { onGPU[layer] = false }
        return onGPU.filter { $0 }.count
    }

    func devicePlans() -> [DevicePlan] {
        var plans = devices.enumerated().map { i, device in
            DevicePlan(device: device, computeBytes: computeBytes[i], overheadBytes: overheadBytes[i])
        }
        var roleLayers = Array(repeating: [TensorRole: Set<Int>](), count: devices.count)
        var globals = Array(repeating: Set<TensorRole>(), count: devices.count)
        for (i, t) in footprint.tensors.enumerated() {
            let d = tensorDevice[i]
            plans[d].weightBytes += t.bytes
            plans[d].bytesReadPerToken += t.bytesReadPerToken
            if let layer = t.layer { roleLayers[d][t.role, default: []].insert(layer) } else { globals[d].insert(t.role) }
        }
        var cacheLayers = Array(repeating: Set<Int>(), count: devices.count)
        for (layer, d) in cacheDevice.enumerated() {
            plans[d].kvBytes += cacheBytesPerLayer
            plans[d].bytesReadPerToken += cacheReadPerLayer
            cacheLayers[d].insert(layer)
        }
        for d in plans.indices {
            plans[d].holds = roleLayers[d].sorted { $0.key < $1.key }.map { "\($0.key.rawValue) blk \(Self.ranges($0.value))" }
                + (cacheLayers[d].isEmpty ? [] : ["KV cache blk \(Self.ranges(cacheLayers[d]))"])
                + globals[d].sorted().map(\.rawValue)
        }
        return plans
    }

    /// [0, 1, 2, 5, 7, 8] → "0–2, 5, 7–8".
    static func ranges(_ values: Set<Int>) -> String {
        var parts: [String] = []
        var run: (Int, Int)?
        for v in values.sorted() {
            if let (a, b) = run, v == b + 1 { run = (a, v); continue }
            if let (a, b) = run { parts.append(a == b ? "\(a)" : "\(a)–\(b)") }
            run = (v, v)
        }
        if let (a, b) = run { parts.append(a == b ? "\(a)" : "\(a)–\(b)") }
        return parts.joined(separator: ", ")
    }
}
