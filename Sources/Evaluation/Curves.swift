// ROC and precision-recall curves, ROC-AUC and average precision, as scikit-learn computes them.

/// Cumulative counts at each distinct score, highest score first
/// (`sklearn.metrics._ranking._binary_clf_curve`): predicting "anomalous iff score >= thresholds[i]"
/// gives `falsePositives[i]` and `truePositives[i]`.
struct BinaryCurveCounts {
    var falsePositives: [Double]
    var truePositives: [Double]
    var thresholds: [Double]
}

/// scores: [N], labels: [N] -> counts at the K distinct scores, in decreasing score order.
func binaryCurveCounts(scores: [Double], labels: [Bool]) -> BinaryCurveCounts {
    // Stable sort, then reversed, exactly as `np.argsort(kind="mergesort")[::-1]`.
    let ascending = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    let order = Array(ascending.reversed())
    var falsePositives: [Double] = [], truePositives: [Double] = [], thresholds: [Double] = []
    var positivesSoFar = 0
    for (rank, index) in order.enumerated() {
        if labels[index] { positivesSoFar += 1 }
        let isLastOfValue = rank == order.count - 1 || scores[order[rank + 1]] != scores[index]
        if isLastOfValue {
            truePositives.append(Double(positivesSoFar))
            falsePositives.append(Double(rank + 1 - positivesSoFar))
            thresholds.append(scores[index])
        }
    }
    return BinaryCurveCounts(falsePositives: falsePositives, truePositives: truePositives, thresholds: thresholds)
}

/// A receiver operating characteristic curve: points (FPR, TPR) for the decision "score >= threshold",
/// thresholds decreasing, the first one `+infinity` (nothing predicted anomalous).
public struct ROCCurve: Equatable, Sendable {
    public var falsePositiveRates: [Double]
    public var truePositiveRates: [Double]
    public var thresholds: [Double]
}

/// A precision-recall curve as `sklearn.metrics.precision_recall_curve` returns it: thresholds
/// increasing (decision "score >= threshold"), `precisions` and `recalls` one longer, ending in (1, 0).
public struct PrecisionRecallCurve: Equatable, Sendable {
    public var precisions: [Double]
    public var recalls: [Double]
    public var thresholds: [Double]
}

/// The ROC curve of `scores: [N]` against `labels: [N]` (`true` = anomalous), like
/// `sklearn.metrics.roc_curve(labels, scores, drop_intermediate=dropIntermediate)`:
/// collinear points are dropped when asked (the default, as in scikit-learn), a point
/// (0, 0) with threshold +infinity is prepended, and a rate whose class is absent is NaN
/// (scikit-learn warns and returns NaN).
public func rocCurve(scores: [Double], labels: [Bool], dropIntermediate: Bool = true) throws -> ROCCurve {
    try validate(scores, labels: labels, function: "rocCurve")
    let counts = binaryCurveCounts(scores: scores, labels: labels)
    var fps = counts.falsePositives, tps = counts.truePositives, thresholds = counts.thresholds
    if dropIntermediate && fps.count > 2 {
        // Keep the ends and every point where either second difference is non-zero.
        var kept: [Int] = [0]
        for i in 1..<(fps.count - 1) {
            let secondFP = (fps[i + 1] - fps[i]) - (fps[i] - fps[i - 1])
            let secondTP = (tps[i + 1] - tps[i]) - (tps[i] - tps[i - 1])
            if secondFP != 0 || secondTP != 0 { kept.append(i) }
        }
        kept.append(fps.count - 1)
        fps = kept.map { fps[$0] }
        tps = kept.map { tps[$0] }
        thresholds = kept.map { thresholds[$0] }
    }
    fps.insert(0, at: 0)
    tps.insert(0, at: 0)
    thresholds.insert(.infinity, at: 0)
    let negatives = fps[fps.count - 1], positives = tps[tps.count - 1]
    let fpr = fps.map { negatives > 0 ? $0 / negatives : .nan }
    let tpr = tps.map { positives > 0 ? $0 / positives : .nan }
    return ROCCurve(falsePositiveRates: fpr, truePositiveRates: tpr, thresholds: thresholds)
}

/// Area under a curve by the trapezoidal rule (`sklearn.metrics.auc`, `numpy.trapezoid`);
/// x must be monotonic (increasing or decreasing).
public func trapezoidArea(x: [Double], y: [Double]) -> Double {
    guard x.count >= 2, x.count == y.count else { return .nan }
    var area = 0.0
    for i in 1..<x.count {
        area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2
    }
    let decreasing = zip(x.dropFirst(), x).allSatisfy { $0 <= $1 } && x.first != x.last
    return decreasing ? -area : area
}

/// ROC-AUC of `scores: [N]` against `labels: [N]`, like `sklearn.metrics.roc_auc_score`
/// (trapezoid under `rocCurve` with intermediate points dropped; tied scores form one
/// diagonal step, i.e. count one half). When the labels hold one class only, the AUC is
/// undefined: scikit-learn 1.9 warns and returns NaN, and so do we.
public func rocAUC(scores: [Double], labels: [Bool]) throws -> Double {
    let curve = try rocCurve(scores: scores, labels: labels)
    if curve.falsePositiveRates.contains(where: \.isNaN) || curve.truePositiveRates.contains(where: \.isNaN) {
        return .nan
    }
    return trapezoidArea(x: curve.falsePositiveRates, y: curve.truePositiveRates)
}

/// The precision-recall curve of `scores: [N]` against `labels: [N]`, like
/// `sklearn.metrics.precision_recall_curve` (no intermediate points dropped). With no
/// anomalous records, recall is 1 at every threshold (scikit-learn warns and does the same);
/// precision where nothing is predicted anomalous is 0.
public func precisionRecallCurve(scores: [Double], labels: [Bool]) throws -> PrecisionRecallCurve {
    try validate(scores, labels: labels, function: "precisionRecallCurve")
    let counts = binaryCurveCounts(scores: scores, labels: labels)
    let tps = counts.truePositives, fps = counts.falsePositives
    let positives = tps[tps.count - 1]
    var precisions = zip(tps, fps).map { tp, fp in tp + fp != 0 ? tp / (tp + fp) : 0 }
    var recalls = tps.map { positives == 0 ? 1 : $0 / positives }
    precisions.reverse()
    recalls.reverse()
    precisions.append(1)
    recalls.append(0)
    return PrecisionRecallCurve(precisions: precisions, recalls: recalls, thresholds: counts.thresholds.reversed())
}

/// PR-AUC as average precision, like `sklearn.metrics.average_precision_score`:
/// AP = sum_n (R_n - R_{n-1}) P_n over the thresholds (no interpolation). With no anomalous
/// records AP is 0, as scikit-learn returns.
public func averagePrecision(scores: [Double], labels: [Bool]) throws -> Double {
    let curve = try precisionRecallCurve(scores: scores, labels: labels)
    var sum = 0.0
    for i in 0..<(curve.recalls.count - 1) {
        sum += (curve.recalls[i + 1] - curve.recalls[i]) * curve.precisions[i]
    }
    return -sum
}
