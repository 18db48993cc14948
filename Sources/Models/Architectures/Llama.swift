import GGUF
import Kernels

/// `llama` (Llama 2/3, SmolLM2, Mistral-style): RMSNorm, GQA attention with adjacent-pair RoPE,
/// SwiGLU FFN, optionally tied output embedding.
final class Llama: LanguageModel {
    static let ggufNames = ["llama"]

    let decoder: DenseDecoder
    let trainedContextLength: Int
    var vocabularySize: Int { decoder.vocabularySize }

    init(file: GGUFFile) throws(ModelError) {
        let hp = Hyperparameters(file: file, arch: "llama")
        var w = WeightLoader(file: file)
        let config = try DenseConfig(hp, ropeMode: .normal)
        trainedContextLength = config.contextLength
        decoder = try config.decoder(&w, biases: false)
    }

    func makeState(contextSize: Int, batchSize: Int, pool: ThreadPool, cacheType: KVCacheType) throws(ModelError) -> ModelState {
        try decoder.makeState(contextSize: contextSize, batchSize: batchSize, pool: pool, cacheType: cacheType)
    }

    func forward(_ tokens: [Int32], state: ModelState, allLogits: Bool) throws(ModelError) -> UnsafeMutableBufferPointer<Float> {
        try decoder.forward(tokens, state: state, allLogits: allLogits)
    }
}
