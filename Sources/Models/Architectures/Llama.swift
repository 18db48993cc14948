import GGUF
import Kernels

/// `llama` (Llama 2/3, SmolLM2, Mistral-style): RMSNorm, GQA attention with adjacent-pair RoPE,
/// SwiGLU FFN, optionally tied output embedding.
enum Llama {
    static let ggufNames = ["llama"]

    static func load(_ file: GGUFFile) throws(ModelError) -> any LanguageModel {
        var w = WeightLoader(file: file)
        return try DenseConfig(Hyperparameters(file: file, arch: "llama"), ropeMode: .normal).decoder(&w, biases: false)
    }
}
