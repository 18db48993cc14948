import GGUF

/// Reads `<arch>.*` keys with errors that name the key.
public struct Hyperparameters {
    public let file: GGUFFile
    public let arch: String

    public init(file: GGUFFile, arch: String) {
        self.file = file
        self.arch = arch
    }

    public func int(_ suffix: String) throws(ModelError) -> Int {
        let key = "\(arch).\(suffix)"
        guard let v = file[key] else { throw .badHyperparameter(key: key, reason: "missing") }
        if let i = v.intValue { return i }
        // Some files store a per-layer array; the engine needs it uniform.
        if let a = v.arrayValue?.ints, let first = a.first, a.allSatisfy({ $0 == first }) { return first }
        throw .badHyperparameter(key: key, reason: "expected an integer, found \(v.type.name)")
    }

    public func int(_ suffix: String, default value: Int) throws(ModelError) -> Int {
        file["\(arch).\(suffix)"] == nil ? value : try int(suffix)
    }

    public func float(_ suffix: String) throws(ModelError) -> Float {
        let key = "\(arch).\(suffix)"
        guard let v = file[key] else { throw .badHyperparameter(key: key, reason: "missing") }
        guard let d = v.doubleValue else { throw .badHyperparameter(key: key, reason: "expected a number, found \(v.type.name)") }
        return Float(d)
    }

    public func float(_ suffix: String, default value: Float) throws(ModelError) -> Float {
        file["\(arch).\(suffix)"] == nil ? value : try float(suffix)
    }

    public func bool(_ suffix: String, default value: Bool) -> Bool {
        file["\(arch).\(suffix)"]?.boolValue ?? value
    }

    public func string(_ suffix: String) -> String? {
        file["\(arch).\(suffix)"]?.stringValue
    }
}
