import GGUF
import Kernels

/// `qwen2` (Qwen2, Qwen2.5): the llama layout with biases on Q, K and V and half-split (NeoX) RoPE.
final class Qwen2: LanguageModel {
    static let ggufNames = ["qwen2"]

    let decoder: DenseDecoder
    let trainedContextLength: Int
    var vocabularySize: Int { decoder.vocabularySize }

    init(file: GGUFFile) throws(ModelError) {
        let hp = Hyperparameters(file: file, arch: "qwen2")
        var w = WeightLoader(file: file)
        let config = try DenseConfig(hp, ropeMode: .neox)
        trainedContextLength = config.contextLength
        decoder = try config.decoder(&w, biases: true)
    }

    func makeState(contextSize: Int, batchSize: Int, pool: ThreadPool, cacheType: KVCacheType) throws(ModelError) -> ModelState {
        try decoder.makeState(contextSize: contextSize, batchSize: batchSize, pool: pool, cacheType: cacheType)
    }

    func forward(_ tokens: [Int32], state: ModelState, allLogits: Bool) throws(ModelError) -> UnsafeMutableBufferPointer<Float> {
        try decoder.forward(tokens, state: state, allLogits: allLogits)
    }
}
