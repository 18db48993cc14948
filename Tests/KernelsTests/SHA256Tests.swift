import Testing

@Suite("SHA-256 (test helper)")
struct SHA256Tests {
    private func digest(_ bytes: [UInt8], pieces: Int = 1) -> String {
        var hasher = SHA256()
        let size = max(1, (bytes.count + pieces - 1) / pieces)
        for start in stride(from: 0, to: bytes.count, by: size) {
            Array(bytes[start..<min(bytes.count, start + size)]).withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalizeHex()
    }

    @Test("FIPS 180-4 examples")
    func knownDigests() {
        #expect(digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(digest(twoBlocks) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(digest([UInt8](repeating: 0x61, count: 1_000_000), pieces: 7)
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("Splitting the input anywhere gives the same digest")
    func streamingIsSplitInvariant() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let whole = digest(bytes)
        for pieces in [2, 3, 15, 64, 999] {
            #expect(digest(bytes, pieces: pieces) == whole)
        }
    }
}
