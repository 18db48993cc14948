import GGUF
import TestSupport
import Testing

/// Seeded mutation fuzzing of real model headers: every mutant either parses or throws a
/// `GGUFError`; nothing traps, and no allocation follows a count the file merely claims.
@Suite("GGUF fuzz")
struct GGUFFuzzTests {
    static let casesPerModel = 4_000  // × 6 models ≥ 20,000 cases

    /// A model's header with every array cut to a few elements: the same keys, value types and tensor
    /// directory as the real file, but small enough to parse thousands of times a second.
    static func compactHeader(_ model: TestModel) throws -> [UInt8] {
        let file = try GGUFFile(path: model.path)
        var w = GGUFWriter(version: file.version)
        for e in file.metadata {
            if case .array(let a) = e.value, a.count > 8 {
                try w.set(e.key, .array(prefix(a, 8)))
            } else {
                try w.set(e.key, e.value)
            }
        }
        // The real directory entries of the smaller tensors; their data is not needed, so zeros of the
        // right size keep the layout valid.
        for t in file.tensors.filter({ $0.byteCount <= 1 << 18 }).prefix(40) {
            try w.addTensor(name: t.name, type: t.type, shape: t.shape, data: .bytes(.init(repeating: 0, count: t.byteCount)))
        }
        return w.serialized()
    }

    static func prefix(_ a: GGUFArray, _ n: Int) -> GGUFArray {
        switch a {
        case .string(let v): .string(Array(v.prefix(n)))
        case .float32(let v): .float32(Array(v.prefix(n)))
        case .int32(let v): .int32(Array(v.prefix(n)))
        case .uint32(let v): .uint32(Array(v.prefix(n)))
        case .uint8(let v): .uint8(Array(v.prefix(n)))
        case .int8(let v): .int8(Array(v.prefix(n)))
        case .uint16(let v): .uint16(Array(v.prefix(n)))
        case .int16(let v): .int16(Array(v.prefix(n)))
        case .uint64(let v): .uint64(Array(v.prefix(n)))
        case .int64(let v): .int64(Array(v.prefix(n)))
        case .float64(let v): .float64(Array(v.prefix(n)))
        case .bool(let v): .bool(Array(v.prefix(n)))
        case .array(let v): .array(Array(v.prefix(n)))
        }
    }

    static func mutate(_ base: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var b = base
        let edits = Int.random(in: 1...4, using: &rng)
        for _ in 0..<edits {
            guard !b.isEmpty else { break }
            let at = Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: b[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))   // bit flip
            case 1: b[at] = [0x00, 0xFF, 0x7F, 0x80, 0x01][Int.random(in: 0..<5, using: &rng)]
            case 2:  // overwrite 8 bytes with an extreme 64-bit value (counts, lengths, offsets, dims)
                let v: UInt64 = [UInt64.max, 1 << 63, 1 << 32, 0, UInt64(b.count), 1 << 40][Int.random(in: 0..<6, using: &rng)]
                for i in 0..<8 where at + i < b.count { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
            case 3: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...16, using: &rng)))
            case 4: b.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            default: b.removeSubrange(at...)  // truncation
            }
        }
        return b
    }

    @Test(arguments: TestModel.allCases)
    func mutatedHeadersNeverCrash(model: TestModel) throws {
        try #require(model.shouldTest)
        let base = try Self.compactHeader(model)
        #expect(try GGUFFile(bytes: base).metadata.count > 10)
        var rng = SeededRandom(seed: 0x7E27 &+ UInt64(TestModel.allCases.firstIndex(of: model)!))
        var rejected = 0
        for _ in 0..<Self.casesPerModel {
            let mutant = Self.mutate(base, &rng)
            do {
                _ = try GGUFFile(bytes: mutant)
            } catch is GGUFError {
                rejected += 1
            }
        }
        // Most mutants must be caught; a fuzzer whose mutants all parse is not exercising the checks.
        #expect(rejected > Self.casesPerModel / 4)
    }
}
