/// An element with the probability mass it carries, for selections that stop once enough mass is in.
struct Weighted<Element: BestFirst>: BestFirst {
    var element: Element
    var weight: Float

    func ranks(above other: Weighted<Element>) -> Bool { element.ranks(above: other.element) }
}

// top_p and typical_p keep the fewest best elements whose mass reaches a target. Only that set
// matters, not its order, so a quickselect that partitions by rank and steers by the mass on each
// side finds it in O(count) on average, where sorting a 262k vocabulary would cost O(count log count).

extension UnsafeMutableBufferPointer {
    /// Moves to the front the fewest best-ranked elements, at least one, whose weights add up to
    /// `target` (or more than `target` when `strictly`), in no particular order, and returns how many
    /// they are: all of them if even the total falls short.
    ///
    /// - Parameter rounds: partitioning rounds before the undecided rest is sorted instead; median-of-
    ///   three pivots make quadratic behaviour unlikely, this makes it impossible.
    func moveBestToFront<Ranked>(reaching target: Double, strictly: Bool, rounds: Int? = nil) -> Int
    where Element == Weighted<Ranked> {
        func reaches(_ mass: Double, _ needed: Double) -> Bool { strictly ? mass > needed : mass >= needed }
        guard count > 1, !reaches(0, target) else {
            if isEmpty { return 0 }
            moveBestToFront(1, of: count)
            return 1
        }
        var low = 0, high = count // undecided range; everything before `low` is kept
        var needed = target // never reached by nothing, so the range never empties
        var rounds = rounds ?? 2 * (Int.bitWidth - count.leadingZeroBitCount) + 8
        while high - low > 1 {
            if rounds == 0 {
                return low + UnsafeMutableBufferPointer(rebasing: self[low..<high]).prefixReaching(needed, strictly: strictly)
            }
            rounds -= 1
            let (pivot, massAbove) = partition(low..<high)
            if reaches(massAbove, needed) {
                high = pivot
            } else if reaches(massAbove + Double(self[pivot].weight), needed) {
                return pivot + 1
            } else {
                needed -= massAbove + Double(self[pivot].weight)
                low = pivot + 1
            }
        }
        return high
    }

    /// Sorts best first, then counts the shortest prefix reaching `target`.
    private func prefixReaching<Ranked>(_ target: Double, strictly: Bool) -> Int where Element == Weighted<Ranked> {
        moveBestToFront(count, of: count)
        var mass: Double = 0
        for i in indices {
            mass += Double(self[i].weight)
            if strictly ? mass > target : mass >= target { return i + 1 }
        }
        return count
    }

    /// Splits `range` around a median-of-three pivot: better elements before it, worse after.
    /// Returns the pivot's final index and the total weight of the elements before it in `range`.
    private func partition<Ranked>(_ range: Range<Int>) -> (pivot: Int, massAbove: Double) where Element == Weighted<Ranked> {
        let last = range.upperBound - 1
        swapAt(medianOfThree(range.lowerBound, (range.lowerBound + last) / 2, last), last)
        let pivot = self[last]
        var store = range.lowerBound
        var massAbove: Double = 0
        for i in range.lowerBound..<last where self[i].ranks(above: pivot) {
            massAbove += Double(self[i].weight)
            swapAt(i, store)
            store += 1
        }
        swapAt(store, last)
        return (store, massAbove)
    }

    private func medianOfThree<Ranked>(_ a: Int, _ b: Int, _ c: Int) -> Int where Element == Weighted<Ranked> {
        let (x, y, z) = (self[a], self[b], self[c])
        if x.ranks(above: y) {
            if y.ranks(above: z) { return b }
            return x.ranks(above: z) ? c : a
        }
        if x.ranks(above: z) { return a }
        return y.ranks(above: z) ? c : b
    }
}
