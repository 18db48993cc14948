import GGUF

/// How a sequence's per-token hidden states become one embedding vector: llama.cpp's
/// `llama_pooling_type`, whose raw values are those of the GGUF key `<arch>.pooling_type`.
public enum PoolingType: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// One vector per token; no sequence embedding.
    case none = 0
    /// The average over every token.
    case mean = 1
    /// The first token's (BERT's [CLS]).
    case cls = 2
    /// The last token's: what a causal decoder has seen the whole sequence at.
    case last = 3
    /// A reranker's classification head over the pooled vector.
    case rank = 4

    public var description: String {
        switch self {
        case .none: "none"
        case .mean: "mean"
        case .cls: "cls"
        case .last: "last"
        case .rank: "rank"
        }
    }

    /// The pooling `<arch>.pooling_type` declares, nil when the file has no such key (generative models).
    static func declared(by hp: Hyperparameters) throws(ModelError) -> PoolingType? {
        guard hp.file["\(hp.arch).pooling_type"] != nil else { return nil }
        let raw = try hp.int("pooling_type")
        guard let pooling = PoolingType(rawValue: raw) else {
            throw .badHyperparameter(key: "\(hp.arch).pooling_type", reason: "unknown pooling type \(raw)")
        }
        return pooling
    }
}

/// Pools the hidden states of a sequence that arrives in chunks: each chunk says which of its rows
/// the pooling reads, and those rows are summed (in double, as the mean of a long prompt would
/// otherwise lose low bits) and divided by how many were read.
struct PooledEmbedding {
    let pooling: PoolingType
    let sequenceLength: Int
    private var sum: [Double]
    private var rowsAdded = 0

    /// Throws for the poolings that give no single vector per sequence.
    init(pooling: PoolingType, sequenceLength: Int, width: Int) throws(ModelError) {
        switch pooling {
        case .mean, .cls, .last: break
        case .none: throw .unsupportedPooling(pooling, reason: "it keeps one vector per token; choose mean, cls or last")
        case .rank: throw .unsupportedPooling(pooling, reason: "reranking needs a classification head the engine does not run")
        }
        self.pooling = pooling
        self.sequenceLength = sequenceLength
        sum = .init(repeating: 0, count: width)
    }

    /// The rows of the chunk of `length` tokens starting at token `start` that this pooling reads.
    func rows(chunkStart start: Int, length: Int) -> Range<Int> {
        switch pooling {
        case .mean: 0..<length
        case .cls: start == 0 ? 0..<1 : 0..<0
        case .last: start + length == sequenceLength ? (length - 1)..<length : 0..<0
        case .none, .rank: 0..<0
        }
    }

    mutating func add(_ rows: UnsafePointer<Float>, count: Int) {
        let width = sum.count
        for r in 0..<count {
            let row = rows + r * width
            for i in 0..<width { sum[i] += Double(row[i]) }
        }
        rowsAdded += count
    }

    /// The pooled vector (a single row comes back exactly as it was).
    var vector: [Float] {
        let n = Double(max(rowsAdded, 1))
        return sum.map { Float($0 / n) }
    }
}
