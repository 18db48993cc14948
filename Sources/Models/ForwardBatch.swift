/// The tokens of one forward pass and the sequence each belongs to. A prompt chunk is one run of
/// consecutive positions of one sequence; a batched decode step is one token of each of several
/// sequences. The weight matmuls take all tokens at once (each weight read once per pass); the
/// cache writes and attention go to each token's own sequence.
struct ForwardBatch {
    /// Consecutive tokens of one sequence, starting at its next position.
    struct Run {
        let state: ModelState
        /// Index of the run's first token in `tokens`.
        let start: Int
        let count: Int
        /// The sequence position of the run's first token.
        let position: Int
    }

    let tokens: [Int32]
    let runs: [Run]
    /// Whose scratch buffers, matmul scratch and thread pool the pass uses.
    let work: ModelState
    /// Per token: its sequence's cache and its position there.
    let caches: [KVCache]
    let positions: [Int]

    /// `tokens` at `state`'s next positions.
    init(_ tokens: [Int32], state: ModelState) {
        self.init(tokens: tokens, runs: [Run(state: state, start: 0, count: tokens.count, position: state.position)])
    }

    /// One token for each of `states` (distinct sequences), each at its sequence's next position.
    init(oneTokenEach tokens: [Int32], states: [ModelState]) {
        self.init(tokens: tokens, runs: states.enumerated().map { Run(state: $1, start: $0, count: 1, position: $1.position) })
    }

    private init(tokens: [Int32], runs: [Run]) {
        self.tokens = tokens
        self.runs = runs
        work = runs[0].state
        var caches: [KVCache] = [], positions: [Int] = []
        for run in runs {
            for i in 0..<run.count {
                caches.append(run.state.cache)
                positions.append(run.position + i)
            }
        }
        self.caches = caches
        self.positions = positions
    }

    var count: Int { tokens.count }

    /// Moves every sequence past the tokens the pass appended to its cache.
    func advance() {
        for run in runs { run.state.position += run.count }
    }
}
