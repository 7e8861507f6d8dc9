// RecordValue: one ECG record as a value of the language — summary, fields, lead indexing.
// `show` (header and Unicode preview) is in RecordValue+Printing.swift.
import ECGKit
import Foundation
import Script
import Signal
import TensorCore

/// An ECG record in the language: what `load`, `bandpass`, `preprocess` … return.
///
/// Records are immutable values; every processing command returns a new record with one more
/// provenance step. A record taken from a dataset keeps the dataset's label and diagnoses.
public struct RecordValue: ScriptObject {
    /// The wrapped record, `samples: [L, T]`.
    public var record: Record
    /// 0 normal, 1 abnormal, nil unknown.
    public var label: Int?
    /// Diagnosis codes (Challenge `#Dx` codes or PTB-XL statements); empty when unknown.
    public var diagnoses: [String]

    /// A record with its label and diagnoses; without them they come from the header's `#Dx` line.
    public init(_ record: Record, label: Int? = nil, diagnoses: [String]? = nil) {
        self.record = record
        self.diagnoses = diagnoses ?? ChallengeDiagnosis.codes(record) ?? []
        self.label = label ?? (diagnoses == nil ? ChallengeDiagnosis.label(record) : nil)
    }

    /// `record`: what `type(r)` returns and `help record` documents.
    public var typeName: String { "record" }

    /// `record A3794  12 leads x 5000 samples @ 500 Hz (10.0 s)  units: mV`.
    public var summary: String {
        let leads = record.leadCount == 1 ? "1 lead" : "\(record.leadCount) leads"
        return "record \(record.name)  \(leads) x \(record.sampleCount) samples @ \(formatNumber(record.samplingRate)) Hz "
            + "(\(String(format: "%.1f", record.duration)) s)  units: \(unitsDescription)"
    }

    /// `mV`, `none` when unit-less, or the distinct units joined by `/`.
    var unitsDescription: String {
        let distinct = record.units.enumerated().filter { record.units.firstIndex(of: $0.element) == $0.offset }.map(\.element)
        let named = distinct.map { $0.isEmpty ? "none" : $0 }
        return named.isEmpty ? "none" : named.joined(separator: "/")
    }

    /// `[12, 5000]`: leads by samples.
    public var shapeDescription: String { "[\(record.leadCount), \(record.sampleCount)]" }

    /// The samples as the record holds them: 8 bytes each (double precision).
    public var byteCount: Int { record.samples.count * MemoryLayout<Double>.size }

    /// The number of leads.
    public var length: Int? { record.leadCount }

    /// The fields `r.<TAB>` completes.
    public var fieldNames: [String] {
        ["signal", "fs", "leads", "duration", "samples", "name", "source", "format", "units", "provenance",
         "comments", "warnings", "label", "diagnoses", "heart_rate"]
    }

    /// See `help record` for each field.
    public func field(named name: String) throws -> Value {
        switch name {
        case "signal": return .object(TensorValue(signalTensor()))
        case "fs": return .number(record.samplingRate)
        case "leads": return .list(record.leadNames.map { .string($0) })
        case "duration": return .number(record.duration)
        case "samples": return .number(Double(record.sampleCount))
        case "name": return .string(record.name)
        case "source": return .string(record.source)
        case "format": return .string(record.sourceFormat)
        case "units": return .list(record.units.map { .string($0) })
        case "provenance": return .list(record.provenance.map { .string($0.description) })
        case "comments": return .list(record.comments.map { .string($0) })
        case "warnings": return .list(record.warnings.map { .string($0) })
        case "label": return label.map { .number(Double($0)) } ?? .none
        case "diagnoses": return .list(diagnoses.map { .string($0) })
        case "heart_rate": return heartRate().map(Value.number) ?? .none
        default: throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
        }
    }

    /// `r[0]` (lead by position, negative from the end) or `r["II"]` (by name, case-insensitive):
    /// that lead as a 1-D tensor [T]. A second subscript slices the samples: `r["II", 0:500]`.
    public func index(_ subscripts: [Subscript]) throws -> Value {
        guard let first = subscripts.first else { throw ScriptError("record index needs a lead") }
        guard subscripts.count <= 2 else {
            throw ScriptError("record takes at most 2 subscripts (lead, samples), got \(subscripts.count)")
        }
        let lead: Int
        switch first {
        case .index(let position): lead = try leadIndex(.number(Double(position)))
        case .key(let name): lead = try leadIndex(.string(name))
        case .slice:
            throw ScriptError("a record's first subscript is one lead (a number or a name); use leads(r, [...]) for several")
        }
        let tensor = TensorValue(Tensor(record.lead(lead).map(Float.init)))
        return subscripts.count == 2 ? try tensor.index([subscripts[1]]) : .object(tensor)
    }

    /// The lead index for a name (case-insensitive) or a position (negative from the end).
    func leadIndex(_ value: Value) throws -> Int {
        switch value {
        case .string(let name):
            if let found = record.leadNames.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
                return found
            }
            var message = "no lead '\(name)' in record \(record.name)"
            if let suggestion = nearestName(to: name, in: record.leadNames) { message += "; did you mean '\(suggestion)'?" }
            throw ScriptError(message + " (leads: \(record.leadNames.joined(separator: ", ")))")
        case .number(let number) where number == number.rounded() && abs(number) < 1e9:
            let position = Int(number)
            guard position >= -record.leadCount, position < record.leadCount else {
                throw ScriptError("lead \(position) out of range for a record of \(record.leadCount) leads")
            }
            return position < 0 ? position + record.leadCount : position
        default:
            throw ScriptError("a lead is a name such as \"II\" or a position such as 1, got \(value.typeName)")
        }
    }

    /// Equal when the records (samples, rates, names, provenance) and labels are equal.
    public func isEqual(to other: any ScriptObject) -> Bool {
        guard let other = other as? RecordValue else { return false }
        return other.record == record && other.label == label
    }

    /// `[L, T]` float32 copy of the samples.
    func signalTensor() -> Tensor {
        let values = record.samples.map(Float.init)
        return (try? Tensor(shape: [record.leadCount, record.sampleCount], scalars: values)) ?? Tensor(values)
    }

    /// Beats per minute from the R peaks of lead II (the first lead without one) found by the
    /// Pan-Tompkins-style `RPeakDetector`, which follows QRS complexes of either polarity (the
    /// reference dashboard's plain `find_peaks(distance=0.4 s)` counts T waves when the QRS in
    /// lead II is negative); nil when fewer than two beats are found.
    func heartRate() -> Double? {
        guard record.leadCount > 0, record.sampleCount > 0 else { return nil }
        let lead = record.leadNames.firstIndex { $0.caseInsensitiveCompare("II") == .orderedSame } ?? 0
        guard let peaks = try? RPeakDetector(samplingRate: record.samplingRate).detect(Array(record.lead(lead))) else {
            return nil
        }
        let rate = Peaks.heartRate(peaks: peaks, samplingRate: record.samplingRate)
        return rate.isFinite ? rate : nil
    }
}
