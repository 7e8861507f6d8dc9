// The reference preprocessing chain (band-pass + notch + z-score) against SciPy on random leads and a
// real CPSC 2018 record, and the z-score, non-finite and crop/pad pieces.
import Foundation
import Testing
import TestSupport
@testable import Signal

@Suite struct PreprocessingTests {
    /// SciPy's chain output carries ~1e-6 relative noise from its ill-conditioned `lfilter_zi` (see
    /// FilteringTests); the `_exact_zi` fixtures are SciPy's chain run from correctly rounded zi.
    @Test func chainMatchesSciPyOnRandomLeads() throws {
        let input = try SignalFixtures.npy("chain_random_input.npy")
        #expect(input.shape == [2, 1000])
        #expect(input.values.contains { !$0.isFinite })
        let cases: [(Preprocessor, String)] = [
            (try Preprocessor(samplingRate: 500), "chain_random_expected"),
            (try Preprocessor(samplingRate: 360, notchFrequency: 60), "chain_random_expected_60hz_360"),
            (try Preprocessor(samplingRate: 500, form: .secondOrderSections), "chain_random_expected_sos"),
        ]
        for (preprocessor, name) in cases {
            let output = try preprocessor.process(input.values, leads: 2)
            let exact = try SignalFixtures.npy(name + "_exact_zi.npy").values
            let scipy = try SignalFixtures.npy(name + ".npy").values
            expectClose(output, exact, rtol: 1e-9, atol: 1e-12, "\(name) vs SciPy chain from exact zi")
            expectWithinSciPysOwnError(output, scipy: scipy, exact: exact, "\(name) vs SciPy")
            #expect(maxAbsDifference(output, scipy) < 1e-4, "\(name): \(maxAbsDifference(output, scipy))")
        }
    }

    @Test func chainMatchesSciPyOnCPSC2018RecordA0001() throws {
        let digital = try SignalFixtures.npy("a0001_digital.npy")
        #expect(digital.shape == [3, 5000])
        // wfdb's physical values: (digital - baseline 0) / gain 1000.
        let physical = digital.values.map { $0 / 1000.0 }
        let preprocessor = try Preprocessor(samplingRate: 500, notchFrequency: 50)
        let output = try preprocessor.process(physical, leads: 3)
        let exact = try SignalFixtures.npy("a0001_expected_exact_zi.npy").values
        let scipy = try SignalFixtures.npy("a0001_expected.npy").values
        expectClose(output, exact, rtol: 1e-9, atol: 1e-12, "A0001 vs SciPy chain from exact zi")
        expectWithinSciPysOwnError(output, scipy: scipy, exact: exact, "A0001 vs SciPy")
        #expect(maxAbsDifference(output, scipy) < 1e-4)
        let parallel = try preprocessor.process(physical, leads: 3, parallel: true)
        #expect(parallel == output, "parallel over leads must give the same bits")
    }

    @Test func zScoreUsesPopulationStandardDeviation() {
        let output = Statistics.zScore([1, 2, 3, 4])
        // mean 2.5, population std sqrt(1.25)
        let deviation = 1.25.squareRoot() + 1e-8
        #expect(output == [-1.5 / deviation, -0.5 / deviation, 0.5 / deviation, 1.5 / deviation])
        #expect(Statistics.zScore([5, 5, 5]) == [0, 0, 0])
        let values = (0..<1000).map { Double($0 % 7) + 0.25 }
        #expect(abs(pairwiseSum(values) - values.reduce(0, +)) < 1e-9)
    }

    @Test func nonFiniteValuesBecomeZeroAndCropOrPad() throws {
        var values: [Double] = [1, .nan, .infinity, -.infinity, 2]
        values.withUnsafeMutableBufferPointer { Preprocessor.replaceNonFinite($0) }
        #expect(values == [1, 0, 0, 0, 2])
        let record: [Double] = [1, 2, 3, 4, 5, 6]  // [2, 3]
        #expect(try Preprocessor.cropOrPad(record, leads: 2, length: 2) == [1, 2, 4, 5])
        #expect(try Preprocessor.cropOrPad(record, leads: 2, length: 5) == [1, 2, 3, 0, 0, 4, 5, 6, 0, 0])
        #expect(throws: SignalError.self) { try Preprocessor.cropOrPad(record, leads: 4, length: 5) }
    }

    @Test func shortLeadsAndBadCutoffsThrow() throws {
        let preprocessor = try Preprocessor(samplingRate: 500)
        #expect(throws: SignalError.self) { try preprocessor.process([Double](repeating: 1, count: 20), leads: 1) }
        #expect(throws: SignalError.self) { try Preprocessor(samplingRate: 60) }
    }
}
