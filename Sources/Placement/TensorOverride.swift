/// A user's "these tensors go there", as llama.cpp's `-ot REGEX=DEVICE`: the first override whose
/// regular expression occurs in a tensor's name decides its device. Devices are `gpuN` (or
/// `CUDAN`) and `cpu` (or `ram`).
public struct TensorOverride: Sendable, Equatable {
    public let pattern: String
    public let deviceID: String

    public init(pattern: String, deviceID: String) throws(PlacementError) {
        do {
            _ = try Regex(pattern)
        } catch {
            throw .badOverride(pattern, reason: "not a regular expression (\(error))")
        }
        self.pattern = pattern
        self.deviceID = deviceID
    }

    /// `exps=CPU`, `blk\.(3|4)\.ffn_.*_exps=CUDA1`, or several joined by commas (as `-ot` takes them).
    public static func parseList(_ text: String) throws(PlacementError) -> [TensorOverride] {
        var result: [TensorOverride] = []
        for item in text.split(separator: ",") {
            guard let equals = item.lastIndex(of: "=") else { throw .badOverride(String(item), reason: "expected REGEX=DEVICE") }
            let pattern = String(item[..<equals]), device = String(item[item.index(after: equals)...])
            guard !pattern.isEmpty, let id = deviceID(device) else {
                throw .badOverride(String(item), reason: "expected REGEX=DEVICE with DEVICE cpu, ram, gpuN or CUDAN")
            }
            result.append(try TensorOverride(pattern: pattern, deviceID: id))
        }
        return result
    }

    static func deviceID(_ text: String) -> String? {
        let lowered = text.lowercased()
        if lowered == "cpu" || lowered == "ram" { return "ram" }
        for prefix in ["gpu", "cuda"] where lowered.hasPrefix(prefix) {
            if let n = Int(lowered.dropFirst(prefix.count)), n >= 0 { return "gpu\(n)" }
        }
        return nil
    }

    func matches(_ tensorName: String) -> Bool {
        // Compiled when used: the pattern was checked at creation, and Regex is not Sendable.
        (try? Regex(pattern)).map { tensorName.contains($0) } ?? false
    }
}
