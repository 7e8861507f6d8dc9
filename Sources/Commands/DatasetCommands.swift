// Dataset commands (topic `dataset`): dataset split synth, and the `help dataset` documentation.
import ECGKit
import Foundation
import Script
import TensorCore

func datasetCommandSpecs() -> [CommandSpec] {
    [
        CommandSpec(
            name: "dataset", topic: "dataset", summary: "Read labelled ECG records from a folder, a labels CSV or PTB-XL.",
            details: """
                A folder holding ptbxl_database*.csv and scp_statements.csv is read as PTB-XL (below it too),
                labelled from the SCP statements by rule: "norm" calls a record normal when NORM is among its
                diagnostic superclasses (the reference training selection), "only-norm" when NORM is its only
                superclass, "strict" when all its statements are NORM or SR. Another folder: its .hea and .npy
                records (below it too with recursive=true), labelled by a labels CSV given as labels= (columns
                record, label) or else by Challenge '#Dx' header lines (sinus rhythm alone is normal).
                A .csv path: the records it lists, relative to its folder.
                where= keeps "normal", "abnormal", "unlabelled" or records with a diagnosis code ("NORM", "AF").
                preprocess=true runs the reference chain on each record as it is read (see 'help preprocess').
                Progress is shown while reading; Ctrl-C stops and leaves the session unchanged.
                """,
            example: "d = dataset(\"ecg12/cpsc2018\")\nnormal = dataset(\"ecg12/ptbxl\", where=\"NORM\")\nd = dataset(\"labels.csv\")",
            parameters: [
                Parameter("path", .path(extensions: ["csv"]), .required, "folder, PTB-XL folder or labels CSV"),
                Parameter("where", .any, .optional(defaultValue: .none), "keep only these records"),
                Parameter("labels", .any, .optional(defaultValue: .none), "labels CSV for a folder"),
                Parameter("recursive", .bool, .optional(defaultValue: .bool(false)), "read sub-folders too"),
                Parameter("preprocess", .bool, .optional(defaultValue: .bool(false)), "run the reference chain on each record"),
                Parameter("fs", .number, .optional(defaultValue: .number(500)), "sampling rate of .npy files (Hz)"),
                Parameter("rule", .choice(["norm", "only-norm", "strict"]), .optional(defaultValue: .string("norm")),
                          "when a PTB-XL record is normal"),
            ],
            returns: "dataset",
            handler: { arguments, interpreter in try readDataset(arguments, interpreter) }),
        CommandSpec(
            name: "split", topic: "dataset", summary: "A seeded random train/validation split of a dataset.",
            details: """
                The records are shuffled with a seed (by default drawn from the session seed, so a replayed
                script splits the same way) and the first ceil(val * n) form d.val, the rest d.train.
                """,
            example: "d = split(d, val=0.2)\nd |> split(0.25, seed=42)",
            parameters: [
                Parameter("d", .object("dataset"), .required, "the dataset"),
                Parameter("val", .number, .optional(defaultValue: .number(0.2)), "validation share, 0 to below 1"),
                Parameter("seed", .any, .optional(defaultValue: .none), "seed of the shuffle (none: from the session)"),
            ],
            returns: "dataset",
            handler: { arguments, interpreter in
                let value = try arguments.object("d", as: DatasetValue.self)
                let fraction = try arguments.number("val")
                guard fraction >= 0, fraction < 1 else {
                    throw ScriptError("val must be a share from 0 to below 1, got \(formatNumber(fraction))", argument: "val")
                }
                let seed = try seedOrSessionSeed(arguments, interpreter)
                do {
                    var result = value
                    result.dataset = try value.dataset.split(validationFraction: fraction, seed: seed)
                    return .object(result)
                } catch let error as DatasetError {
                    throw ScriptError(error.message, argument: "val")
                }
            }),
        CommandSpec(
            name: "synth", topic: "dataset", summary: "A dataset of synthetic 12-lead ECGs, normal or with chosen anomalies.",
            details: """
                Each record is 10 s at 500 Hz in mV from a dipole model with heart-rate variability. With
                anomalies (a list of names, or "all"), a share 'abnormal' of the records (chosen at random)
                get one anomaly each, cycling through the list; they are labelled 1 and their diagnosis is
                the anomaly's name. The rest are normal (label 0). Anomalies: \(SyntheticAnomaly.allCases.map(\.rawValue).joined(separator: ", ")).
                The seed defaults to one drawn from the session seed.
                """,
            example: "normal = synth(100)\ntest = synth(20, anomalies=[\"st-elevation\", \"pvc\"], seed=7)",
            parameters: [
                Parameter("n", .integer, .required, "number of records"),
                Parameter("anomalies", .oneOf([.string, .list]), .optional(defaultValue: .string("none")),
                          "anomaly names, \"all\" or \"none\""),
                Parameter("abnormal", .number, .optional(defaultValue: .number(0.5)), "share of abnormal records"),
                Parameter("seed", .any, .optional(defaultValue: .none), "seed (none: from the session)"),
                Parameter("duration", .number, .optional(defaultValue: .number(10)), "seconds per record"),
            ],
            returns: "dataset",
            handler: { arguments, interpreter in try synthesise(arguments, interpreter) }),
    ]
}

/// `dataset(...)`: PTB-XL, labels CSV or folder, then the `where` filter.
private func readDataset(_ arguments: CallArguments, _ interpreter: Interpreter) throws -> Value {
    let given = try arguments.string("path")
    let path = interpreter.resolveSourcePath(given)
    let fs = try arguments.number("fs")
    guard fs > 0, fs.isFinite else {
        throw ScriptError("sampling rate must be a positive number of Hz, got \(formatNumber(fs))", argument: "fs")
    }
    let progress = ProgressReporter(output: interpreter.output, label: "dataset", unit: "records")
    defer { progress.finish() }
    var options = DatasetLoadOptions(
        preprocessing: try arguments.bool("preprocess") ? PreprocessingOptions.reference : nil,
        workers: recordWorkers,
        progress: { progress.update(done: $0, total: $1) },
        checkCancellation: { try interpreter.interruption.check() })
    options.samplingRate = fs
    let recursive = try arguments.bool("recursive")
    let labelsPath: String?
    switch arguments["labels"] {
    case .none: labelsPath = nil
    case .string(let text): labelsPath = interpreter.resolveSourcePath(text)
    case let other: throw ScriptError("labels must be the path of a labels CSV, got \(other.typeName)", argument: "labels")
    }

    let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    var dataset: Dataset
    do {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            guard (path as NSString).pathExtension.lowercased() == "csv" else {
                throw ScriptError("'\(given)' is a file; a dataset is read from a folder, a PTB-XL folder or a labels "
                                  + "CSV (load reads one record)", argument: "path")
            }
            dataset = try Dataset.labelsFile(path, options: options)
        } else if exists, let tables = ptbxlTables(in: path) {
            let rule = PTBXLAnnotation.Rule(rawValue: try arguments.string("rule")) ?? .includesNorm
            dataset = try Dataset.ptbxl(path, database: tables.database, statements: tables.statements, rule: rule,
                                        options: options)
        } else if let labelsPath {
            let table = try LabelTable(csv: URL(fileURLWithPath: labelsPath))
            dataset = try Dataset.folder(path, recursive: recursive, labels: .table(table), options: options)
        } else {
            dataset = try Dataset.folder(path, recursive: recursive, labels: .challengeDx, options: options)
        }
    } catch let error as ScriptError {
        throw error
    } catch let error as Interrupted {
        throw error
    } catch let error as LabelError {
        throw ScriptError(error.description, argument: arguments.isGiven("labels") ? "labels" : "path")
    } catch {
        throw ScriptError(String(describing: error), argument: "path")
    }

    switch arguments["where"] {
    case .none: break
    case .string(let criterion):
        do {
            dataset = try dataset.filtered(where: criterion)
        } catch let error as DatasetError {
            throw ScriptError(error.description, argument: "where")
        }
    case let other:
        throw ScriptError("where must be \"normal\", \"abnormal\", \"unlabelled\" or a diagnosis code, got \(other.typeName)",
                          argument: "where")
    }
    return .object(DatasetValue(dataset, name: name))
}

/// The PTB-XL tables in `folder`: `ptbxl_database*.csv` (the full file or a subset) and `scp_statements.csv`.
private func ptbxlTables(in folder: String) -> (database: String, statements: String)? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    guard names.contains("scp_statements.csv"),
          let database = names.filter({ $0.hasPrefix("ptbxl_database") && $0.hasSuffix(".csv") }).sorted().first
    else { return nil }
    return ((folder as NSString).appendingPathComponent(database), (folder as NSString).appendingPathComponent("scp_statements.csv"))
}

/// `synth(...)`: generates the records, choosing the abnormal ones and their anomalies from the seed.
private func synthesise(_ arguments: CallArguments, _ interpreter: Interpreter) throws -> Value {
    let count = try arguments.integer("n")
    guard count > 0 else { throw ScriptError("n must be at least 1, got \(count)", argument: "n") }
    guard count <= 100_000 else { throw ScriptError("n must be at most 100000, got \(count)", argument: "n") }
    let kinds = try anomalyKinds(arguments["anomalies"])
    let share = try arguments.number("abnormal")
    guard share >= 0, share <= 1 else {
        throw ScriptError("abnormal must be a share from 0 to 1, got \(formatNumber(share))", argument: "abnormal")
    }
    let duration = try arguments.number("duration")
    guard duration >= 1, duration <= 600 else {
        throw ScriptError("duration must be from 1 to 600 s, got \(formatNumber(duration))", argument: "duration")
    }
    let seed = try seedOrSessionSeed(arguments, interpreter)

    var chooser = RandomStream(seed: seed, stream: "synth-labels")
    let abnormalCount = kinds.isEmpty ? 0 : Int((share * Double(count)).rounded())
    var anomalyOf = [SyntheticAnomaly?](repeating: nil, count: count)
    for (order, index) in chooser.permutation(count).prefix(abnormalCount).sorted().enumerated() {
        anomalyOf[index] = kinds[order % kinds.count]
    }
    var options = SyntheticECGOptions()
    options.duration = duration
    let progress = ProgressReporter(output: interpreter.output, label: "synth", unit: "records")
    defer { progress.finish() }
    var records: [Record] = []
    for index in 0..<count {
        try interpreter.interruption.check()
        var stream = RandomStream(seed: seed, stream: "synth-\(index)")
        let anomalies = anomalyOf[index].map { [$0] } ?? []
        let ecg = SyntheticECGGenerator.generate(anomalies: anomalies, options: options, using: &stream)
        let sampleCount = ecg.signal.first?.count ?? 0
        records.append(Record(
            name: String(format: "synth%04d", index + 1), samplingRate: ecg.samplingRate, leadNames: canonicalLeadNames,
            units: canonicalLeadNames.map { _ in "mV" }, samples: ecg.signal.flatMap { $0 }, sampleCount: sampleCount,
            source: "synth(seed=\(seed), record=\(index + 1))", sourceFormat: "synthetic"))
        progress.update(done: index + 1, total: count)
    }
    let dataset = Dataset(source: "synth(n=\(count), seed=\(seed))", records: records,
                          labels: anomalyOf.map { $0 == nil ? 0 : 1 },
                          diagnoses: anomalyOf.map { $0.map { [$0.rawValue] } ?? [] })
    return .object(DatasetValue(dataset, name: "synth"))
}

/// The anomaly kinds of `anomalies=`: a list of names, "all", or "none"; unknown names get a suggestion.
private func anomalyKinds(_ value: Value) throws -> [SyntheticAnomaly] {
    let known = SyntheticAnomaly.allCases.map(\.rawValue)
    func kind(_ item: Value) throws -> SyntheticAnomaly {
        guard case .string(let name) = item else {
            throw ScriptError("anomalies are names such as \"st-elevation\", got \(item.typeName)", argument: "anomalies")
        }
        if let kind = SyntheticAnomaly(rawValue: name.lowercased()) { return kind }
        var message = "unknown anomaly \"\(name)\""
        if let suggestion = nearestName(to: name.lowercased(), in: known) { message += "; did you mean \"\(suggestion)\"?" }
        throw ScriptError(message + " (anomalies: \(known.joined(separator: ", ")), or \"all\" or \"none\")",
                          argument: "anomalies")
    }
    switch value {
    case .string(let text) where text.lowercased() == "none": return []
    case .string(let text) where text.lowercased() == "all": return SyntheticAnomaly.allCases
    case .string: return [try kind(value)]
    case .list(let items):
        var kinds: [SyntheticAnomaly] = []
        for item in items {
            let found = try kind(item)
            if !kinds.contains(found) { kinds.append(found) }
        }
        return kinds
    default:
        throw ScriptError("anomalies must be a list of names, \"all\" or \"none\"", argument: "anomalies")
    }
}

/// `help dataset`.
let datasetTopic = HelpTopic(name: "dataset", summary: "Labelled ECG records with an optional train/validation split.", text: """
    dataset: records with a label each (0 normal, 1 abnormal, none unknown) and diagnoses
    (dataset, synth, split). It prints as
    'dataset ptbxl  21 records (13 normal, 8 abnormal)  split 17/4'.
    Fields: d.size, d.names, d.labels, d.diagnoses (a list of codes per record), d.records
    (a list of records), d.train and d.val (the parts of a split dataset), d.windows (a
    tensor [N, 500, 12] of windows of every record, stride 250), d.source, d.skipped.
    Indexing: d[0] is the first record (with its label), d[-1] the last, d[0:10] a dataset
    of the first ten. len(d) is the number of records.
    preprocess(d) runs the reference chain on every record; windows(d, ...) cuts windows.
    show d prints a table of the records (at most 30 rows; longer datasets show the first
    and last 10). plot(d, "d.svg") draws its first records' lead II.
    """)
