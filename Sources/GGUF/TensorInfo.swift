/// One entry of the tensor directory.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    public let type: GGMLType
    /// Dimensions in ggml `ne` order: the fastest-varying (row length) first.
    public let shape: [Int]
    /// Offset of the data relative to the start of the data section, as stored in the file.
    public let offset: Int
    /// Bytes of data, from the type's block geometry.
    public let byteCount: Int

    public init(name: String, type: GGMLType, shape: [Int], offset: Int, byteCount: Int) {
        self.name = name
        self.type = type
        self.shape = shape
        self.offset = offset
        self.byteCount = byteCount
    }

    public var elementCount: Int { shape.reduce(1, *) }
    /// Values per row (`ne[0]`).
    public var rowLength: Int { shape.first ?? 1 }
    /// Number of rows: the product of all dimensions but the first.
    public var rowCount: Int { shape.dropFirst().reduce(1, *) }
    public var rowBytes: Int { rowLength / type.blockSize * type.blockBytes }

    /// Validates a shape for a type and computes its byte count.
    static func byteCount(name: String, type: GGMLType, shape: [Int]) throws -> Int {
        var elements = 1
        for d in shape {
            let (e, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow else { throw GGUFError.tensorTooLarge(tensor: name) }
            elements = e
        }
        let rowLength = shape.first ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw GGUFError.rowNotWholeBlocks(tensor: name, type: type, rowLength: rowLength)
        }
        guard let bytes = type.byteCount(values: elements) else { throw GGUFError.tensorTooLarge(tensor: name) }
        return bytes
    }
}
