/// A described inventory, for planning hardware other than this machine:
/// `8x48GiB` (eight GPUs), `gpu:48GiB,gpu:80GiB,ram:2TiB`, `4xgpu:80GiB,ram:1TiB,cores:64`.
/// Items are comma-separated; a bare size is a GPU. RAM and cores not described are this machine's.
public enum InventoryDescription {
    public static func parse(_ text: String, local: @autoclosure () -> Inventory) throws(InventoryError) -> Inventory {
        var gpuSizes: [Int] = []
        var ramBytes: Int?
        var cores: Int?
        for rawItem in text.split(separator: ",") {
            let item = String(rawItem).trimmingSpaces
            var (count, rest) = (1, item)
            if let x = item.firstIndex(where: { $0 == "x" || $0 == "×" }), let n = Int(item[..<x]) {
                guard n >= 1, n <= 1024 else { throw .badItem(item, reason: "count \(n) must be 1 … 1024") }
                count = n
                rest = String(item[item.index(after: x)...])
            }
            let (kind, value) = rest.contains(":")
                ? (String(rest.prefix { $0 != ":" }).lowercased(), String(rest.drop { $0 != ":" }.dropFirst()))
                : ("gpu", rest)
            switch kind {
            case "gpu":
                guard let bytes = ByteSize.parse(value), bytes > 0 else { throw .badItem(item, reason: "\(value) is not a size like 48GiB") }
                gpuSizes += Array(repeating: bytes, count: count)
            case "ram":
                guard count == 1, let bytes = ByteSize.parse(value), bytes > 0 else { throw .badItem(item, reason: "expected ram:SIZE, e.g. ram:2TiB") }
                ramBytes = bytes
            case "cores":
                guard count == 1, let n = Int(value), n >= 1 else { throw .badItem(item, reason: "expected cores:N") }
                cores = n
            default:
                throw .badItem(item, reason: "unknown kind \(kind) (gpu, ram or cores)")
            }
        }
        guard !gpuSizes.isEmpty || ramBytes != nil else { throw .badItem(text, reason: "describes no device") }
        let here = ramBytes == nil || cores == nil ? local() : nil
        let gpus = gpuSizes.enumerated().map { i, bytes in
            Device(id: "gpu\(i)", kind: .gpu, name: "described", totalBytes: bytes, freeBytes: bytes, bandwidth: DefaultBandwidth.gpu)
        }
        let ram = ramBytes.map { Device(id: "ram", kind: .ram, name: "described", totalBytes: $0, freeBytes: $0, bandwidth: DefaultBandwidth.ram) }
            ?? here!.ram
        return Inventory(gpus: gpus, ram: ram, cores: cores ?? here!.cores, origin: "described: \(text)")
    }
}

public enum InventoryError: Error, Equatable, CustomStringConvertible {
    case badItem(String, reason: String)

    public var description: String {
        switch self {
        case .badItem(let item, let reason): "--devices \(item): \(reason)"
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
