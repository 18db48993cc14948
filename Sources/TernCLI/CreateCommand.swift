#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Client
import JSON
import ModelStore

/// `tern create NAME -f Modelfile`: parse the Modelfile here, upload a local FROM file as a blob
/// (skipped when the server has it), then ask the server to build the model (spec §5.9).
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a model from a Modelfile.")

    @Argument(help: "The new model's name.")
    var model: String

    @Option(name: .shortAndLong, help: "The Modelfile (default: ./Modelfile).")
    var file: String?

    @Option(name: .shortAndLong, help: "Quantize the model to this type (e.g. q4_K_M).")
    var quantize: String?

    func run() async throws {
        let path = absolute(file ?? "Modelfile")
        guard isLocalFile(path) else {
            throw ValidationFailure(message: file == nil
                ? "no Modelfile in this directory: pass one with -f (Tern cannot create from a safetensors directory)"
                : "specified Modelfile wasn't found")
        }
        let modelfile = try failing { try Modelfile(parsing: try LocalFile(path: path).contents()) }
        for warning in modelfile.warnings { Terminal.err("warning: \(warning)\n") }
        let directory = String(path[..<path.lastIndex(of: "/")!])
        let from = try failing { try FromArgument.resolve(modelfile.from, relativeTo: directory.isEmpty ? "/" : directory) }
        let progress = TransferProgress()
        defer { progress.finish() }
        try await withServer { client in
            var body = requestBody(modelfile)
            switch from {
            case .model:
                body["from"] = .string(modelfile.from)
            case .path(let source):
                guard isLocalFile(source) else {
                    throw ValidationFailure(message: "FROM \(modelfile.from): not a file (Tern creates models from one GGUF file or a model name)")
                }
                let digest = try await upload(source, to: client, progress: progress)
                body["files"] = .object([String(source[source.index(after: source.lastIndex(of: "/")!)...]): .string(digest)])
            }
            for try await update in client.create(body) { progress.show(update) }
        }
    }

    /// The `/api/create` request for everything the Modelfile sets besides FROM.
    private func requestBody(_ modelfile: Modelfile) -> JSONObject {
        var body: JSONObject = ["model": .string(model)]
        if let template = modelfile.template { body["template"] = .string(template) }
        if let system = modelfile.system { body["system"] = .string(system) }
        if !modelfile.licenses.isEmpty { body["license"] = .array(modelfile.licenses.map { .string($0) }) }
        if !modelfile.parameters.isEmpty {
            body["parameters"] = .object(JSONObject(modelfile.parameters.keys.sorted().map { ($0, modelfile.parameters[$0]!) }))
        }
        if !modelfile.messages.isEmpty {
            body["messages"] = .array(modelfile.messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
        }
        if let requires = modelfile.requires { body["requires"] = .string(requires) }
        if let renderer = modelfile.renderer { body["renderer"] = .string(renderer) }
        if let parser = modelfile.parser { body["parser"] = .string(parser) }
        if let quantize { body["quantize"] = .string(quantize) }
        return body
    }

    /// Hashes `path` and uploads it unless the server already has the blob; returns its digest.
    /// The upload is drawn as a pull's bar (size, speed, time left), where Ollama shows only a
    /// percentage: a many-GB GGUF takes minutes to copy to a server on the LAN.
    private func upload(_ path: String, to client: OllamaClient, progress: TransferProgress) async throws -> String {
        progress.show(status: "gathering model components")
        let file = try LocalFile(path: path)
        let digest = try file.sha256Digest()
        if try await client.blobExists(digest) { return digest }
        let label = "copying file \(digest.dropFirst(7).prefix(12))"
        try await client.uploadBlob(file, digest: digest) { sent in
            progress.show(label, key: digest, completed: sent, total: file.size)
        }
        return digest
    }

    /// `path` from the working directory when it is relative.
    private func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(cString: buffer)
        return (cwd == "/" ? "" : cwd) + "/" + path
    }
}
