/// The tokens still in the running while one token is chosen, in storage sized for the whole
/// vocabulary once so no step allocates.
///
/// Stages shrink `count` and may reorder; `isSortedBestFirst` records when the order is known to be
/// best first, so later stages can skip work.
final class CandidateList {
    private let storage: UnsafeMutableBufferPointer<Candidate>
    /// Scratch: the candidates with their weights (unnormalised probabilities), see `weigh`.
    let weighted: UnsafeMutableBufferPointer<Weighted<Candidate>>
    private(set) var count = 0
    private(set) var isSortedBestFirst = false

    init(capacity: Int) {
        storage = .allocate(capacity: capacity)
        weighted = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
        weighted.deallocate()
    }

    /// The candidates in the running, in their current order.
    var active: UnsafeMutableBufferPointer<Candidate> {
        UnsafeMutableBufferPointer(rebasing: storage[..<count])
    }

    /// Every token, in id order.
    func loadAll(from logits: UnsafeMutableBufferPointer<Float>) {
        for (i, logit) in logits.enumerated() {
            storage[i] = Candidate(id: Int32(i), logit: logit)
        }
        count = logits.count
        isSortedBestFirst = false
    }

    /// Only the best `k` tokens (0 < k ≤ vocabulary), best first: top-k without sorting the vocabulary.
    func loadBest(_ k: Int, from logits: UnsafeMutableBufferPointer<Float>) {
        precondition(k > 0 && k <= logits.count)
        for i in 0..<k {
            storage[i] = Candidate(id: Int32(i), logit: logits[i])
        }
        storage.makeWorstFirstHeap(k)
        // Ids only grow from here, so a later token beats the worst kept one only with a higher logit.
        func offer(_ ids: Range<Int>) {
            for i in ids where logits[i] > storage[0].logit {
                storage[0] = Candidate(id: Int32(i), logit: logits[i])
                storage.siftWorstToRoot(from: 0, heapSize: k)
            }
        }
        // Most blocks of 16 logits hold no such token and cost a few vector instructions.
        var start = k
        while start + 16 <= logits.count {
            let block = UnsafeRawPointer(logits.baseAddress! + start).loadUnaligned(as: SIMD16<Float>.self)
            if block.largestLane > storage[0].logit { offer(start..<(start + 16)) }
            start += 16
        }
        offer(start..<logits.count)
        storage.sortWorstFirstHeap(k)
        count = k
        isSortedBestFirst = true
    }

    /// Keeps the candidates `isKept` accepts, in their current order.
    func keep(where isKept: (Candidate) -> Bool) {
        var kept = 0
        for i in 0..<count where isKept(storage[i]) {
            storage[kept] = storage[i]
            kept += 1
        }
        count = kept
    }

    /// Replaces the candidates with `candidates`, in that order.
    func replace(with candidates: some Sequence<Candidate>) {
        var n = 0
        for candidate in candidates {
            storage[n] = candidate
            n += 1
        }
        count = n
        isSortedBestFirst = false
    }

    /// The highest logit among the candidates.
    var maxLogit: Float {
        if isSortedBestFirst { return storage[0].logit }
        var best = -Float.infinity
        for i in 0..<count where storage[i].logit > best { best = storage[i].logit }
        return best
    }

    /// The best candidate: highest logit, lowest id on ties.
    var best: Candidate {
        precondition(count > 0)
        if isSortedBestFirst { return storage[0] }
        var best = storage[0]
        for i in 1..<count where storage[i].ranks(above: best) { best = storage[i] }
        return best
    }
}

