extension SIMD16<Float> {
    /// The largest lane (NaN lanes may be skipped). Written as halving selects because `.max()`
    /// and comparison masks turned into a Bool compile to lane-by-lane loops (shared/design/aesthetics.md §3.4).
    @inline(__always)
    var largestLane: Float {
        var eight = lowHalf
        eight.replace(with: highHalf, where: highHalf .> eight)
        var four = eight.lowHalf
        four.replace(with: eight.highHalf, where: eight.highHalf .> four)
        var two = four.lowHalf
        two.replace(with: four.highHalf, where: four.highHalf .> two)
        return two[1] > two[0] ? two[1] : two[0]
    }
}
