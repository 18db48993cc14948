import GGUF
import Testing

@Suite("GGUF write → read")
struct GGUFRoundTripTests {
    static let everyValueType: [GGUFMetadataEntry] = [
        .init("general.architecture", .string("llama")),
        .init("u8", .uint8(250)), .init("i8", .int8(-7)), .init("u16", .uint16(65000)), .init("i16", .int16(-300)),
        .init("u32", .uint32(4_000_000_000)), .init("i32", .int32(-2_000_000_000)),
        .init("u64", .uint64(UInt64.max)), .init("i64", .int64(Int64.min)),
        .init("f32", .float32(-0.0)), .init("f64", .float64(.pi)), .init("yes", .bool(true)), .init("no", .bool(false)),
        .init("unicode", .string("▁héllo 世界 🙂")), .init("empty", .string("")),
        .init("strings", .array(.string(["a", "", "ĠThe", "<0x0A>"]))),
        .init("floats", .array(.float32([1.5, -2, .infinity]))),
        .init("ints", .array(.int32([1, -2, 3]))), .init("bools", .array(.bool([true, false]))),
        .init("u64s", .array(.uint64([0, UInt64.max]))), .init("f64s", .array(.float64([1e300]))),
        .init("bytes", .array(.uint8([0, 255]))), .init("i8s", .array(.int8([-128]))),
        .init("u16s", .array(.uint16([1])) ), .init("i16s", .array(.int16([-1]))), .init("u32s", .array(.uint32([7]))),
        .init("i64s", .array(.int64([-9]))), .init("nothing", .array(.string([]))),
        .init("nested", .array(.array([.int32([1, 2]), .string(["x"]), .array([.bool([true])])]))),
    ]

    @Test(arguments: [UInt32(2), 3])
    func everyValueTypeSurvives(version: UInt32) throws {
        var w = GGUFWriter(version: version)
        for e in Self.everyValueType { try w.set(e.key, e.value) }
        let f = try GGUFFile(bytes: w.serialized())
        #expect(f.version == version)
        #expect(f.metadata.count == Self.everyValueType.count)
        for (read, written) in zip(f.metadata, Self.everyValueType) {
            #expect(read.key == written.key)
            // Compare bit patterns so -0.0 and NaN payloads count.
            #expect(String(describing: read.value) == String(describing: written.value), "\(written.key)")
        }
        #expect(f.tensors.isEmpty)
    }

    @Test func tensorsAreAlignedAndReadBack() throws {
        var w = GGUFWriter()
        try w.set("general.alignment", .uint32(64))
        let a = (0..<(3 * 32)).map { UInt8($0 % 251) }
        let b = [UInt8](repeating: 7, count: 18 * 2)
        try w.addTensor(name: "a", type: .i8, shape: [32, 3], data: .bytes(a))
        try w.addTensor(name: "b", type: .q4_0, shape: [64], data: .bytes(b))
        let bytes = w.serialized()
        let f = try GGUFFile(bytes: bytes)
        #expect(f.alignment == 64)
        #expect(f.dataOffset % 64 == 0)
        #expect(f.tensors.map(\.name) == ["a", "b"])
        #expect(f.tensors[1].offset == 128)
        #expect(f.tensors[1].shape == [64])
        #expect(Array(f.data(for: f.tensors[0])) == a)
        #expect(Array(f.data(for: f.tensor(named: "b")!)) == b)
        #expect(bytes.count == f.dataOffset + 128 + 64)
    }

    @Test func writerRejectsWrongDataSize() throws {
        var w = GGUFWriter()
        #expect(throws: GGUFError.self) { try w.addTensor(name: "t", type: .f32, shape: [4], data: .bytes([0, 0])) }
        #expect(throws: GGUFError.self) { try w.addTensor(name: "t", type: .q8_0, shape: [31], data: .bytes([])) }
    }

    @Test func typedGettersNameTheKey() throws {
        var w = GGUFWriter()
        try w.set("n", .uint32(5))
        let f = try GGUFFile(bytes: w.serialized())
        #expect(try f.int("n") == 5)
        #expect(throws: GGUFError.missingKey("absent")) { try f.int("absent") }
        #expect(throws: GGUFError.wrongType(key: "n", expected: "string", found: "uint32")) { try f.string("n") }
    }
}
