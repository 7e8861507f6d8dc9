// The record preprocessing chain against SciPy (fixtures from scripts/reference/ecgkit_pipeline.py),
// provenance, parallel = serial, the PTB-XL 100 Hz / 500 Hz pair, and parameter errors.
import Foundation
import Formats
import Testing
import TestSupport
@testable import ECGKit

/// A fixture `[12, K]` at the kept positions of `indices.npy`.
struct PipelineFixture {
    static let indices: [Int] = {
        let url = TestPaths.fixtures().appendingPathComponent("indices.npy")
        return ((try? NPY.read(contentsOf: url.path))?.doubles() ?? []).map { Int($0) }
    }()

    static func values(_ name: String) throws -> [[Double]] {
        let array = try NPY.read(contentsOf: TestPaths.fixtures().appendingPathComponent("\(name).npy").path)
        let leads = array.shape[0], kept = array.shape[1]
        let values = array.doubles()
        return (0..<leads).map { Array(values[($0 * kept)..<(($0 + 1) * kept)]) }
    }

    /// The record's samples at the kept positions, lead by lead.
    static func kept(_ record: Record) -> [[Double]] {
        (0..<record.leadCount).map { lead in indices.map { record.samples[lead * record.sampleCount + $0] } }
    }
}

/// The fixtures `<case>.npy` are SciPy's chain run from the correctly rounded filtfilt initial state
/// (see Fixtures/README.md), as the Signal library computes it.
/// Relative tolerance 1e-9 with an absolute floor of 1e-9 (outputs are z-scored, of order 1; the
/// floor covers values that cross zero, where a relative test alone means nothing).
func expectMatches(_ actual: [[Double]], _ expected: [[Double]], _ label: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(label): lead count", sourceLocation: sourceLocation)
    for (lead, (a, e)) in zip(actual, expected).enumerated() {
        if let mismatch = firstMismatch(a, e, rtol: 1e-9, atol: 1e-9) {
            Issue.record("\(label) lead \(lead): \(mismatch)", sourceLocation: sourceLocation)
        }
    }
}

@Test(arguments: [("A0001", "ecg12/cpsc2018/A0001"), ("HR00001", "ecg12/ptbxl/HR00001"),
                  ("S0001", "ecg12/ptb/S0001"), ("00001_lr", "ecg12/ptbxl/records100/00000/00001_lr")])
func referenceChainMatchesSciPy(name: String, path: String) throws {
    #expect(PipelineFixture.indices.count == 392)
    let record = try RecordLoader.load(TestPaths.shared(path).path)
    let result = try record.preprocessed(mains: 50)
    #expect(result.leadCount == 12 && result.sampleCount == 5000 && result.samplingRate == 500)
    expectMatches(PipelineFixture.kept(result), try PipelineFixture.values(name), name)
    // Plain SciPy starts filtfilt from its LU-solved lfilter_zi, which for the 0.5 Hz edge has ~3
    // correct digits: it differs from the exact-zi chain by up to 1.24e-5 (largest near the ends).
    if ["A0001", "HR00001", "S0001"].contains(name) {
        let plain = try PipelineFixture.values("\(name).scipy")
        let kept = PipelineFixture.kept(result)
        for lead in 0..<12 { #expect(maxAbsDifference(kept[lead], plain[lead]) < 2e-5, "\(name) lead \(lead) vs plain SciPy") }
    }
    if record.samplingRate != 500 {
        let resampled = try record.resampled(to: 500)
        expectMatches(PipelineFixture.kept(resampled), try PipelineFixture.values("\(name).resampled"), "\(name) resampled")
    }
}

@Test func secondOrderSectionsAndSixtyHertzMatchSciPy() throws {
    let record = try RecordLoader.load(TestPaths.shared("ecg12/ptbxl/HR00001").path)
    var options = PreprocessingOptions(mains: 60)
    options.method = .sosfiltfilt
    expectMatches(PipelineFixture.kept(try record.preprocessed(options)), try PipelineFixture.values("HR00001_sos_60Hz"), "sos 60 Hz")
}

@Test func aShortRecordIsZeroPaddedBeforeFilteringAsInTheReference() throws {
    let record = try RecordLoader.load(TestPaths.shared("ecg12/cpsc2018_extra/Q0007").path).croppedOrPadded(to: 3000)
    expectMatches(PipelineFixture.kept(try record.preprocessed(mains: 50)), try PipelineFixture.values("Q0007_short"), "Q0007 short")
}

@Test func everyStepIsRecordedWithItsParameters() throws {
    let record = try RecordLoader.load(TestPaths.shared("ecg12/ptb/S0001").path)
    let result = try record.preprocessed(mains: 50)
    #expect(result.provenance.map(\.description) == [
        "sanitize(replaced=0)",
        "resample(from=1000, to=500, up=1, down=2)",
        "crop-or-pad(length=5000, from=19200)",
        "bandpass(low=0.5, high=40, order=4, method=filtfilt)",
        "notch(frequency=50, quality=30)",
        "zscore(epsilon=1e-08)",
    ])
    // Step by step gives the very same numbers as the chain.
    let stepwise = try record.sanitized().resampled(to: 500).croppedOrPadded(to: 5000).bandpass().notch().zscore()
    #expect(stepwise == result)
    // A 500 Hz record is not resampled; its fused sanitize + crop pass equals the steps too.
    let raw = try RecordLoader.load(TestPaths.shared("ecg12/cpsc2018/A0001").path)
    let a0001 = try raw.preprocessed(mains: 60)
    #expect(a0001 == (try raw.sanitized().croppedOrPadded(to: 5000).bandpass().notch(frequency: 60).zscore()))
    let bad = recordWithBadValues(samples: 6000)
    #expect(try bad.preprocessed() == (try bad.sanitized().croppedOrPadded(to: 5000).bandpass().notch().zscore()))
    #expect(try bad.preprocessed().provenance.first?.description == "sanitize(replaced=6001)")
    #expect(!a0001.provenance.contains { $0.name == "resample" })
    #expect(a0001.provenance[3].description == "notch(frequency=60, quality=30)")
}

@Test func parallelLeadGroupsGiveIdenticalResults() throws {
    let record = try RecordLoader.load(TestPaths.shared("ecg12/cpsc2018/A0001").path)
    var parallel = PreprocessingOptions.reference
    parallel.parallelLeads = true
    #expect(try record.preprocessed(parallel).samples == (try record.preprocessed().samples))
    var sos = parallel
    sos.method = .sosfiltfilt
    var sosSerial = sos
    sosSerial.parallelLeads = false
    #expect(try record.preprocessed(sos).samples == (try record.preprocessed(sosSerial).samples))
}

/// Pearson correlation of two equal-length series.
func correlation(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) {
        sxy += (a - mx) * (b - my)
        sxx += (a - mx) * (a - mx)
        syy += (b - my) * (b - my)
    }
    return sxy / (sxx * syy).squareRoot()
}

@Test func ptbxlHundredHertzFileResampledTo500MatchesThe500HertzCopy() throws {
    // shared/data README: 00001_lr (100 Hz) and HR00001 (500 Hz) are the same ECG; HR00001 decimated by
    // 5 correlates 0.95-0.996 per lead with it. Upsampled by resample_poly the per-lead correlation with
    // HR00001 is 0.953-0.995 (SciPy gives the same); require >= 0.95 per lead and >= 0.97 on average.
    let low = try RecordLoader.load(TestPaths.shared("ecg12/ptbxl/records100/00000/00001_lr").path).resampled(to: 500)
    let high = try RecordLoader.load(TestPaths.shared("ecg12/ptbxl/HR00001").path)
    #expect(low.sampleCount == 5000 && high.sampleCount == 5000)
    let correlations = (0..<12).map { correlation(low.lead($0), high.lead($0)) }
    #expect(correlations.allSatisfy { $0 >= 0.95 }, "\(correlations)")
    #expect(correlations.reduce(0, +) / 12 >= 0.97, "\(correlations)")
}

@Test func resamplingFactorsAreTheReducedRatio() throws {
    #expect(try ResamplingRatio.factors(from: 1000, to: 500).up == 1 && ResamplingRatio.factors(from: 1000, to: 500).down == 2)
    #expect(try ResamplingRatio.factors(from: 100, to: 500).up == 5 && ResamplingRatio.factors(from: 100, to: 500).down == 1)
    #expect(try ResamplingRatio.factors(from: 360, to: 500).up == 25 && ResamplingRatio.factors(from: 360, to: 500).down == 18)
    #expect(try ResamplingRatio.factors(from: 128.5, to: 500).up == 1000 && ResamplingRatio.factors(from: 128.5, to: 500).down == 257)
    #expect { try ResamplingRatio.factors(from: 257.3, to: 500.001) } throws: { "\($0)".contains("factors above 10000") }
    let mitbih = try RecordLoader.load(TestPaths.shared("wfdb/sample-data/100").path)
    let resampled = try mitbih.resampled(to: 500)
    #expect(resampled.sampleCount == (650_000 * 25 + 17) / 18)
    #expect(resampled.provenance.last?.description == "resample(from=360, to=500, up=25, down=18)")
}

/// A small synthetic record: lead 0 a 10 Hz sine, lead 1 all NaN, lead 2 with an infinity.
func recordWithBadValues(samples: Int = 1000) -> Record {
    var values = (0..<samples).map { sin(2 * Double.pi * 10 * Double($0) / 500) }
    values += Array(repeating: .nan, count: samples)
    values += (0..<samples).map { $0 == 7 ? .infinity : Double($0 % 50) }
    return Record(name: "bad", samplingRate: 500, leadNames: ["I", "II", "III"], units: ["mV", "mV", "mV"],
                  samples: values, sampleCount: samples, source: "test", sourceFormat: "synthetic")
}

@Test func nonFiniteValuesBecomeZeroAndANaNLeadScoresZero() throws {
    let record = recordWithBadValues()
    let clean = record.sanitized()
    #expect(clean.provenance.last?.description == "sanitize(replaced=1001)")
    #expect(clean.lead(1).allSatisfy { $0 == 0 })
    #expect(clean.samples[2 * 1000 + 7] == 0)
    let result = try record.preprocessed(mains: 50)
    let finite = result.samples.allSatisfy { $0.isFinite }
    #expect(finite)
    #expect(result.lead(1).allSatisfy { $0 == 0 })
    // Lead 0 is z-scored: mean 0, population std 1 (up to the 1e-8 offset).
    let lead = Array(result.lead(0))
    let mean = lead.reduce(0, +) / Double(lead.count)
    let std = (lead.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lead.count)).squareRoot()
    #expect(abs(mean) < 1e-12 && abs(std - 1) < 1e-7)
}

@Test func badParametersGiveClearErrors() throws {
    let record = recordWithBadValues().sanitized()
    func message(_ body: () throws -> Record) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }
    #expect(message { try record.bandpass(low: 0.5, high: 300) } == "bandpass: high cut 300 Hz is above Nyquist (250 Hz) at 500 Hz sampling; it must be below")
    #expect(message { try record.bandpass(low: 0.5, high: 250) } == "bandpass: high cut 250 Hz equals Nyquist (250 Hz) at 500 Hz sampling; it must be below")
    #expect(message { try record.bandpass(low: 0, high: 40) } == "bandpass: low cut must be positive, got 0 Hz")
    #expect(message { try record.bandpass(low: 40, high: 0.5) } == "bandpass: low cut 40 Hz must be below high cut 0.5 Hz")
    #expect(message { try record.bandpass(order: 0) } == "bandpass: order must be between 1 and 20, got 0")
    #expect(message { try record.notch(frequency: 0) } == "notch: frequency must be positive, got 0 Hz")
    #expect(message { try record.notch(frequency: 300) } == "notch: frequency 300 Hz is not below Nyquist (250 Hz) at 500 Hz sampling")
    #expect(message { try record.notch(quality: -1) } == "notch: quality must be positive, got -1")
    #expect(message { try record.resampled(to: 0) } == "resample: target rate must be a positive number of Hz, got 0")
    #expect(message { try record.croppedOrPadded(to: 0) } == "crop-or-pad: length must be positive, got 0")
    let short = try record.croppedOrPadded(to: 20)
    #expect(message { try short.bandpass() } == "bandpass: bad has 20 samples; forward-backward filtering needs more than 27")
    #expect(message { try short.croppedOrPadded(to: 9).notch() } == "notch: bad has 9 samples; forward-backward filtering needs more than 9")
    #expect(message { try short.croppedOrPadded(to: 10).notch() } == "no error")
    // The 100 Hz PTB-XL file cannot be band-passed at 0.5-100 Hz without resampling first.
    let low = try RecordLoader.load(TestPaths.shared("ecg12/ptbxl/records100/00000/00001_lr").path)
    #expect(message { try low.bandpass(low: 0.5, high: 100) } == "bandpass: high cut 100 Hz is above Nyquist (50 Hz) at 100 Hz sampling; it must be below")
    var options = PreprocessingOptions.reference
    options.high = 300
    options.samplingRate = 500
    #expect(message { try record.preprocessed(options) }.hasPrefix("bandpass: high cut 300 Hz is above Nyquist (250 Hz)"))
}
