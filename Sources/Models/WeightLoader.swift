import GGUF
import Kernels

/// Looks tensors up by name for an architecture, checking shapes against what the architecture
/// expects, and remembers which tensors were taken so unused ones can be reported.
public struct WeightLoader {
    public let file: GGUFFile
    private(set) var used: Set<String> = []

    public init(file: GGUFFile) { self.file = file }

    public func has(_ name: String) -> Bool { file.tensor(named: name) != nil }

    /// A matrix of `rows` outputs × `cols` inputs (GGUF shape [cols, rows]).
    public mutating func matrix(_ name: String, rows: Int, cols: Int) throws(ModelError) -> WeightMatrix {
        let t = try tensor(name, shape: [cols, rows])
        do {
            return try WeightMatrix(type: t.type, rows: rows, cols: cols, data: file.data(for: t).baseAddress!)
        } catch {
            throw .unsupportedType(tensor: name, type: t.type)
        }
    }

    /// A stack of `count` matrices (GGUF shape [cols, rows, count]), as MoE experts and MLA heads are stored.
    public mutating func matrices(_ name: String, rows: Int, cols: Int, count: Int) throws(ModelError) -> [WeightMatrix] {
        let t = try tensor(name, shape: [cols, rows, count])
        let base = file.data(for: t).baseAddress!
        let stride = t.byteCount / count
        do {
            return try (0..<count).map { try WeightMatrix(type: t.type, rows: rows, cols: cols, data: base + $0 * stride) }
        } catch {
            throw .unsupportedType(tensor: name, type: t.type)
        }
    }

    /// A vector (norm weights, biases) as floats, converted from its stored type.
    public mutating func vector(_ name: String, count: Int) throws(ModelError) -> [Float] {
        let t = try tensor(name, shape: [count])
        var out = [Float](repeating: 0, count: count)
        do {
            try out.withUnsafeMutableBufferPointer { try dequantize(t.type, file.data(for: t), into: $0) }
        } catch {
            throw .unsupportedType(tensor: name, type: t.type)
        }
        return out
    }

    private mutating func tensor(_ name: String, shape: [Int]) throws(ModelError) -> GGUFTensorInfo {
        guard let t = file.tensor(named: name) else { throw .missingTensor(name) }
        // Trailing 1s are equivalent (ggml drops them), so compare the shapes without them.
        func trimmed(_ s: [Int]) -> [Int] { var s = s; while s.count > 1, s.last == 1 { s.removeLast() }; return s }
        guard trimmed(t.shape) == trimmed(shape) else { throw .wrongShape(tensor: name, expected: shape, found: t.shape) }
        used.insert(name)
        return t
    }
}
