import GGUF

/// The registry: every architecture the engine runs, by `general.architecture`.
/// Adding an architecture is one file in Architectures/ plus one line here.
public enum Architectures {
    static let all: [(names: [String], load: @Sendable (GGUFFile) throws(ModelError) -> any LanguageModel)] = [
        (Llama.ggufNames, { f throws(ModelError) in try Llama.load(f) }),
        (Qwen2.ggufNames, { f throws(ModelError) in try Qwen2.load(f) }),
        (Gemma3.ggufNames, { f throws(ModelError) in try Gemma3.load(f) }),
        (DeepSeek2.ggufNames, { f throws(ModelError) in try DeepSeek2(file: f) }),
    ]

    public static var names: [String] { all.flatMap(\.names) }

    /// Builds the model a GGUF file describes; its weights stay in the file's mapping.
    public static func load(_ file: GGUFFile) throws(ModelError) -> any LanguageModel {
        guard let arch = file.architecture else { throw .badHyperparameter(key: "general.architecture", reason: "missing") }
        guard let entry = all.first(where: { $0.names.contains(arch) }) else { throw .unknownArchitecture(arch) }
        return try entry.load(file)
    }
}
