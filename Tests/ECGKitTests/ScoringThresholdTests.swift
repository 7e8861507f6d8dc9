// Thresholding glue: method names map to the Evaluation library's thresholds; evaluation at tau.
@testable import ECGKit
import Evaluation
import Testing

@Suite struct ScoringThresholdTests {
    @Test func percentileByName() throws {
        let scores = (1...100).map(Double.init)
        // numpy.percentile(range(1, 101), 95) = 95.05 (linear interpolation at index 94.05).
        let p95 = try Thresholding.threshold(scores: scores, method: "p95")
        #expect(abs(p95.value - 95.05) < 1e-12)
        #expect(p95.method == .percentile)
        let p50 = try Thresholding.threshold(scores: scores, method: "P50")
        #expect(abs(p50.value - 50.5) < 1e-12)
    }

    @Test func labelledMethodsNeedLabels() throws {
        let scores = [0.1, 0.2, 0.3, 0.8, 0.9]
        let labels = [false, false, false, true, true]
        #expect(throws: ScoringError.self) { try Thresholding.threshold(scores: scores, method: "f1") }
        #expect(throws: ScoringError.self) { try Thresholding.threshold(scores: scores, method: "median") }
        // Perfectly separable: tau = 0.3 (the largest tau flagging exactly the anomalies), F1 = 1, J = 1.
        let f1 = try Thresholding.threshold(scores: scores, method: "f1", labels: labels)
        #expect(f1.value == 0.3 && f1.parameters["f1"] == 1)
        let youden = try Thresholding.threshold(scores: scores, method: "youden", labels: labels)
        #expect(youden.value == 0.3 && youden.parameters["j"] == 1)
        let evaluation = try Thresholding.evaluate(scores: scores, labels: labels, threshold: f1)
        #expect(evaluation.precision == 1 && evaluation.recall == 1 && evaluation.rocAUC == 1)
        let loose = try Thresholding.evaluate(scores: scores, labels: labels, threshold: 0.15)
        // Flags 0.2, 0.3, 0.8, 0.9: TP 2, FP 2 -> precision 0.5, recall 1.
        #expect(loose.precision == 0.5 && loose.recall == 1)
    }

    @Test func peaksOverThresholdByName() throws {
        let scores = (0..<200).map { Double($0 % 50) + Double($0) * 0.001 }
        let pot = try Thresholding.threshold(scores: scores, method: "pot", initialQuantile: 0.9)
        #expect(pot.method == .peaksOverThreshold)
        #expect(pot.value > (pot.parameters["u"] ?? .infinity))
    }
}
