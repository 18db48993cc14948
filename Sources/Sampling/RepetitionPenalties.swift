/// Repeat, frequency and presence penalties over the last `window` accepted tokens, applied the way
/// llama.cpp applies them: for each distinct token seen c times in the window, a positive logit is
/// divided by `repeatPenalty` and a non-positive one multiplied by it, then
/// c × `frequencyPenalty` + `presencePenalty` is subtracted.
struct RepetitionPenalties {
    let window: Int
    let repeatPenalty: Float
    let frequencyPenalty: Float
    let presencePenalty: Float

    /// The window's tokens, oldest first from `oldest`, wrapping around.
    private var recent: [Int32]
    private var oldest = 0
    /// Occurrences in the window of each distinct token; capacity reserved up front so steps do not allocate.
    private var occurrences: [Int32: Int32]

    /// - Returns: nil when the options make every penalty a no-op, so nothing is recorded at all.
    init?(options: SamplingOptions) {
        let window = options.repeatLastN == -1 ? options.numCtx : options.repeatLastN
        guard window > 0,
              options.repeatPenalty != 1 || options.frequencyPenalty != 0 || options.presencePenalty != 0
        else { return nil }
        self.window = window
        repeatPenalty = options.repeatPenalty
        frequencyPenalty = options.frequencyPenalty
        presencePenalty = options.presencePenalty
        recent = []
        recent.reserveCapacity(window)
        occurrences = [:]
        occurrences.reserveCapacity(window)
    }

    /// Records `token` as the newest in the window, forgetting the oldest when the window is full.
    mutating func record(_ token: Int32) {
        if recent.count < window {
            recent.append(token)
        } else {
            let evicted = recent[oldest]
            if occurrences[evicted] == 1 {
                occurrences[evicted] = nil
            } else {
                occurrences[evicted, default: 0] -= 1
            }
            recent[oldest] = token
            oldest = (oldest + 1) % window
        }
        occurrences[token, default: 0] += 1
    }

    mutating func removeAll() {
        recent.removeAll(keepingCapacity: true)
        oldest = 0
        occurrences.removeAll(keepingCapacity: true)
    }

    /// Penalises, in place, the logits of the tokens in the window.
    func apply(to logits: UnsafeMutableBufferPointer<Float>) {
        for (token, count) in occurrences {
            var logit = logits[Int(token)]
            logit = logit <= 0 ? logit * repeatPenalty : logit / repeatPenalty
            logit -= Float(count) * frequencyPenalty + presencePenalty
            logits[Int(token)] = logit
        }
    }
}
