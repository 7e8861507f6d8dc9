// Percentile, F1, Youden and POT thresholds and the GPD fit against NumPy / scikit-learn / SciPy.

import Foundation
import Testing
import TestSupport
@testable import Evaluation

@Suite struct ThresholdTests {
    @Test func percentilesMatchNumPyExactly() throws {
        for c in try EvaluationFixtures.load().percentiles {
            for (p, expected) in zip(c.p, c.expected) {
                let got = try percentile(c.values, p)
                #expect(got == expected, "p \(p): \(got) vs \(expected) (NumPy, bit for bit)")
            }
        }
        let small = try EvaluationFixtures.load().percentiles[1]
        let t = try Threshold.percentile(of: small.values)
        #expect(small.p[5] == 95 && t.value == small.expected[5])
        #expect(t.method == .percentile && t.sampleCount == 5 && t.parameters["p"] == 95)
    }

    @Test func f1ThresholdMatchesBruteForceScikitLearn() throws {
        for c in try EvaluationFixtures.load().classification {
            let t = try Threshold.maximizingF1(scores: c.scores, labels: c.labels)
            #expect(t.value == c.f1BestTau, "\(c.name)")
            #expect(abs((t.parameters["f1"] ?? .nan) - c.f1Best) <= 1e-12, "\(c.name)")
            let m = try ConfusionMatrix(scores: c.scores, labels: c.labels, threshold: t.value)
            #expect(abs(m.f1 - c.f1Best) <= 1e-12)
        }
    }

    @Test func youdenThresholdGivesScikitLearnOperatingPoint() throws {
        for c in try EvaluationFixtures.load().classification {
            let t = try Threshold.maximizingYouden(scores: c.scores, labels: c.labels)
            #expect(abs((t.parameters["j"] ?? .nan) - c.youdenJ) <= 1e-12, "\(c.name)")
            // scikit-learn's "score >= t" and our "score > tau" flag the same records.
            let ours = c.scores.map { $0 > t.value }
            let theirs = c.scores.map { $0 >= c.youdenSklearnThreshold }
            #expect(ours == theirs, "\(c.name)")
        }
    }

    @Test func gpdFitMatchesSciPy() throws {
        let fixtures = try EvaluationFixtures.load()
        for c in fixtures.gpd + fixtures.pot.map(\.gpd) {
            let fit = try GeneralizedPareto.fit(excesses: c.excesses)
            let ours = fit.logLikelihood(c.excesses)
            // SciPy's log-likelihood at its own optimum, recomputed by our density: same function.
            let scipyAtItsOptimum = GeneralizedPareto(shape: c.scipyShape, scale: c.scipyScale).logLikelihood(c.excesses)
            #expect(abs(scipyAtItsOptimum - c.scipyLogLikelihood) <= 1e-10 * abs(c.scipyLogLikelihood), "\(c.name)")
            #expect(ours >= c.scipyLogLikelihood - 1e-9, "\(c.name): \(ours) < \(c.scipyLogLikelihood)")
            #expect(ours >= c.tightLogLikelihood - 1e-9, "\(c.name): \(ours) < \(c.tightLogLikelihood)")
            // genpareto.fit stops Nelder-Mead at xtol = ftol = 1e-4: agree to that; the tight
            // re-optimisation (xatol 1e-13) to 1e-6.
            #expect(abs(fit.shape - c.scipyShape) <= 1e-3, "\(c.name): shape \(fit.shape) vs \(c.scipyShape)")
            #expect(abs(fit.scale - c.scipyScale) <= 1e-3 * c.scipyScale, "\(c.name)")
            #expect(abs(fit.shape - c.tightShape) <= 1e-6, "\(c.name): shape \(fit.shape) vs \(c.tightShape)")
            #expect(abs(fit.scale - c.tightScale) <= 1e-6 * c.tightScale, "\(c.name): scale \(fit.scale) vs \(c.tightScale)")
        }
    }

    @Test func fitAvoidsTheUnboundedLikelihoodAtTheSupportEdge() throws {
        // With 15 excesses, gamma(theta) falls below -1 before theta reaches -1/max(y), where the
        // likelihood grows without bound; the fit must stay in gamma > -1 and find the interior maximum.
        let c = try #require(try EvaluationFixtures.load().gpd.first { $0.name == "few-excesses" })
        let largest = try #require(c.excesses.max())
        let profile = ProfileLikelihood(excesses: c.excesses)
        let edge = profile.smallestThetaWithBoundedLikelihood(largestExcess: largest)
        #expect(edge > -1 / largest)
        #expect(abs(profile.shape(edge) + 1) <= 1e-9)
        #expect(profile.value(-(1 - 1e-12) / largest) > c.tightLogLikelihood)  // the degenerate direction
        let fit = try GeneralizedPareto.fit(excesses: c.excesses)
        #expect(abs(fit.shape - c.tightShape) <= 1e-6)
    }

    @Test func potThresholdMatchesSciPyFit() throws {
        for c in try EvaluationFixtures.load().pot {
            let t = try Threshold.peaksOverThreshold(scores: c.scores, initialQuantile: c.initialQuantile, risk: c.risk)
            #expect(t.parameters["u"] == c.u, "\(c.name)")
            #expect(t.parameters["excesses"] == Double(c.excessCount))
            #expect(abs(t.value - c.tauTight) <= 1e-6 * abs(c.tauTight), "\(c.name): \(t.value) vs \(c.tauTight)")
            #expect(abs(t.value - c.tauScipy) <= 1e-3 * abs(c.tauScipy), "\(c.name): \(t.value) vs \(c.tauScipy)")
            #expect(t.value > c.u)
        }
    }

    @Test func potExponentialFormulaAtZeroShape() throws {
        // Excesses of a GPD with shape exactly 0 are handled by the exponential branch of SPOT.
        let gpd = GeneralizedPareto(shape: 0, scale: 2)
        #expect(abs(gpd.logLikelihood([1, 3]) - (-2 * log(2.0) - 2)) <= 1e-15)
    }

    @Test func badParametersThrow() {
        #expect(throws: EvaluationError.self) { try percentile([1, 2], 101) }
        #expect(throws: EvaluationError.self) { try percentile([], 50) }
        #expect(throws: EvaluationError.self) { try GeneralizedPareto.fit(excesses: [1, 1, 1]) }
        // 1...50 at the 0.98 quantile: u = 49.02 leaves 1 excess (the maximum), too few to fit a GPD.
        do {
            _ = try Threshold.peaksOverThreshold(scores: (1...50).map(Double.init))
            Issue.record("expected too few excesses")
        } catch let EvaluationError.tooFewValues(function, count, minimum) {
            #expect(function.hasPrefix("Threshold.peaksOverThreshold") && count == 1 && minimum == 2)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: EvaluationError.singleClass(function: "Threshold.maximizingYouden", present: false)) {
            try Threshold.maximizingYouden(scores: [1, 2], labels: [false, false])
        }
    }
}
