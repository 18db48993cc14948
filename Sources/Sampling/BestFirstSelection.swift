// Partial selection without allocating: the best n of a buffer are kept in a heap whose root is the
// worst of them, so most of a 262k vocabulary is rejected by one comparison with the root; the heap
// is then sorted in place. O(count + n log n) in the usual case, O(count log n) at worst.

extension UnsafeMutableBufferPointer where Element: BestFirst {
    /// Moves the best `n` of the first `count` elements to the front, best first; the others stay
    /// behind them in no particular order.
    func moveBestToFront(_ n: Int, of count: Int) {
        precondition(n <= count && count <= self.count)
        guard n > 0 else { return }
        makeWorstFirstHeap(n)
        for i in n..<count where self[i].ranks(above: self[0]) {
            swapAt(0, i)
            siftWorstToRoot(from: 0, heapSize: n)
        }
        sortWorstFirstHeap(n)
    }

    /// Arranges the first `n` elements as a heap with the worst at the root.
    func makeWorstFirstHeap(_ n: Int) {
        var parent = n / 2 - 1
        while parent >= 0 {
            siftWorstToRoot(from: parent, heapSize: n)
            parent -= 1
        }
    }

    /// Turns a worst-first heap of `n` elements into a best-first sorted run by repeatedly moving the
    /// root (the worst left) to the end.
    func sortWorstFirstHeap(_ n: Int) {
        var end = n - 1
        while end > 0 {
            swapAt(0, end)
            siftWorstToRoot(from: 0, heapSize: end)
            end -= 1
        }
    }

    /// Restores the heap below `start` after its element changed: moves it down past worse children.
    func siftWorstToRoot(from start: Int, heapSize: Int) {
        var parent = start
        while true {
            var worse = 2 * parent + 1
            if worse >= heapSize { return }
            let right = worse + 1
            if right < heapSize && self[worse].ranks(above: self[right]) { worse = right }
            guard self[parent].ranks(above: self[worse]) else { return }
            swapAt(parent, worse)
            parent = worse
        }
    }
}
