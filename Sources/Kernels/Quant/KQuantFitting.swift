// The scale searches of ggml's K-quant reference quantizers, operation for operation, since
// the chosen levels (and so the file bytes) depend on every float rounding.

/// The smallest |x| treated as non-zero when fitting a scale (ggml's `GROUP_MAX_EPS`).
let groupMaxEpsilon: Float = 1e-15

/// ggml's `make_qkx2_quants`: fits x ≈ scale·L − min with L in 0...maxLevel, minimizing the
/// weighted squared (or absolute, `useMAD`) error over a sweep of `steps + 1` candidate scales.
/// Returns the scale, the offset `min` (≥ 0, subtracted) and the levels.
func fitScaleAndMin(
    _ x: UnsafeBufferPointer<Float>, weights: [Float], maxLevel: Int32,
    rmin: Float, rdelta: Float, steps: Int, useMAD: Bool
) -> (scale: Float, min: Float, levels: [UInt8]) {
    let n = x.count
    let nmax = Float(maxLevel)
    var levels = [UInt8](repeating: 0, count: n)
    var min = x[0]
    var max = x[0]
    var sumW = weights[0]
    var sumX = sumW * x[0]
    for i in 1..<n {
        if x[i] < min { min = x[i] }
        if x[i] > max { max = x[i] }
        sumW += weights[i]
        sumX += weights[i] * x[i]
    }
    if min > 0 { min = 0 }
    if max == min {
        return (0, -min, levels)
    }

    func level(_ v: Float, _ iscale: Float) -> UInt8 {
        UInt8(Swift.max(0, Swift.min(maxLevel, nearestInt(iscale * (v - min)))))
    }
    func weightedError(_ scale: Float, _ offset: Float, _ ls: [UInt8]) -> Float {
        var total: Float = 0
        for i in 0..<n {
            let diff = scale * Float(ls[i]) + offset - x[i]
            total += weights[i] * (useMAD ? abs(diff) : diff * diff)
        }
        return total
    }

    var iscale = nmax / (max - min)
    var scale = 1 / iscale
    for i in 0..<n {
        levels[i] = level(x[i], iscale)
    }
    var bestError = weightedError(scale, min, levels)
    guard steps >= 1 else { return (scale, -min, levels) }

    var candidate = [UInt8](repeating: 0, count: n)
    for step in 0...steps {
        iscale = (rmin + rdelta * Float(step) + nmax) / (max - min)
        var sumL: Float = 0
        var sumL2: Float = 0
        var sumXL: Float = 0
        for i in 0..<n {
            candidate[i] = level(x[i], iscale)
            let l = Float(candidate[i])
            sumL += weights[i] * l
            sumL2 += weights[i] * l * l
            sumXL += weights[i] * l * x[i]
        }
        let det = sumW * sumL2 - sumL * sumL
        guard det > 0 else { continue }
        var thisScale = (sumW * sumXL - sumX * sumL) / det
        var thisMin = (sumL2 * sumX - sumL * sumXL) / det
        if thisMin > 0 {
            thisMin = 0
            thisScale = sumXL / sumL2
        }
        let thisError = weightedError(thisScale, thisMin, candidate)
        if thisError < bestError {
            levels = candidate
            bestError = thisError
            scale = thisScale
            min = thisMin
        }
    }
    return (scale, -min, levels)
}

/// ggml's `make_qx_quants` with `rmse_type` 1 and no importance weights: fits x ≈ scale·(L − maxLevel)
/// with L in 0..<2·maxLevel, weighting each value by x², over 19 candidate scales around
/// −maxLevel/max. Returns the scale (signed like the value of largest magnitude) and the levels.
func fitSymmetricScale(_ x: UnsafeBufferPointer<Float>, maxLevel nmax: Int32) -> (scale: Float, levels: [UInt8]) {
    let n = x.count
    var levels = [UInt8](repeating: 0, count: n)
    var max: Float = 0
    var amax: Float = 0
    for v in x where abs(v) > amax {
        amax = abs(v)
        max = v
    }
    if amax < groupMaxEpsilon {
        return (0, levels)
    }

    func signedLevel(_ v: Float, _ iscale: Float) -> Int32 {
        Swift.max(-nmax, Swift.min(nmax - 1, nearestInt(iscale * v)))
    }
    /// Σw·x·l and Σw·l² for the levels `iscale` picks, with w = x².
    func sums(_ iscale: Float) -> (xl: Float, l2: Float) {
        var sumXL: Float = 0
        var sumL2: Float = 0
        for v in x {
            let l = Float(signedLevel(v, iscale))
            let w = v * v
            sumXL += w * v * l
            sumL2 += w * l * l
        }
        return (sumXL, sumL2)
    }
    func setLevels(_ iscale: Float) {
        for i in 0..<n {
            levels[i] = UInt8(signedLevel(x[i], iscale) + nmax)
        }
    }

    var iscale = -Float(nmax) / max
    setLevels(iscale)
    var (sumXL, sumL2) = sums(iscale)
    var scale: Float = sumL2 != 0 ? sumXL / sumL2 : 0
    var best = scale * sumXL
    for step in -9...9 where step != 0 {
        iscale = -(Float(nmax) + 0.1 * Float(step)) / max
        (sumXL, sumL2) = sums(iscale)
        if sumL2 > 0 && sumXL * sumXL > best * sumL2 {
            setLevels(iscale)
            scale = sumXL / sumL2
            best = scale * sumXL
        }
    }
    return (scale, levels)
}
