import ArgumentParser
import GGUF
import Placement

/// `tern skeleton IN.gguf OUT.gguf`: the header and tensor directory without the data, so a 404 GB
/// model can be planned (`tern plan OUT.gguf`) from a file of a few MB.
/// `tern skeleton --deepseek-r1-671b OUT.gguf` builds R1 671B Q4_K_M's skeleton from its published architecture.
struct SkeletonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skeleton",
        abstract: "Write a header-only GGUF (every tensor's size, no data) for planning.")

    @Argument(help: "IN.gguf OUT.gguf, or only OUT.gguf with --deepseek-r1-671b.")
    var paths: [String]

    @Flag(name: .customLong("deepseek-r1-671b"), help: "Generate DeepSeek-R1 671B Q4_K_M's skeleton instead of copying a file.")
    var deepSeekR1 = false

    @Option(help: "With --deepseek-r1-671b: legacy (attn_kv_b, as Ollama's library blob) or mla (attn_k_b/attn_v_b).")
    var layout: String = DeepSeekR1Skeleton.Layout.legacy.rawValue

    func run() throws {
        let writer: GGUFWriter
        let output: String
        if deepSeekR1 {
            guard paths.count == 1 else { throw ValidationFailure(message: "--deepseek-r1-671b takes one path: OUT.gguf") }
            guard let chosen = DeepSeekR1Skeleton.Layout(rawValue: layout) else {
                throw ValidationFailure(message: "--layout \(layout): expected legacy or mla")
            }
            writer = try failing { try DeepSeekR1Skeleton.writer(layout: chosen) }
            output = paths[0]
        } else {
            guard paths.count == 2 else { throw ValidationFailure(message: "expected IN.gguf OUT.gguf") }
            let file = try failing { try GGUFFile(path: paths[0], data: .headerOnly) }
            writer = try failing { try GGUFWriter(declaring: file) }
            output = paths[1]
        }
        try failing { try writer.writeHeader(to: output) }
        let tensorBytes = writer.tensors.reduce(0) { $0 + $1.info.byteCount }
        print("\(output): \(writer.tensors.count) tensors, \(ByteSize.format(tensorBytes)) of tensor data described "
              + "in \(ByteSize.format(writer.header().count)) of header")
    }
}
