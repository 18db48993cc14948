/// Why a model cannot be planned at all (as opposed to a plan that does not fit, which is a `Plan`).
public enum PlacementError: Error, Equatable, CustomStringConvertible {
    case missingKey(String)
    case badOverride(String, reason: String)
    case unknownDevice(String, known: [String])
    case badOption(String, reason: String)

    public var description: String {
        switch self {
        case .missingKey(let key): "key \(key): missing, so the model cannot be planned"
        case .badOverride(let text, let reason): "tensor override \(text): \(reason)"
        case .unknownDevice(let id, let known): "device \(id) is not in the inventory (\(known.joined(separator: ", ")))"
        case .badOption(let name, let reason): "\(name): \(reason)"
        }
    }
}
