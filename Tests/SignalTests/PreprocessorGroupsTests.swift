// The fused lane-group chain of Preprocessor (all leads interleaved in SIMD groups, filters in place on
// one scratch buffer) against the filter-by-filter scalar chain, bit for bit, and the lane pairwise sum.
import Foundation
import Testing
@testable import Signal

@Suite struct PreprocessorGroupsTests {
    /// `leads` rows of `samples` values from a fixed linear congruential sequence, with NaN and ±inf sprinkled in.
    func randomRecord(leads: Int, samples: Int) -> [Double] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<(leads * samples)).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if index % 997 == 13 { return [Double.nan, .infinity, -.infinity][index % 3] }
            return Double(state >> 11) / Double(1 << 53) * 4 - 2 + sin(Double(index % samples) * 0.05)
        }
    }

    /// The chain one lead at a time through the scalar SciPy-semantics functions.
    func scalarChain(_ preprocessor: Preprocessor, _ record: [Double], leads: Int) throws -> [Double] {
        let samples = record.count / leads
        var output: [Double] = []
        for lead in 0..<leads {
            var values = Array(record[(lead * samples)..<((lead + 1) * samples)]).map { $0.isFinite ? $0 : 0 }
            if let bandpass = preprocessor.bandpass, preprocessor.form == .transferFunction {
                values = try Filtering.filtfilt(bandpass, values)
            }
            if let notch = preprocessor.notch { values = try Filtering.filtfilt(notch, values) }
            output += Statistics.zScore(values, epsilon: preprocessor.zScoreEpsilon)
        }
        return output
    }

    @Test(arguments: [1, 3, 4, 7, 12, 15])
    func fusedChainEqualsScalarChain(leads: Int) throws {
        let record = randomRecord(leads: leads, samples: 700)
        let designs = [
            try Preprocessor(samplingRate: 500),
            try Preprocessor(samplingRate: 360, bandpassOrder: 3, notchFrequency: 60),
            try Preprocessor(samplingRate: 500, notchFrequency: nil),
            try Preprocessor(samplingRate: 500, bandpassCutoffs: nil, form: .secondOrderSections),
        ]
        for preprocessor in designs {
            let expected = try scalarChain(preprocessor, record, leads: leads)
            let fused = try preprocessor.process(record, leads: leads)
            #expect(fused.count == expected.count)
            #expect(zip(fused, expected).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(leads) leads, \(preprocessor.samplingRate) Hz")
            #expect(try preprocessor.process(record, leads: leads, parallel: true) == fused)
        }
    }

    @Test func tooShortLeadsThrowTheFilterPadLength() throws {
        let preprocessor = try Preprocessor(samplingRate: 500)
        let error = #expect(throws: SignalError.self) { try preprocessor.process([Double](repeating: 1, count: 54), leads: 2) }
        #expect(error?.description.contains("must be greater than padlen, which is 27. (got 27 samples)") == true)
        // Just long enough for the band-pass (27) and the notch (9).
        let shortest = try preprocessor.process(randomRecord(leads: 2, samples: 28), leads: 2)
        #expect(shortest.count == 56 && shortest.allSatisfy(\.isFinite))
    }

    @Test func pairwiseSumOfLanesEqualsPairwiseSumOfEachLane() {
        let values = randomRecord(leads: 1, samples: 4 * 3 * 300).map { $0.isFinite ? $0 : 0.5 }
        for count in [0, 1, 7, 8, 9, 127, 128, 129, 255, 256, 300] {
            let stride = 3
            let lanes = (0..<(count * stride)).map { index in
                SIMD4(values[4 * index], values[4 * index + 1], values[4 * index + 2], values[4 * index + 3])
            }
            let sums = lanes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { pairwiseSumLanes($0 + 1, count: count, stride: stride) } ?? SIMD4(repeating: 0)
            }
            for lane in 0..<4 {
                let scalar = (0..<count).map { lanes[$0 * stride + 1][lane] }
                #expect(sums[lane].bitPattern == pairwiseSum(scalar).bitPattern, "count \(count) lane \(lane)")
            }
        }
    }
}
