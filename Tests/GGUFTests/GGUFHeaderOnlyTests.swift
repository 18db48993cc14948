import GGUF
import TestSupport
import Testing

/// Header-only files ("skeletons"): the header and tensor directory without data, read back with
/// every size known, while a normal open still refuses them and every other check still holds.
@Suite("GGUF header-only files")
struct GGUFHeaderOnlyTests {
    static func declared(_ tensors: [(String, GGMLType, [Int])]) throws -> GGUFWriter {
        var w = GGUFWriter()
        try w.set("general.architecture", .string("llama"))
        for (name, type, shape) in tensors { try w.declareTensor(name: name, type: type, shape: shape) }
        return w
    }

    @Test func skeletonReadsBackHeaderOnlyAndIsRefusedAsAModel() throws {
        let w = try Self.declared([("a", .q4_K, [256, 10]), ("b", .f32, [7])])
        let header = w.header()
        let f = try GGUFFile(bytes: header, data: .headerOnly)
        #expect(!f.hasTensorData)
        #expect(f.tensors.map(\.byteCount) == [1440, 28])
        #expect(f.dataOffset == header.count)
        #expect(throws: GGUFError.tensorOutOfBounds(tensor: "a", offset: header.count, size: 1440, fileSize: header.count)) {
            try GGUFFile(bytes: header)
        }
    }

    @Test func headerOnlyStillRejectsOverlapAndMisalignment() throws {
        // Point the second tensor's data offset at the first tensor's data, then at an unaligned byte.
        var w = GGUFWriter()
        try w.declareTensor(name: "tensor.first", type: .f32, shape: [64])
        try w.declareTensor(name: "tensor.second", type: .f32, shape: [64])
        var bytes = w.header()
        let dataOffset = bytes.count
        let field = try #require(Self.offsetField(in: bytes, tensorName: "tensor.second"))
        #expect(bytes[field] == 0 && bytes[field + 1] == 1)  // 256, little-endian: after 64 f32 of the first
        bytes[field + 1] = 0
        #expect(throws: GGUFError.tensorsOverlap(tensor: "tensor.second", other: "tensor.first", offset: dataOffset)) {
            try GGUFFile(bytes: bytes, data: .headerOnly)
        }
        bytes[field] = 4  // not a multiple of 32
        #expect(throws: GGUFError.tensorMisaligned(tensor: "tensor.second", offset: 4, alignment: 32)) {
            try GGUFFile(bytes: bytes, data: .headerOnly)
        }
    }

    @Test func fullFileOpensHeaderOnlyWithItsData() throws {
        var w = GGUFWriter()
        try w.addTensor(name: "a", type: .f32, shape: [2], data: .bytes([0, 0, 128, 63, 0, 0, 0, 64]))
        let f = try GGUFFile(bytes: w.serialized(), data: .headerOnly)
        #expect(f.hasTensorData)
        #expect(Array(f.data(for: f.tensors[0])) == [0, 0, 128, 63, 0, 0, 0, 64])
    }

    @Test func writingDataOfADeclaredTensorIsRefused() throws {
        let w = try Self.declared([("a", .f32, [4])])
        // Refused before any file is opened, so the path is never created.
        #expect(throws: GGUFError.tensorDataAbsent(tensor: "a")) { try w.write(to: "never-written.gguf") }
    }

    @Test(arguments: TestModel.allCases)
    func declaringARealModelReproducesItsHeader(model: TestModel) throws {
        guard model.shouldTest else { return }
        let file = try GGUFFile(path: model.path)
        let header = try GGUFWriter(declaring: file).header()
        #expect(header == Array(file.rawBytes[0..<file.dataOffset]))
        let skeleton = try GGUFFile(bytes: header, data: .headerOnly)
        #expect(skeleton.tensors == file.tensors)
    }

    /// Byte offset of the data-offset field in `tensorName`'s directory entry (name, n_dims, dims, type, offset).
    static func offsetField(in bytes: [UInt8], tensorName: String) -> Int? {
        let needle = Array(tensorName.utf8)
        guard let at = (0...(bytes.count - needle.count)).first(where: { Array(bytes[$0..<$0 + needle.count]) == needle }) else { return nil }
        let dims = Int(bytes[at + needle.count])
        return at + needle.count + 4 + 8 * dims + 4
    }
}
