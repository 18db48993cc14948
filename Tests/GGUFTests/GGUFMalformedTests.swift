import GGUF
import Testing

/// Assembles GGUF bytes field by field, so a test can write any field wrong on purpose.
struct RawGGUF {
    var bytes: [UInt8] = []
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func str(_ s: String) { u64(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
    mutating func header(tensors: UInt64, kvs: UInt64, version: UInt32 = 3) {
        u32(GGUFFile.magic); u32(version); u64(tensors); u64(kvs)
    }
    mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32 = 0, offset: UInt64) {
        str(name); u32(UInt32(dims.count)); for d in dims { u64(d) }; u32(type); u64(offset)
    }
    mutating func pad(to alignment: Int = 32) { while bytes.count % alignment != 0 { bytes.append(0) } }
    mutating func data(_ n: Int) { bytes += [UInt8](repeating: 1, count: n) }
}

@Suite("GGUF bad input: one typed error naming the item and offset, never a crash")
struct GGUFMalformedTests {
    static func parse(_ raw: RawGGUF) -> GGUFError? {
        do { _ = try GGUFFile(bytes: raw.bytes); return nil } catch let e as GGUFError { return e } catch { return nil }
    }

    /// A valid two-tensor file used as the base of the truncation test.
    static var valid: RawGGUF {
        var r = RawGGUF()
        r.header(tensors: 2, kvs: 2)
        r.str("general.architecture"); r.u32(8); r.str("llama")
        r.str("tokenizer.ggml.tokens"); r.u32(9); r.u32(8); r.u64(2); r.str("a"); r.str("bc")
        r.tensorInfo("w", dims: [4, 2], type: 0, offset: 0)
        r.tensorInfo("v", dims: [32], type: 8, offset: 32)
        r.pad()
        r.data(32); r.data(34)
        return r
    }

    @Test func validBaseParses() throws {
        let f = try GGUFFile(bytes: Self.valid.bytes)
        #expect(f.tensors.count == 2)
        #expect(f[ "tokenizer.ggml.tokens"]?.arrayValue?.strings == ["a", "bc"])
    }

    /// Every prefix of a valid file is rejected with a typed error (or parses, for none of them).
    @Test func truncatedAtEveryByte() {
        let full = Self.valid.bytes
        for n in 0..<full.count {
            do {
                _ = try GGUFFile(bytes: Array(full[0..<n]))
                Issue.record("a file truncated to \(n) of \(full.count) bytes parsed (data at \(try! GGUFFile(bytes: full).dataOffset))")
            } catch let e as GGUFError {
                switch e {
                case .truncated, .countTooLarge, .tensorOutOfBounds: break
                default: Issue.record("truncated to \(n): unexpected \(e)")
                }
            } catch {
                Issue.record("truncated to \(n): non-GGUF error \(error)")
            }
        }
    }

    @Test func wrongMagicAndVersion() {
        var r = RawGGUF(); r.u32(0x4C4C_4747); r.u32(3); r.u64(0); r.u64(0)
        #expect(Self.parse(r) == .badMagic(found: 0x4C4C_4747))
        for v: UInt32 in [1, 4, 0xFFFF_FFFF] {
            var r = RawGGUF(); r.header(tensors: 0, kvs: 0, version: v)
            #expect(Self.parse(r) == .unsupportedVersion(v))
        }
    }

    @Test func countsLargerThanTheFileCouldHold() {
        var r = RawGGUF(); r.header(tensors: 0, kvs: UInt64.max)
        #expect(Self.parse(r) == .countTooLarge(what: "header metadata count", count: UInt64.max, offset: 16, remaining: 0))
        r = RawGGUF(); r.header(tensors: 1 << 40, kvs: 0)
        #expect(Self.parse(r) == .countTooLarge(what: "header tensor count", count: 1 << 40, offset: 8, remaining: 0))
        r = RawGGUF(); r.header(tensors: 0, kvs: 1)
        r.str("k"); r.u32(9); r.u32(4); r.u64(1 << 61)  // array of 2^61 uint32
        #expect(Self.parse(r) == .countTooLarge(what: "key k: array count", count: 1 << 61, offset: 41, remaining: 0))
    }

    @Test func stringsAndArraysPastEOF() {
        var r = RawGGUF(); r.header(tensors: 0, kvs: 1)
        r.str("k"); r.u32(8); r.u64(100); r.bytes += Array("short".utf8)
        #expect(Self.parse(r) == .truncated(what: "key k", offset: 45, needed: 95, fileSize: 50))
        r = RawGGUF(); r.header(tensors: 0, kvs: 1)
        r.str("k"); r.u32(9); r.u32(8); r.u64(2); r.str("one"); r.u64(50); r.u64(0)
        guard case .truncated(let what, _, _, _) = Self.parse(r) else { Issue.record("expected truncation, got \(String(describing: Self.parse(r)))"); return }
        #expect(what == "key k[1]")
    }

    @Test func unknownTypes() {
        var r = RawGGUF(); r.header(tensors: 0, kvs: 1); r.str("k"); r.u32(13); r.u32(0)
        #expect(Self.parse(r) == .unknownValueType(key: "k", type: 13, offset: 33))
        r = RawGGUF(); r.header(tensors: 0, kvs: 1); r.str("k"); r.u32(9); r.u32(99); r.u64(0)
        #expect(Self.parse(r) == .unknownValueType(key: "k", type: 99, offset: 37))
        r = RawGGUF(); r.header(tensors: 1, kvs: 0); r.tensorInfo("t", dims: [4], type: 4, offset: 0); r.pad(); r.data(32)
        #expect(Self.parse(r) == .unknownTensorType(tensor: "t", type: 4, offset: 45))
    }

    @Test func invalidUTF8AndDuplicates() {
        var r = RawGGUF(); r.header(tensors: 0, kvs: 1); r.u64(2); r.bytes += [0xC3, 0x28]; r.u32(4); r.u32(1)
        #expect(Self.parse(r) == .invalidUTF8(what: "metadata key #0", offset: 24))
        r = RawGGUF(); r.header(tensors: 0, kvs: 2)
        r.str("k"); r.u32(4); r.u32(1); r.str("k"); r.u32(4); r.u32(2)
        #expect(Self.parse(r) == .duplicateKey("k", offset: 41))
        r = RawGGUF(); r.header(tensors: 2, kvs: 0)
        r.tensorInfo("t", dims: [8], offset: 0); r.tensorInfo("t", dims: [8], offset: 32); r.pad(); r.data(64)
        #expect(Self.parse(r) == .duplicateTensor("t", offset: 57))
    }

    @Test func tensorGeometry() {
        var r = RawGGUF(); r.header(tensors: 1, kvs: 0); r.tensorInfo("t", dims: [1, 1, 1, 1, 1], offset: 0)
        #expect(Self.parse(r) == .tooManyDimensions(tensor: "t", count: 5, offset: 33))
        r = RawGGUF(); r.header(tensors: 1, kvs: 0); r.tensorInfo("t", dims: [4, 0], offset: 0)
        #expect(Self.parse(r) == .invalidDimension(tensor: "t", index: 1, value: 0, offset: 45))
        r = RawGGUF(); r.header(tensors: 1, kvs: 0); r.tensorInfo("t", dims: [1 << 40, 1 << 40], offset: 0)
        #expect(Self.parse(r) == .tensorTooLarge(tensor: "t"))
        r = RawGGUF(); r.header(tensors: 1, kvs: 0); r.tensorInfo("t", dims: [33], type: 8, offset: 0)
        #expect(Self.parse(r) == .rowNotWholeBlocks(tensor: "t", type: .q8_0, rowLength: 33))
    }

    @Test func tensorPlacement() {
        var r = RawGGUF(); r.header(tensors: 1, kvs: 0); r.tensorInfo("t", dims: [8], offset: 16); r.pad(); r.data(64)
        #expect(Self.parse(r) == .tensorMisaligned(tensor: "t", offset: 16, alignment: 32))
        r = RawGGUF(); r.header(tensors: 1, kvs: 0); r.tensorInfo("t", dims: [64], offset: 0); r.pad(); r.data(100)
        #expect(Self.parse(r) == .tensorOutOfBounds(tensor: "t", offset: 64, size: 256, fileSize: 164))
        r = RawGGUF(); r.header(tensors: 1, kvs: 0); r.tensorInfo("t", dims: [8], offset: UInt64(Int.max) - 31)
        r.pad(); r.data(32)
        #expect(Self.parse(r) == .tensorOutOfBounds(tensor: "t", offset: Int.max - 31, size: 32, fileSize: 96))
        r = RawGGUF(); r.header(tensors: 2, kvs: 0)
        r.tensorInfo("a", dims: [16], offset: 0); r.tensorInfo("b", dims: [8], offset: 32); r.pad(); r.data(96)
        #expect(Self.parse(r) == .tensorsOverlap(tensor: "b", other: "a", offset: 128))
    }

    @Test func badAlignment() {
        for value: UInt32 in [0, 3, 48] {
            var r = RawGGUF(); r.header(tensors: 0, kvs: 1); r.str("general.alignment"); r.u32(4); r.u32(value)
            #expect(Self.parse(r) == .invalidAlignment(value: "uint32(\(value))"))
        }
    }

    @Test func deepNestingIsRefused() {
        var r = RawGGUF(); r.header(tensors: 0, kvs: 1); r.str("k"); r.u32(9)
        for _ in 0..<20 { r.u32(9); r.u64(1) }
        r.u32(4); r.u64(0)
        guard case .nestingTooDeep(let key, _) = Self.parse(r) else { Issue.record("expected nestingTooDeep"); return }
        #expect(key == "k")
    }

    @Test func descriptionsAreOneLineAndNameTheItem() {
        let e = GGUFError.tensorOutOfBounds(tensor: "blk.3.ffn_up.weight", offset: 100, size: 200, fileSize: 150)
        #expect(e.description == "tensor blk.3.ffn_up.weight: data ends beyond file (offset 100, size 200, file 150 bytes)")
        #expect(!e.description.contains("\n"))
    }
}
