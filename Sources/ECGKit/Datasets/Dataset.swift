// Dataset: labelled records (and optionally their windows) with where they came from, filters by
// label or diagnosis, and a seeded train/validation split.
import Foundation
import TensorCore

/// A problem with a dataset request, e.g. `ecg12/empty: no records (.hea or .npy files) in this folder`
/// or `split: validation fraction must be in [0, 1), got 1.5`.
public struct DatasetError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The folder, file or operation concerned.
    public var subject: String
    /// What was wrong and what was expected.
    public var message: String

    /// An error about `subject`.
    public init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}

/// A train/validation split of a dataset's records (indices into `records`, each list ascending).
public struct DatasetSplit: Sendable, Equatable {
    /// Seed of the `RandomStream(seed:stream: "split")` that permuted the records.
    public var seed: UInt64
    /// Requested share of validation records.
    public var validationFraction: Double
    /// Indices of the training records.
    public var training: [Int]
    /// Indices of the validation records.
    public var validation: [Int]
}

/// Records with one label each (0 normal, 1 anomalous, nil unknown), their diagnoses, a description of
/// the source and, once made, a split and windows.
public struct Dataset: Sendable {
    /// Where the records came from, e.g. `folder ecg12/cpsc2018 (labels from #Dx)`.
    public var source: String
    /// The records, `samples: [L, T]` each.
    public var records: [Record]
    /// One per record: 0 normal, 1 anomalous, nil unknown.
    public var labels: [Int?]
    /// One list per record: Challenge `#Dx` codes, or PTB-XL SCP codes followed by their diagnostic
    /// superclasses (NORM, MI, STTC, CD, HYP); empty when unknown.
    public var diagnoses: [[String]]
    /// Files that were skipped while loading, `path: reason` (only with `skipUnreadable`, or PTB-XL
    /// records missing from the database).
    public var skipped: [String]
    /// Set by `split(validationFraction:seed:)`; cleared by filters, which change the indices.
    public var split: DatasetSplit?
    /// Set by `windowed(length:stride:layout:)`.
    public var windowSet: WindowSet?

    /// - Precondition: `labels` and `diagnoses` (when not empty) have one entry per record.
    public init(source: String, records: [Record], labels: [Int?]? = nil, diagnoses: [[String]]? = nil,
                skipped: [String] = []) {
        let labels = labels ?? Array(repeating: nil, count: records.count)
        let diagnoses = diagnoses ?? Array(repeating: [], count: records.count)
        precondition(labels.count == records.count && diagnoses.count == records.count,
                     "Dataset: one label and one diagnosis list per record")
        self.source = source
        self.records = records
        self.labels = labels
        self.diagnoses = diagnoses
        self.skipped = skipped
    }

    /// Number of records.
    public var count: Int { records.count }
    /// Record names, in order.
    public var names: [String] { records.map(\.name) }
    /// How many records are labelled normal (0), anomalous (1) and unknown (nil).
    public var labelCounts: (normal: Int, anomalous: Int, unknown: Int) {
        (labels.filter { $0 == 0 }.count, labels.filter { $0 == 1 }.count, labels.filter { $0 == nil }.count)
    }

    /// The records at `indices`, in that order, with their labels and diagnoses (no split, no windows).
    public func subset(_ indices: [Int], source newSource: String? = nil) -> Dataset {
        Dataset(source: newSource ?? source, records: indices.map { records[$0] }, labels: indices.map { labels[$0] },
                diagnoses: indices.map { diagnoses[$0] })
    }

    // MARK: Filters

    /// The records matching `criterion`, compared case-insensitively:
    /// `"normal"` (label 0), `"abnormal"` or `"anomalous"` (label 1), `"unlabelled"` / `"unknown"`
    /// (no label), or a diagnosis code that must be among the record's diagnoses: `"NORM"` keeps PTB-XL
    /// records whose diagnostic superclasses include NORM (the reference training selection), `"AF"`
    /// or `"426783006"` Challenge records with that `#Dx` entry. The split and windows are dropped.
    /// - Throws: `DatasetError` when the criterion is a code no record has (most likely a typo).
    public func filtered(where criterion: String) throws -> Dataset {
        let key = criterion.trimmingCharacters(in: .whitespaces).lowercased()
        let keep: [Int]
        switch key {
        case "normal": keep = labels.indices.filter { labels[$0] == 0 }
        case "abnormal", "anomalous": keep = labels.indices.filter { labels[$0] == 1 }
        case "unlabelled", "unlabeled", "unknown": keep = labels.indices.filter { labels[$0] == nil }
        default:
            keep = diagnoses.indices.filter { diagnoses[$0].contains { $0.lowercased() == key } }
            if keep.isEmpty {
                let known = Set(diagnoses.flatMap { $0 }).sorted().prefix(12)
                throw DatasetError("filter '\(criterion)'", "no record has this diagnosis; use 'normal', 'abnormal', 'unlabelled' or a diagnosis code"
                                   + (known.isEmpty ? "" : " such as \(known.joined(separator: ", "))"))
            }
        }
        return subset(keep, source: "\(source) where \(criterion)")
    }

    /// The records whose label is `label` (0, 1, or nil for unknown).
    public func filtered(label: Int?) -> Dataset {
        subset(labels.indices.filter { labels[$0] == label }, source: "\(source) where label = \(label.map(String.init) ?? "unknown")")
    }

    // MARK: Split

    /// A seeded random split: the records are permuted with `RandomStream(seed: seed, stream: "split")`
    /// (`permutation(count)`, a Fisher-Yates shuffle), the first `ceil(validationFraction * count)` of the
    /// permutation form the validation set (rounding up like scikit-learn's `train_test_split`), the
    /// rest the training set; both index lists are sorted. The same seed and records give the same split
    /// on every platform. The reference uses 80/20 with seed 42.
    /// - Throws: `DatasetError` when the fraction is outside [0, 1) or the training set would be empty.
    public func split(validationFraction: Double = 0.2, seed: UInt64 = 42) throws -> Dataset {
        guard validationFraction >= 0, validationFraction < 1 else {
            throw DatasetError("split", "validation fraction must be in [0, 1), got \(validationFraction)")
        }
        let validationCount = Int((validationFraction * Double(count)).rounded(.up))
        guard count - validationCount > 0 else {
            throw DatasetError("split", "\(count) record(s) leave no training records at validation fraction \(validationFraction)")
        }
        var generator = RandomStream(seed: seed, stream: "split")
        let permutation = generator.permutation(count)
        var copy = self
        copy.split = DatasetSplit(seed: seed, validationFraction: validationFraction,
                                  training: permutation[validationCount...].sorted(),
                                  validation: permutation[..<validationCount].sorted())
        return copy
    }

    /// The training part of the split.
    /// - Throws: `DatasetError` when the dataset has not been split.
    public func trainingSet() throws -> Dataset {
        guard let split else { throw DatasetError("training set", "the dataset has not been split; call split(validationFraction:seed:) first") }
        return subset(split.training, source: "\(source), training part (seed \(split.seed))")
    }

    /// The validation part of the split.
    /// - Throws: `DatasetError` when the dataset has not been split.
    public func validationSet() throws -> Dataset {
        guard let split else { throw DatasetError("validation set", "the dataset has not been split; call split(validationFraction:seed:) first") }
        return subset(split.validation, source: "\(source), validation part (seed \(split.seed))")
    }

    // MARK: Whole-dataset record operations

    /// Every record reduced to the 12 standard leads in canonical order (the models' input).
    /// - Throws: `LeadOrderError` of the first record lacking a standard lead, naming the missing ones.
    public func requiringStandardLeads() throws -> Dataset {
        var copy = self
        copy.records = try records.map { try $0.requiringStandardLeads() }
        copy.windowSet = nil
        return copy
    }

    /// Every record through `Record.preprocessed(options)`, `workers` records at a time, with the same
    /// progress and cancellation hooks as loading (see `DatasetLoadOptions`).
    public func preprocessed(_ options: PreprocessingOptions = .reference, workers: Int = 1,
                             progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                             checkCancellation: (() throws -> Void)? = nil) throws -> Dataset {
        var copy = self
        copy.records = try runInBatches(records, workers: workers, progress: progress, checkCancellation: checkCancellation) {
            try $0.preprocessed(options)
        }
        copy.windowSet = nil
        return copy
    }
}

/// `inputs.map(transform)` in batches of `workers` concurrent jobs; between batches, on the calling
/// thread, reports `progress(done, total)` and calls `checkCancellation`, whose error stops the work
/// and propagates.
func runInBatches<Input: Sendable, Output: Sendable>(_ inputs: [Input], workers: Int,
                                                     progress: ((Int, Int) -> Void)?, checkCancellation: (() throws -> Void)?,
                                                     _ transform: @escaping @Sendable (Input) throws -> Output) throws -> [Output] {
    let batch = max(1, workers)
    var outputs: [Output] = []
    outputs.reserveCapacity(inputs.count)
    var start = 0
    while start < inputs.count {
        try checkCancellation?()
        let end = min(inputs.count, start + batch)
        outputs += try concurrentMap(Array(inputs[start..<end]), transform)
        start = end
        progress?(start, inputs.count)
    }
    return outputs
}
