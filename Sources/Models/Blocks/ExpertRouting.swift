import Kernels

/// How a mixture-of-experts layer scores its experts and picks the ones a token uses, as
/// llama.cpp's `build_moe_ffn` does: gate the router logits (softmax or sigmoid), add the
/// selection bias (`exp_probs_b`) for choosing only, keep the best expert groups, take the top
/// `used` experts, then weight them by their unbiased scores, normalized and scaled.
struct ExpertRouting: Sendable, Equatable {
    /// `expert_gating_func`: 1 softmax, 2 sigmoid (llama.cpp's numbering).
    enum Gating: Int, Sendable {
        case softmax = 1
        case sigmoid = 2
    }

    var experts: Int
    /// Experts each token uses (`expert_used_count`).
    var used: Int
    /// Expert groups (`expert_group_count`); 0 or 1 means no group limit.
    var groups: Int = 0
    /// Groups a token may draw its experts from (`expert_group_used_count`).
    var groupsUsed: Int = 0
    var gating: Gating
    /// Divide the chosen weights by their sum (`expert_weights_norm`).
    var normalizeWeights: Bool
    /// Multiply the chosen weights by this (`expert_weights_scale`); 0 and 1 leave them as they are.
    var weightsScale: Float

    init(experts: Int, used: Int, groups: Int = 0, groupsUsed: Int = 0, gating: Gating,
         normalizeWeights: Bool, weightsScale: Float) {
        self.experts = experts
        self.used = used
        self.groups = groups
        self.groupsUsed = groupsUsed
        self.gating = gating
        self.normalizeWeights = normalizeWeights
        self.weightsScale = weightsScale
    }

    /// The `<arch>.expert_*` keys. A file without `expert_gating_func` gets softmax, as llama.cpp
    /// gives the DeepSeek-V2 files written before the key existed.
    init(_ hp: Hyperparameters) throws(ModelError) {
        experts = try hp.int("expert_count")
        used = try hp.int("expert_used_count")
        groups = try hp.int("expert_group_count", default: 0)
        groupsUsed = try hp.int("expert_group_used_count", default: 0)
        let gatingKey = "\(hp.arch).expert_gating_func"
        let code = try hp.int("expert_gating_func", default: 0)
        guard let g = code == 0 ? .softmax : Gating(rawValue: code) else {
            throw .badHyperparameter(key: gatingKey, reason: "gating function \(code) is not supported (1 softmax, 2 sigmoid)")
        }
        gating = g
        normalizeWeights = hp.bool("expert_weights_norm", default: false)
        weightsScale = try hp.float("expert_weights_scale", default: 0)
        guard experts > 0, (1...experts).contains(used) else {
            throw .badHyperparameter(key: "\(hp.arch).expert_used_count", reason: "\(used) of \(experts) experts")
        }
        if groups > 1 {
            guard experts % groups == 0, (1...groups).contains(groupsUsed), groupsUsed * (experts / groups) >= used else {
                throw .badHyperparameter(key: "\(hp.arch).expert_group_used_count",
                                         reason: "\(groupsUsed) of \(groups) groups cannot hold \(used) of \(experts) experts")
            }
        }
    }

    /// The floor on the weight sum before dividing by it: the smallest normal f16, as llama.cpp clamps.
    static let minimumWeightSum: Float = 6.103515625e-5

    /// Scores one token's router `logits` (`experts` values, overwritten with the gated scores) and
    /// writes the chosen experts, best first, to `chosen` and their weights to `weights` (`used`
    /// values each). `selection` is scratch for `experts` values; on return it holds the scores the
    /// choice was made on (biased, with dropped groups at −∞). Ties go to the lower id.
    func route(logits scores: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
               selection: UnsafeMutablePointer<Float>, chosen: UnsafeMutablePointer<Int32>,
               weights: UnsafeMutablePointer<Float>) {
        switch gating {
        case .softmax: Elementwise.softmaxVectorExp(scores, count: experts)
        case .sigmoid: Elementwise.sigmoid(scores, count: experts)
        }
        for e in 0..<experts { selection[e] = bias.map { scores[e] + $0[e] } ?? scores[e] }
        if groups > 1 { dropWeakGroups(selection) }
        for k in 0..<used {
            var best = -1
            for e in 0..<experts where !Self.isChosen(Int32(e), chosen, k) && (best < 0 || selection[e] > selection[best]) {
                best = e
            }
            chosen[k] = Int32(best)
            weights[k] = scores[best]
        }
        if normalizeWeights {
            var sum: Double = 0
            for k in 0..<used { sum += Double(weights[k]) }
            let divisor = max(Float(sum), Self.minimumWeightSum)
            for k in 0..<used { weights[k] /= divisor }
        }
        if weightsScale != 0 && weightsScale != 1 {
            for k in 0..<used { weights[k] *= weightsScale }
        }
    }

    /// Sets every expert outside the `groupsUsed` best groups to −∞. A group's score is the sum
    /// of its two best selection scores (DeepSeek-V3's rule).
    private func dropWeakGroups(_ selection: UnsafeMutablePointer<Float>) {
        let size = experts / groups
        withUnsafeTemporaryAllocation(of: Float.self, capacity: groups) { score in
            for g in 0..<groups {
                let members = selection + g * size
                var first = -Float.infinity, second = -Float.infinity
                for i in 0..<size {
                    if members[i] > first { (first, second) = (members[i], first) }
                    else if members[i] > second { second = members[i] }
                }
                score[g] = size >= 2 ? first + second : first
            }
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: groups) { kept in
                kept.initialize(repeating: false)
                for _ in 0..<groupsUsed {
                    var best = -1
                    for g in 0..<groups where !kept[g] && (best < 0 || score[g] > score[best]) { best = g }
                    kept[best] = true
                }
                for g in 0..<groups where !kept[g] {
                    for i in 0..<size { selection[g * size + i] = -.infinity }
                }
            }
        }
    }

    private static func isChosen(_ e: Int32, _ chosen: UnsafePointer<Int32>, _ count: Int) -> Bool {
        for k in 0..<count where chosen[k] == e { return true }
        return false
    }
}
