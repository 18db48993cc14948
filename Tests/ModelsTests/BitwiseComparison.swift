/// How many values of two equally long float sequences differ in any bit. Tests compare whole
/// logit rows with this rather than `==` on arrays, whose failure message diffs the collections
/// (quadratic on 152k-entry rows).
func differingValues(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Int {
    precondition(a.count == b.count, "lengths \(a.count) and \(b.count)")
    return zip(a, b).reduce(0) { $0 + ($1.0.bitPattern == $1.1.bitPattern ? 0 : 1) }
}
