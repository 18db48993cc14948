import Kernels

/// An architecture whose forward pass is: token embedding → its blocks → output RMSNorm → output
/// head. It supplies the blocks (`runBlocks`); the chunking of long prompts, the logits and the
/// pooled embeddings are shared here, so generation and embedding run the very same layers.
protocol HiddenStateModel: LanguageModel {
    var dim: Int { get }
    var eps: Float { get }
    var embedding: WeightMatrix { get }
    var outputNorm: [Float] { get }
    var output: WeightMatrix { get }
    /// Runs one batch through every block, each token at its sequence's next position (causally,
    /// appending to that sequence's cache), and advances the sequences. Returns the residual
    /// stream, one row of `dim` per token, in the scratch of the batch's `work` state.
    func runBlocks(_ batch: ForwardBatch) -> UnsafeMutablePointer<Float>
}

extension HiddenStateModel {
    var embeddingLength: Int { dim }

    func forward(_ tokens: [Int32], state: ModelState, allLogits: Bool) throws(ModelError) -> UnsafeMutableBufferPointer<Float> {
        try validate(tokens, state: state)
        let vocab = vocabularySize
        let outRows = allLogits ? tokens.count : 1
        let logits = state.scratch.buffer("logits", outRows * vocab)
        var done = 0
        while done < tokens.count {
            let n = min(state.batchSize, tokens.count - done)
            let x = runBlocks(ForwardBatch(Array(tokens[done..<done + n]), state: state))
            let last = done + n == tokens.count
            let rows = allLogits ? 0..<n : last ? (n - 1)..<n : 0..<0
            if !rows.isEmpty {
                let xn = finalHidden(x, rows: rows, state: state)
                MatMul.multiply(output, xn, tokens: rows.count, into: allLogits ? logits + done * vocab : logits,
                                pool: state.pool, scratch: state.matmul)
            }
            done += n
        }
        return UnsafeMutableBufferPointer(start: logits, count: outRows * vocab)
    }

    func forward(oneTokenEach tokens: [Int32], states: [ModelState]) throws(ModelError) -> UnsafeMutableBufferPointer<Float> {
        guard !states.isEmpty, tokens.count == states.count else {
            throw .badHyperparameter(key: "tokens", reason: "\(tokens.count) tokens for \(states.count) sequences")
        }
        guard Set(states.map(ObjectIdentifier.init)).count == states.count else {
            throw .badHyperparameter(key: "states", reason: "a sequence appears twice in one batch")
        }
        guard Set(states.map(\.cache.type)).count == 1 else {
            throw .badHyperparameter(key: "states", reason: "sequences with different KV cache types in one batch")
        }
        // One batch may hold at most the smallest batch size among the sequences, so no scratch
        // grows past what a prompt chunk of its own would use.
        guard tokens.count <= states.map(\.batchSize).min()! else {
            throw .badHyperparameter(key: "tokens", reason: "\(tokens.count) sequences exceed the batch size")
        }
        for (token, state) in zip(tokens, states) { try validate([token], state: state) }
        let vocab = vocabularySize, work = states[0]
        let x = runBlocks(ForwardBatch(oneTokenEach: tokens, states: states))
        let xn = finalHidden(x, rows: 0..<tokens.count, state: work)
        let logits = work.scratch.buffer("logits", tokens.count * vocab)
        MatMul.multiply(output, xn, tokens: tokens.count, into: logits, pool: work.pool, scratch: work.matmul)
        return UnsafeMutableBufferPointer(start: logits, count: tokens.count * vocab)
    }

    func embed(_ tokens: [Int32], state: ModelState, pooling: PoolingType) throws(ModelError) -> [Float] {
        var pooled = try PooledEmbedding(pooling: pooling, sequenceLength: tokens.count, width: dim)
        guard !tokens.isEmpty else { throw .badHyperparameter(key: "tokens", reason: "nothing to embed") }
        try validate(tokens, state: state)
        var done = 0
        while done < tokens.count {
            let n = min(state.batchSize, tokens.count - done)
            let x = runBlocks(ForwardBatch(Array(tokens[done..<done + n]), state: state))
            let rows = pooled.rows(chunkStart: done, length: n)
            if !rows.isEmpty { pooled.add(finalHidden(x, rows: rows, state: state), count: rows.count) }
            done += n
        }
        return pooled.vector
    }

    /// The rows of the residual stream `x` after the output norm: the hidden states the output head
    /// reads and embeddings pool. Returns the state's "xn" scratch.
    private func finalHidden(_ x: UnsafeMutablePointer<Float>, rows: Range<Int>, state: ModelState) -> UnsafeMutablePointer<Float> {
        let xn = state.scratch.buffer("xn", rows.count * dim)
        normRows(x + rows.lowerBound * dim, outputNorm, rows.count, into: xn)
        return xn
    }

    private func validate(_ tokens: [Int32], state: ModelState) throws(ModelError) {
        guard state.position + tokens.count <= state.contextSize else {
            throw .promptTooLong(tokens: state.position + tokens.count, context: state.contextSize)
        }
        for t in tokens where t < 0 || Int(t) >= embedding.rows {
            throw .badHyperparameter(key: "token", reason: "id \(t) is outside the vocabulary of \(embedding.rows)")
        }
    }

    /// RMSNorm of `rows` rows of `dim` values with weight `w`.
    func normRows(_ x: UnsafePointer<Float>, _ w: [Float], _ rows: Int, into out: UnsafeMutablePointer<Float>) {
        w.withUnsafeBufferPointer { wp in
            for t in 0..<rows { Elementwise.rmsNorm(x + t * dim, weight: wp.baseAddress!, eps: eps, count: dim, into: out + t * dim) }
        }
    }
}
