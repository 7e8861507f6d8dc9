// Helpers for the workspace tests: sample values of every kind and bitwise comparison of values
// (scratch folders and the external clients are in TestSupport).
import ECGKit
import Foundation
import TensorCore

enum WorkspaceSamples {
    static let session = SessionInfo(script: "seed 42\nx = 3.5\nr = synth(seed=1) -- ü\n", ecgsVersion: "0.1.0",
                                     ecgsBuild: "ecgs 0.1.0 (test build)", seed: 42,
                                     createdUTC: "2026-11-25T17:00:00Z")

    /// A 3-lead record whose samples include signed zero, a subnormal, huge and irrational values.
    static let record: Record = {
        let sampleCount = 700
        var samples = (0..<(3 * sampleCount)).map { (index: Int) -> Double in
            let wave: Double = sin(Double(index) * 0.037) * 1.7
            return wave + Double(index % 5) / 3
        }
        samples[0] = -0.0
        samples[1] = .leastNonzeroMagnitude
        samples[2] = 1.0e308
        samples[3] = -.pi
        return Record(name: "A0001", samplingRate: 257.5, leadNames: ["I", "aVR", "V6 ü"],
                      units: ["mV", "mV", "uV"], samples: samples, sampleCount: sampleCount,
                      source: "/data/wfdb/A0001.hea", sourceFormat: "wfdb/16",
                      comments: ["Age: 74", "Sex: Male", "Dx: 59118001,164884008"],
                      provenance: [ProcessingStep("bandpass", [.init("low", "0.5"), .init("high", "40"),
                                                                .init("order", "4")]),
                                   ProcessingStep("notch", [.init("f0", "50"), .init("q", "30")]),
                                   ProcessingStep("zscore")])
    }()

    /// Deterministic float32 values that are not all representable in fewer bits.
    static func tensor(_ shape: [Int], seed: Int) throws -> Tensor {
        let count = shape.reduce(1, *)
        return try Tensor(shape: shape, scalars: (0..<count).map { Float(sin(Double($0 * 7 + seed)) * 3) + 1e-7 * Float($0 % 13) })
    }

    /// One variable of every implemented kind, including nesting, empties and edge numbers.
    static func variables() throws -> [(name: String, value: WorkspaceValue)] {
        [
            ("x", .number(3.5)),
            ("negative_zero", .number(-0.0)),
            ("not_a_number", .number(.nan)),
            ("huge", .number(-1.7976931348623157e308)),
            ("greeting", .string("Grüße, ECG ❤️\nsecond line")),
            ("empty_text", .string("")),
            ("flag", .bool(true)),
            ("off", .bool(false)),
            ("nothing", .none),
            ("items", .list([.number(1), .string("two"), .list([.bool(false), .none, .list([])]),
                             .tensor(try tensor([2, 3], seed: 9))])),
            ("empty_list", .list([])),
            ("scalar_tensor", .tensor(Tensor(Float(2.25)))),
            ("vector", .tensor(try tensor([5], seed: 1))),
            ("windows", .tensor(try tensor([40, 3, 250], seed: 2))),
            ("empty_tensor", .tensor(try Tensor(shape: [0, 3], scalars: []))),
            ("record", .record(record)),
            ("records", .list([.record(record), .record(record.selectingLeads([2]))])),
        ]
    }
}

/// Whether two values are equal bit for bit (NaN equals NaN with the same payload).
func bitwiseEqual(_ a: WorkspaceValue, _ b: WorkspaceValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): x.bitPattern == y.bitPattern
    case (.string(let x), .string(let y)): x == y
    case (.bool(let x), .bool(let y)): x == y
    case (.none, .none): true
    case (.list(let x), .list(let y)): x.count == y.count && zip(x, y).allSatisfy { bitwiseEqual($0, $1) }
    case (.tensor(let x), .tensor(let y)):
        x.shape == y.shape && x.scalars.map(\.bitPattern) == y.scalars.map(\.bitPattern)
    case (.record(let x), .record(let y)):
        x.samples.map(\.bitPattern) == y.samples.map(\.bitPattern) && x.sampleCount == y.sampleCount
            && x.name == y.name && x.samplingRate.bitPattern == y.samplingRate.bitPattern && x.leadNames == y.leadNames
            && x.units == y.units && x.source == y.source && x.sourceFormat == y.sourceFormat
            && x.comments == y.comments && x.provenance == y.provenance
    default: false
    }
}
