// A decision threshold and how it was set: percentile, F1-maximising, Youden's J, Peaks-Over-Threshold.

import Foundation

/// A threshold tau on anomaly scores (a record is anomalous iff score > tau), with the method
/// that set it, that method's parameters and the number of scores it was computed on.
public struct Threshold: Equatable, Sendable, CustomStringConvertible {
    /// How a threshold was chosen.
    public enum Method: String, Equatable, Sendable, CaseIterable {
        case percentile, f1, youden, peaksOverThreshold = "pot"
    }

    public var method: Method
    public var value: Double
    /// Named parameters of the method, e.g. "p" for a percentile; "u", "gamma", "sigma", "q",
    /// "excesses" for POT; "f1" or "j" for the optimised criteria.
    public var parameters: [String: Double]
    public var sampleCount: Int

    public init(method: Method, value: Double, parameters: [String: Double] = [:], sampleCount: Int) {
        self.method = method
        self.value = value
        self.parameters = parameters
        self.sampleCount = sampleCount
    }

    /// The verdict for one score: anomalous iff score > value.
    public func isAnomalous(_ score: Double) -> Bool { score > value }

    /// The short name people use: "p95" for the 95th percentile, "given" for a value set by hand
    /// (parameter `given`), else the method's name ("f1", "youden", "pot").
    public var label: String {
        if parameters["given"] != nil { return "given" }
        if method == .percentile, let p = parameters["p"] {
            return p == p.rounded() ? "p\(Int(p))" : "p\(p)"
        }
        return method.rawValue
    }

    public var description: String {
        let shown = parameters.keys.sorted().map { "\($0)=\(parameters[$0] ?? .nan)" }.joined(separator: ", ")
        return "Threshold(\(method.rawValue): \(value)\(shown.isEmpty ? "" : "; " + shown); n=\(sampleCount))"
    }

    /// The `p`-th percentile (default 95) of normal validation `scores: [N]`, NumPy's linear
    /// interpolation (`numpy.percentile(scores, p)`).
    public static func percentile(of scores: [Double], p: Double = 95) throws -> Threshold {
        let value = try Evaluation.percentile(scores, p)
        return Threshold(method: .percentile, value: value, parameters: ["p": p], sampleCount: scores.count)
    }

    /// The threshold among the distinct scores of `scores: [N]` that maximises F1 of the decision
    /// "score > tau" against `labels: [N]` (`true` = anomalous). Candidates are the distinct scores
    /// (tau = s flags every record scoring above s). Ties in F1 go to the largest tau (fewest alarms),
    /// the same rule as `np.argmax` over scikit-learn's decreasing ROC thresholds.
    public static func maximizingF1(scores: [Double], labels: [Bool]) throws -> Threshold {
        try validate(scores, labels: labels, function: "Threshold.maximizingF1")
        let positives = labels.filter { $0 }.count
        guard positives > 0 else { throw EvaluationError.singleClass(function: "Threshold.maximizingF1", present: false) }
        var best = (tau: Double.nan, f1: -1.0)
        forEachOperatingPoint(scores: scores, labels: labels) { tau, tp, fp in
            let f1 = 2 * Double(tp) / Double(2 * tp + fp + (positives - tp))
            if f1 > best.f1 { best = (tau, f1) }
        }
        return Threshold(method: .f1, value: best.tau, parameters: ["f1": best.f1], sampleCount: scores.count)
    }

    /// The threshold maximising Youden's J = TPR - FPR of "score > tau" against `labels: [N]`,
    /// over the distinct scores (the operating points of `sklearn.metrics.roc_curve`: scikit-learn's
    /// threshold t means "score >= t", which on these scores is "score > the next lower distinct
    /// score", the tau we return). Ties go to the largest tau, as `np.argmax(tpr - fpr)` picks.
    public static func maximizingYouden(scores: [Double], labels: [Bool]) throws -> Threshold {
        try validate(scores, labels: labels, function: "Threshold.maximizingYouden")
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else {
            throw EvaluationError.singleClass(function: "Threshold.maximizingYouden", present: positives > 0)
        }
        var best = (tau: Double.nan, j: -2.0)
        forEachOperatingPoint(scores: scores, labels: labels) { tau, tp, fp in
            let j = Double(tp) / Double(positives) - Double(fp) / Double(negatives)
            if j > best.j { best = (tau, j) }
        }
        return Threshold(method: .youden, value: best.tau, parameters: ["j": best.j], sampleCount: scores.count)
    }

    /// Peaks-Over-Threshold (SPOT's initial step, Siffer et al., KDD 2017) on `scores: [N]`:
    /// u = the `initialQuantile` of the scores (NumPy linear percentile), excesses y = s - u over
    /// the N_t scores s > u, a GPD (gamma, sigma) fitted to them by maximum likelihood
    /// (`GeneralizedPareto.fit`), then tau = u + (sigma/gamma) ((q N / N_t)^(-gamma) - 1), or
    /// u - sigma log(q N / N_t) when gamma = 0, for the risk q (the probability that a normal score
    /// exceeds tau). Defaults: initial quantile 0.98 as in SPOT, q = 1e-3 (one false alarm per
    /// thousand normal records). Needs at least 2 distinct excesses.
    public static func peaksOverThreshold(
        scores: [Double], initialQuantile: Double = 0.98, risk: Double = 1e-3
    ) throws -> Threshold {
        try validate(scores, function: "Threshold.peaksOverThreshold", minimum: 3)
        guard initialQuantile > 0, initialQuantile < 1 else {
            throw EvaluationError.parameterOutOfRange(
                function: "Threshold.peaksOverThreshold", name: "initialQuantile", value: initialQuantile, expected: "in (0, 1)")
        }
        guard risk > 0, risk < 1 else {
            throw EvaluationError.parameterOutOfRange(
                function: "Threshold.peaksOverThreshold", name: "risk", value: risk, expected: "in (0, 1)")
        }
        let sorted = scores.sorted()
        let u = percentileOfSorted(sorted, quantile: initialQuantile)
        let excesses = sorted.filter { $0 > u }.map { $0 - u }
        guard Set(excesses).count >= 2 else {
            throw EvaluationError.tooFewValues(function: "Threshold.peaksOverThreshold (distinct excesses over u = \(u))",
                                               count: Set(excesses).count, minimum: 2)
        }
        let gpd = try GeneralizedPareto.fit(excesses: excesses)
        let ratio = risk * Double(scores.count) / Double(excesses.count)
        let tau = gpd.shape == 0
            ? u - gpd.scale * log(ratio)
            : u + (gpd.scale / gpd.shape) * (pow(ratio, -gpd.shape) - 1)
        return Threshold(
            method: .peaksOverThreshold, value: tau,
            parameters: ["u": u, "gamma": gpd.shape, "sigma": gpd.scale, "q": risk,
                         "initialQuantile": initialQuantile, "excesses": Double(excesses.count)],
            sampleCount: scores.count)
    }
}

/// Calls `body(tau, truePositives, falsePositives)` for the decision "score > tau" at every distinct
/// score tau, from the largest tau to the smallest.
private func forEachOperatingPoint(scores: [Double], labels: [Bool], _ body: (Double, Int, Int) -> Void) {
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var tp = 0, fp = 0, rank = 0
    while rank < order.count {
        let tau = scores[order[rank]]
        body(tau, tp, fp)
        while rank < order.count, scores[order[rank]] == tau {
            if labels[order[rank]] { tp += 1 } else { fp += 1 }
            rank += 1
        }
    }
}
