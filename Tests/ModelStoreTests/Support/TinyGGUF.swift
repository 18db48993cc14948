import JSON
import GGUF

/// Small valid GGUF files for store tests: the header is what the store reads.
enum TinyGGUF {
    /// A "llama" model with `general.file_type` 2 (Q4_0) and `elements` (a multiple of 32)
    /// parameters in one Q4_0 tensor.
    static func bytes(elements: Int = 64) throws -> [UInt8] {
        var w = GGUFWriter()
        try w.set("general.architecture", .string("llama"))
        try w.set("general.file_type", .uint32(2))
        try w.set("llama.context_length", .uint32(2048))
        let data = [UInt8](repeating: 0x11, count: elements / 32 * 18)
        try w.addTensor(name: "token_embd.weight", type: .q4_0, shape: [elements], data: .bytes(data))
        return w.serialized()
    }
}
