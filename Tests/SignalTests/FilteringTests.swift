// lfilter, lfilter_zi, filtfilt, sosfilt, sosfilt_zi and sosfiltfilt against SciPy fixtures.
import Foundation
import Testing
@testable import Signal

@Suite struct FilteringTests {
    /// SciPy's `lfilter_zi` solves a system with condition number about `1 / sum(a)` by LU; for the
    /// 0.002-0.16 band-pass (0.5-40 Hz at 500 Hz) its zi has only ~3 correct digits, which leaves ~1e-7
    /// relative noise in `filtfilt`. The fixtures therefore also hold SciPy's own filtfilt steps run from
    /// the correctly rounded zi (mpmath, 50 digits): we match those to 1e-9, and we differ from plain
    /// SciPy by no more than SciPy differs from them.
    @Test func causalAndZeroPhaseFiltersMatchSciPy() throws {
        let fixture = try SignalFixtures.json("filtering.json")
        let x = try fixture.doubles("x")
        let cases = try fixture.objects("cases")
        #expect(cases.count == 5)
        for entry in cases {
            let label = "\(try entry.number("order")) \(try entry.doubles("cutoffs")) \(entry["type"] ?? "")"
            // SciPy's own coefficients, so that only the filtering is under test here.
            let filter = TransferFunction(numerator: try entry.doubles("b"), denominator: try entry.doubles("a"))
            let sections = try SecondOrderSections(sections: try entry.rows("sos"))

            expectClose(try Filtering.lfilter(filter, x).output, try entry.doubles("lfilter"), rtol: 0, atol: 0, "\(label) lfilter (bitwise)")
            let zi = try Filtering.lfilterInitialState(filter)
            expectClose(zi, try entry.doubles("lfilter_zi_exact"), rtol: 1e-15, atol: 1e-300, "\(label) lfilter_zi vs correctly rounded")
            expectWithinSciPysOwnError(zi, scipy: try entry.doubles("lfilter_zi"), exact: try entry.doubles("lfilter_zi_exact"), "\(label) lfilter_zi")
            let scipyZi = try entry.doubles("lfilter_zi")
            let (withState, finalState) = try Filtering.lfilter(filter, x, initialState: scipyZi.map { $0 * x[0] })
            expectClose(withState, try entry.doubles("lfilter_with_zi"), rtol: 0, atol: 0, "\(label) lfilter zi (bitwise)")
            expectClose(finalState, try entry.doubles("lfilter_zf"), rtol: 0, atol: 0, "\(label) lfilter zf (bitwise)")

            let zeroPhase = try Filtering.filtfilt(filter, x)
            expectClose(zeroPhase, try entry.doubles("filtfilt_exact_zi"), "\(label) filtfilt vs exact-zi SciPy")
            expectWithinSciPysOwnError(zeroPhase, scipy: try entry.doubles("filtfilt"), exact: try entry.doubles("filtfilt_exact_zi"), "\(label) filtfilt")
            let padded = try Filtering.filtfilt(filter, x, padLength: 10)
            expectClose(padded, try entry.doubles("filtfilt_padlen_10_exact_zi"), "\(label) filtfilt padlen 10 vs exact-zi SciPy")
            expectWithinSciPysOwnError(padded, scipy: try entry.doubles("filtfilt_padlen_10"), exact: try entry.doubles("filtfilt_padlen_10_exact_zi"), "\(label) filtfilt padlen 10")

            expectClose(try Filtering.sosfilt(sections, x).output, try entry.doubles("sosfilt"), rtol: 0, atol: 0, "\(label) sosfilt (bitwise)")
            let sosZi = try Filtering.sosfiltInitialState(sections)
            expectClose(sosZi, try entry.doubles("sosfilt_zi_exact"), rtol: 1e-15, atol: 1e-300, "\(label) sosfilt_zi vs correctly rounded")
            expectWithinSciPysOwnError(sosZi, scipy: try entry.doubles("sosfilt_zi"), exact: try entry.doubles("sosfilt_zi_exact"), "\(label) sosfilt_zi")
            let sosZeroPhase = try Filtering.sosfiltfilt(sections, x)
            expectClose(sosZeroPhase, try entry.doubles("sosfiltfilt_exact_zi"), "\(label) sosfiltfilt vs exact-zi SciPy")
            expectClose(sosZeroPhase, try entry.doubles("sosfiltfilt"), "\(label) sosfiltfilt vs SciPy")
        }
    }

    @Test func ourDesignsFilterLikeSciPyDesigns() throws {
        let fixture = try SignalFixtures.json("filtering.json")
        let x = try fixture.doubles("x")
        for entry in try fixture.objects("cases") {
            let typeName = try #require(entry["type"] as? String)
            let type = try #require(BandType(rawValue: typeName))
            let design = try Butterworth.design(order: Int(try entry.number("order")), cutoffs: try entry.doubles("cutoffs"), type: type)
            expectClose(try Filtering.filtfilt(design.transferFunction, x), try entry.doubles("filtfilt_exact_zi"), "designed filtfilt \(typeName)")
            expectClose(try Filtering.sosfiltfilt(try SecondOrderSections(design), x), try entry.doubles("sosfiltfilt"), "designed sosfiltfilt \(typeName)")
        }
    }

    @Test func unnormalisedCoefficientsOfUnequalLength() throws {
        let fixture = try SignalFixtures.json("filtering.json")
        let x = try fixture.doubles("x")
        let entry = try fixture.object("unnormalised")
        let filter = TransferFunction(numerator: try entry.doubles("b"), denominator: try entry.doubles("a"))
        expectClose(try Filtering.lfilter(filter, x).output, try entry.doubles("lfilter"), "lfilter a0 = 2")
        expectClose(try Filtering.lfilterInitialState(filter), try entry.doubles("lfilter_zi_exact"), rtol: 1e-15, "lfilter_zi a0 = 2")
        expectClose(try Filtering.lfilterInitialState(filter), try entry.doubles("lfilter_zi"), rtol: 1e-14, "lfilter_zi a0 = 2 vs SciPy")
        expectClose(try Filtering.filtfilt(filter, x), try entry.doubles("filtfilt"), "filtfilt a0 = 2")
    }

    @Test func tooShortSignalGivesSciPysMessage() throws {
        let fixture = try SignalFixtures.json("filtering.json")
        let expected = try #require(fixture["too_short_message"] as? String)
        let filter = try Butterworth.transferFunction(order: 4, cutoffs: [0.1, 0.3], type: .bandpass)
        #expect(Filtering.defaultPadLength(filter) == 27)
        do {
            _ = try Filtering.filtfilt(filter, Array(try fixture.doubles("x").prefix(27)))
            Issue.record("filtfilt accepted 27 samples with padlen 27")
        } catch let error as SignalError {
            #expect(error.function == "filtfilt")
            #expect(error.message.hasPrefix(expected), "\(error.message) vs SciPy's \(expected)")
        }
        #expect(try Filtering.filtfilt(filter, [Double](repeating: 1, count: 28)).allSatisfy { abs($0) < 1e-12 })
    }

    @Test func sosPadLengthFollowsSciPysRule() throws {
        // Odd-order low-pass: the last section is first order (b2 = a2 = 0), so one tap less.
        let odd = try Butterworth.secondOrderSections(order: 3, cutoffs: [0.2], type: .lowpass)
        #expect(odd.count == 2)
        #expect(Filtering.defaultPadLength(odd) == 3 * (2 * 2 + 1 - 1))
        let even = try Butterworth.secondOrderSections(order: 4, cutoffs: [0.1, 0.2], type: .bandpass)
        #expect(Filtering.defaultPadLength(even) == 3 * (2 * 4 + 1))
    }

    @Test func filtfiltPassesConstantsAndIsZeroPhase() throws {
        // A low-pass has unit DC gain: a constant passes unchanged; a slow sine keeps its phase.
        let filter = try Butterworth.transferFunction(order: 4, cutoffs: [0.2], type: .lowpass)
        let constant = try Filtering.filtfilt(filter, [Double](repeating: 3.5, count: 200))
        #expect(constant.allSatisfy { abs($0 - 3.5) < 1e-12 })
        let sine = (0..<400).map { sin(2 * Double.pi * Double($0) / 100) }
        let filtered = try Filtering.filtfilt(filter, sine)
        #expect(zip(filtered[50..<350], sine[50..<350]).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}

@Suite struct LaneFilteringTests {
    /// The four-lane kernels must reproduce the single-signal kernels bit for bit, including a partial
    /// last group (6 leads = 4 + 2).
    @Test func multiLeadFilteringEqualsLeadByLead() throws {
        let samples = 700
        let record: [Double] = (0..<(6 * samples)).map { (index: Int) -> Double in
            let wave: Double = sin(Double(index) * 0.01)
            return wave + Double((index * 7919) % 101) / 100
        }
        let filter = try Butterworth.transferFunction(order: 4, cutoffs: [0.5, 40], type: .bandpass, samplingRate: 500)
        let sections = try Butterworth.secondOrderSections(order: 4, cutoffs: [0.5, 40], type: .bandpass, samplingRate: 500)
        var lanes = record, sectionLanes = record
        try lanes.withUnsafeMutableBufferPointer { try Filtering.filtfilt(filter, record: $0, leads: 6) }
        try sectionLanes.withUnsafeMutableBufferPointer { try Filtering.sosfiltfilt(sections, record: $0, leads: 6) }
        for lead in 0..<6 {
            let row = Array(record[(lead * samples)..<((lead + 1) * samples)])
            #expect(Array(lanes[(lead * samples)..<((lead + 1) * samples)]) == (try Filtering.filtfilt(filter, row)), "lead \(lead) filtfilt")
            #expect(Array(sectionLanes[(lead * samples)..<((lead + 1) * samples)]) == (try Filtering.sosfiltfilt(sections, row)), "lead \(lead) sosfiltfilt")
        }
        var short = [Double](repeating: 0, count: 2 * 27)
        #expect(throws: SignalError.self) { try short.withUnsafeMutableBufferPointer { try Filtering.filtfilt(filter, record: $0, leads: 2) } }
    }
}
