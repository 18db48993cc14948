import GGUF

/// What the config blob records about a GGUF model, read from its header alone.
struct ModelFacts {
    /// `general.architecture` (`model_family`).
    var architecture: String
    /// `model_type`: the tensor element count as Ollama prints it.
    var parameterSize: String
    /// `file_type`: the quantization name ("Q4_K_M").
    var fileType: String

    /// Reads the header of the GGUF file at `path`.
    init(ggufAt path: String) throws(ModelStoreError) {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch {
            throw .invalidModelFile(path: path, reason: String(describing: error))
        }
        let summary = ModelSummary(file)
        architecture = file.architecture ?? ""
        parameterSize = ParameterSize.format(summary.parameterCount)
        fileType = summary.quantization
    }
}
