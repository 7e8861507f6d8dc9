// DatasetValue: labelled records (and their split and windows) as a value of the language —
// summary, fields, indexing. `show` (a table of records) is in DatasetValue+Printing.swift.
import ECGKit
import Script
import TensorCore

/// A dataset in the language: what `dataset`, `synth`, `split`, `preprocess(d)` return.
public struct DatasetValue: ScriptObject {
    /// The wrapped dataset.
    public var dataset: Dataset
    /// The short name the summary shows: the folder or file name, `synth` …
    public var name: String

    /// Wraps `dataset` under a short display name.
    public init(_ dataset: Dataset, name: String) {
        self.dataset = dataset
        self.name = name
    }

    /// `dataset`: what `type(d)` returns and `help dataset` documents.
    public var typeName: String { "dataset" }

    /// `dataset ptbxl  21 records (13 normal, 8 abnormal)  split 17/4  windows 777 x [500, 12]`;
    /// the split and windows parts only when made, unlabelled records counted when present.
    public var summary: String {
        let counts = dataset.labelCounts
        var parts = ["\(counts.normal) normal", "\(counts.anomalous) abnormal"]
        if counts.unknown > 0 { parts.append("\(counts.unknown) unlabelled") }
        if counts.unknown == dataset.count { parts = ["unlabelled"] }
        let noun = dataset.count == 1 ? "record" : "records"
        var text = "dataset \(name)  \(dataset.count) \(noun) (\(parts.joined(separator: ", ")))"
        if let split = dataset.split { text += "  split \(split.training.count)/\(split.validation.count)" }
        if let windows = dataset.windowSet {
            text += "  windows \(windows.count) x " + describeShape(Array(windows.shape.dropFirst()))
        }
        return text
    }

    /// `[21]`: the number of records.
    public var shapeDescription: String { "[\(dataset.count)]" }

    /// The records' samples (8 bytes each, double precision) and the windows (4 bytes each, float32).
    public var byteCount: Int {
        let samples = dataset.records.reduce(0) { $0 + $1.samples.count }
        return samples * MemoryLayout<Double>.size + (dataset.windowSet?.values.count ?? 0) * MemoryLayout<Float>.size
    }

    /// The number of records.
    public var length: Int? { dataset.count }

    /// The fields `d.<TAB>` completes.
    public var fieldNames: [String] {
        ["size", "names", "labels", "diagnoses", "records", "train", "val", "windows", "source", "skipped"]
    }

    /// See `help dataset` for each field.
    public func field(named field: String) throws -> Value {
        switch field {
        case "size": return .number(Double(dataset.count))
        case "names": return .list(dataset.names.map { .string($0) })
        case "labels": return .list(dataset.labels.map { $0.map { .number(Double($0)) } ?? .none })
        case "diagnoses": return .list(dataset.diagnoses.map { .list($0.map { .string($0) }) })
        case "records": return .list(dataset.records.indices.map { .object(recordValue(at: $0)) })
        case "train": return .object(DatasetValue(try splitPart(training: true), name: name + ".train"))
        case "val": return .object(DatasetValue(try splitPart(training: false), name: name + ".val"))
        case "windows":
            let windows = try dataset.windowSet ?? dataset.windows()
            return .object(TensorValue(try Tensor(shape: windows.shape, scalars: windows.values)))
        case "source": return .string(dataset.source)
        case "skipped": return .list(dataset.skipped.map { .string($0) })
        default: throw ScriptError.noSuchField(field, typeName: typeName, available: fieldNames)
        }
    }

    /// The training or validation part; an error naming `split` when the dataset has none.
    private func splitPart(training: Bool) throws -> Dataset {
        guard dataset.split != nil else {
            throw ScriptError("dataset \(name) is not split; split it first: d = split(d, val=0.2)")
        }
        return try training ? dataset.trainingSet() : dataset.validationSet()
    }

    /// The record at `index` with its label and diagnoses.
    func recordValue(at index: Int) -> RecordValue {
        RecordValue(dataset.records[index], label: dataset.labels[index], diagnoses: dataset.diagnoses[index])
    }

    /// `d[i]`: record i (negative from the end); `d["A0001"]`: the record of that name;
    /// `d[a:b]`: those records as a dataset (no split).
    public func index(_ subscripts: [Subscript]) throws -> Value {
        guard subscripts.count == 1 else { throw ScriptError("dataset takes one subscript, got \(subscripts.count)") }
        switch subscripts[0] {
        case .index(let position):
            do {
                return .object(recordValue(at: try Subscript.resolve(index: position, count: dataset.count)))
            } catch {
                throw ScriptError("record \(position) out of range for a dataset of \(dataset.count) records")
            }
        case .slice(let start, let stop, let step):
            let positions = Array(try Subscript.resolve(start: start, stop: stop, step: step, count: dataset.count))
            return .object(DatasetValue(dataset.subset(positions), name: name))
        case .key(let recordName):
            guard let found = dataset.names.firstIndex(of: recordName) else {
                var message = "no record '\(recordName)' in this dataset"
                if let suggestion = nearestName(to: recordName, in: dataset.names) { message += "; did you mean '\(suggestion)'?" }
                throw ScriptError(message)
            }
            return .object(recordValue(at: found))
        }
    }

    /// Equal when the records, labels and split are equal.
    public func isEqual(to other: any ScriptObject) -> Bool {
        guard let other = other as? DatasetValue else { return false }
        return other.dataset.records == dataset.records && other.dataset.labels == dataset.labels
            && other.dataset.split == dataset.split
    }
}
