extension CandidateList {
    /// Nucleus (top-p) filtering as llama.cpp does it: keeps the fewest most likely candidates whose
    /// probability reaches `p`, at least one. Their order afterwards is unspecified.
    func keepTopP(_ p: Float) {
        guard p < 1, count > 1 else { return }
        let target = weigh() * Double(p)
        let kept = UnsafeMutableBufferPointer(rebasing: weighted[..<count]).moveBestToFront(reaching: target, strictly: false)
        replace(with: weighted[..<kept].lazy.map(\.element))
    }
}
