import GGUF
import Kernels

/// `qwen2` (Qwen2, Qwen2.5): the llama layout with biases on Q, K and V and half-split (NeoX) RoPE.
enum Qwen2 {
    static let ggufNames = ["qwen2"]

    static func load(_ file: GGUFFile) throws(ModelError) -> any LanguageModel {
        var w = WeightLoader(file: file)
        return try DenseConfig(Hyperparameters(file: file, arch: "qwen2"), ropeMode: .neox).decoder(&w, biases: true)
    }
}
