// Curves, AUCs and threshold metrics against scikit-learn 1.9.1 fixtures.

import Testing
import TestSupport
@testable import Evaluation

@Suite struct MetricsTests {
    @Test func rocCurveMatchesScikitLearn() throws {
        for c in try EvaluationFixtures.load().classification {
            let curve = try rocCurve(scores: c.scores, labels: c.labels)
            #expect(firstMismatch(curve.falsePositiveRates, c.rocFpr, rtol: 1e-12) == nil, "\(c.name)")
            #expect(firstMismatch(curve.truePositiveRates, c.rocTpr, rtol: 1e-12) == nil, "\(c.name)")
            #expect(curve.thresholds.first == .infinity)
            #expect(Array(curve.thresholds.dropFirst()) == c.rocThresholdsAfterInf, "\(c.name)")
            let full = try rocCurve(scores: c.scores, labels: c.labels, dropIntermediate: false)
            #expect(firstMismatch(full.falsePositiveRates, c.rocAllFpr, rtol: 1e-12) == nil, "\(c.name)")
            #expect(firstMismatch(full.truePositiveRates, c.rocAllTpr, rtol: 1e-12) == nil, "\(c.name)")
        }
    }

    @Test func rocAUCMatchesScikitLearn() throws {
        for c in try EvaluationFixtures.load().classification {
            let auc = try rocAUC(scores: c.scores, labels: c.labels)
            #expect(abs(auc - c.rocAuc) <= 1e-12 * abs(c.rocAuc), "\(c.name): \(auc) vs \(c.rocAuc)")
        }
    }

    @Test func precisionRecallCurveAndAveragePrecisionMatchScikitLearn() throws {
        for c in try EvaluationFixtures.load().classification {
            let curve = try precisionRecallCurve(scores: c.scores, labels: c.labels)
            #expect(firstMismatch(curve.precisions, c.prPrecision, rtol: 1e-12) == nil, "\(c.name)")
            #expect(firstMismatch(curve.recalls, c.prRecall, rtol: 1e-12) == nil, "\(c.name)")
            #expect(curve.thresholds == c.prThresholds, "\(c.name)")
            let ap = try averagePrecision(scores: c.scores, labels: c.labels)
            #expect(abs(ap - c.averagePrecision) <= 1e-12 * abs(c.averagePrecision), "\(c.name): \(ap) vs \(c.averagePrecision)")
        }
    }

    @Test func confusionMatrixMetricsMatchScikitLearn() throws {
        for c in try EvaluationFixtures.load().classification {
            for e in c.atThresholds {
                let m = try ConfusionMatrix(scores: c.scores, labels: c.labels, threshold: e.tau)
                #expect(m == ConfusionMatrix(truePositives: e.tp, falsePositives: e.fp, trueNegatives: e.tn, falseNegatives: e.fn),
                        "\(c.name) tau \(e.tau)")
                let got = [m.precision, m.recall, m.f1, m.accuracy, m.specificity]
                let want = [e.precision, e.recall, e.f1, e.accuracy, e.specificity]
                #expect(firstMismatch(got, want, rtol: 1e-12) == nil, "\(c.name) tau \(e.tau)")
            }
        }
    }

    @Test func binaryEvaluationCollectsAllMetrics() throws {
        for c in try EvaluationFixtures.load().classification {
            let e = c.atThresholds[1]
            let evaluation = try BinaryEvaluation(scores: c.scores, labels: c.labels, threshold: e.tau)
            let got = evaluation.namedValues.map(\.value)
            let want = [e.precision, e.recall, e.f1, c.rocAuc, c.averagePrecision, e.accuracy, e.specificity]
            #expect(firstMismatch(got, want, rtol: 1e-12) == nil, "\(c.name)")
            #expect(evaluation.namedValues.map(\.name) == ["precision", "recall", "f1", "roc_auc", "pr_auc", "accuracy", "specificity"])
        }
    }

    @Test func degenerateClassesFollowScikitLearn() throws {
        let scores = [0.1, 0.4, 0.35, 0.8]
        #expect(try rocAUC(scores: scores, labels: [false, false, false, false]).isNaN)
        #expect(try rocAUC(scores: scores, labels: [true, true, true, true]).isNaN)
        #expect(try averagePrecision(scores: scores, labels: [false, false, false, false]) == 0)
        #expect(try averagePrecision(scores: scores, labels: [true, true, true, true]) == 1)
        #expect(throws: EvaluationError.lengthMismatch(function: "rocCurve", scores: 4, labels: 3)) {
            try rocCurve(scores: scores, labels: [true, false, true])
        }
        #expect(throws: EvaluationError.nonFiniteScore(function: "precisionRecallCurve", index: 1)) {
            try precisionRecallCurve(scores: [0.1, .nan], labels: [true, false])
        }
    }

    @Test func handWorkedROCAUCCountsTiesAsHalf() throws {
        // Pairs (positive, negative): (0.8, 0.1) win, (0.8, 0.4) win, (0.4, 0.1) win, (0.4, 0.4) tie -> 3.5 / 4.
        let auc = try rocAUC(scores: [0.1, 0.4, 0.4, 0.8], labels: [false, false, true, true])
        #expect(auc == 0.875)
    }
}
