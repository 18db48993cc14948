/// The generation options Ollama accepts in a request's `options` (and a Modelfile's `PARAMETER`s)
/// that decide how tokens are chosen and when generation ends, with Ollama's defaults.
///
/// Field names are Ollama's, in lowerCamelCase (`top_k` → `topK`). Out-of-range values are not
/// errors here; they behave as llama-server treats them (see each field), except the penalty values
/// `Sampler.init` rejects.
public struct SamplingOptions: Sendable, Equatable {
    /// `seed`: -1 draws a fresh random seed for every `Sampler`; any other value replays exactly.
    public var seed: Int = -1
    /// `temperature`: logits are divided by it before the final draw; 0 or less picks the most likely
    /// token instead (lowest id on ties; only `typicalP` can remove it first) without drawing.
    public var temperature: Float = 0.8
    /// `top_k`: keep the k most likely tokens; 0 or less (or the vocabulary size or more) keeps all.
    public var topK: Int = 40
    /// `top_p`: keep the most likely tokens until their probability reaches p; 1 or more keeps all.
    public var topP: Float = 0.9
    /// `min_p`: keep tokens at least `minP` times as likely as the most likely one; 0 or less keeps
    /// all, values above 1 act as 1.
    public var minP: Float = 0.0
    /// `typical_p`: locally typical sampling; 1 or more keeps all.
    public var typicalP: Float = 1.0
    /// `repeat_last_n`: how many recent tokens the penalties look at; 0 turns them off, -1 means
    /// `numCtx`, any other negative value turns them off.
    public var repeatLastN: Int = 64
    /// `repeat_penalty`: divides positive logits and multiplies negative ones of recent tokens; 1 is off.
    public var repeatPenalty: Float = 1.0
    /// `presence_penalty`: subtracted once from the logit of every recent token.
    public var presencePenalty: Float = 0.0
    /// `frequency_penalty`: subtracted from a recent token's logit once per occurrence.
    public var frequencyPenalty: Float = 0.0
    /// `stop`: generation ends at the first of these strings; the matched text is not returned
    /// (see `StopSequenceMatcher`).
    public var stop: [String] = []
    /// `num_predict`: the most tokens to generate; -1 until a stop or end-of-generation token,
    /// -2 until the context is full. Enforced by the generation loop, not the sampler.
    public var numPredict: Int = -1
    /// `num_ctx`: the context window in tokens; the sampler uses it only for `repeatLastN == -1`, so
    /// pass the window the model actually runs with.
    public var numCtx: Int = 4096

    /// Ollama's defaults.
    public init() {}
}
