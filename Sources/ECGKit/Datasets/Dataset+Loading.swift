// Building datasets from disk: a folder of records, a labels CSV, PTB-XL with its annotation, or
// Challenge records labelled by their #Dx line; with progress, cancellation and parallel reading.
import Foundation

/// How records are read when a dataset is built.
///
/// Cancellation: `checkCancellation` is called on the calling thread before each batch of `workers`
/// records; when it throws, loading stops and that error propagates out of the builder: nothing is
/// returned, the records read so far are dropped. `progress(done, total)` is called after each batch.
public struct DatasetLoadOptions {
    /// Sampling rate assumed for `.npy` files, which carry none (Hz).
    public var samplingRate: Double = 500
    /// Applied to each record as soon as it is read (keeps memory at the preprocessed size); nil keeps
    /// the records as read.
    public var preprocessing: PreprocessingOptions?
    /// Reduce each record to the 12 standard leads in canonical order; a record lacking one stops
    /// loading with a `LeadOrderError` naming the missing leads (or is skipped with `skipUnreadable`).
    public var requireStandardLeads: Bool = false
    /// Skip files that cannot be read (listed in `Dataset.skipped` as `path: reason`) instead of failing.
    public var skipUnreadable: Bool = false
    /// Records read (and preprocessed) concurrently; 1 reads on the calling thread.
    public var workers: Int = 1
    /// Called on the calling thread after each batch with records done and the total.
    public var progress: ((_ done: Int, _ total: Int) -> Void)?
    /// Called on the calling thread before each batch; throw to stop loading.
    public var checkCancellation: (() throws -> Void)?

    /// Options; the defaults read raw records on the calling thread and fail on the first bad file.
    public init(preprocessing: PreprocessingOptions? = nil, workers: Int = 1, skipUnreadable: Bool = false,
                requireStandardLeads: Bool = false, samplingRate: Double = 500,
                progress: ((_ done: Int, _ total: Int) -> Void)? = nil, checkCancellation: (() throws -> Void)? = nil) {
        self.preprocessing = preprocessing
        self.workers = workers
        self.skipUnreadable = skipUnreadable
        self.requireStandardLeads = requireStandardLeads
        self.samplingRate = samplingRate
        self.progress = progress
        self.checkCancellation = checkCancellation
    }
}

/// Where the labels of a folder's records come from.
public enum FolderLabels: Sendable {
    /// No labels (all nil).
    case none
    /// PhysioNet/CinC Challenge `#Dx:` header lines (`ChallengeDiagnosis.label`): 0 for sinus rhythm
    /// alone (SNOMED 426783006, or CPSC's "Normal"), 1 otherwise, nil without a Dx line.
    case challengeDx
    /// A labels table, matched by record path relative to the folder or by record name.
    case table(LabelTable)
}

extension Dataset {
    /// Every record in `folder` (WFDB records by their `.hea` file, and `.npy` arrays), in path order,
    /// below it too when `recursive`. A `.table` label source is matched by the path relative to the
    /// folder without extension, then by record name.
    /// - Throws: `DatasetError` for a missing or empty folder; the first read error unless `skipUnreadable`.
    public static func folder(_ folder: String, recursive: Bool = false, labels: FolderLabels = .none,
                              options: DatasetLoadOptions = DatasetLoadOptions()) throws -> Dataset {
        let paths = try recordPaths(in: folder, recursive: recursive)
        var dataset = try records(at: paths, labels: labels, relativeTo: folder, options: options)
        dataset.source = "folder \(folder)\(recursive ? " (recursive)" : "")" + labelDescription(labels)
        return dataset
    }

    /// The records at `paths` (any form `RecordLoader.load` accepts), in that order. A `.table` label
    /// source is matched by the path (relative to `relativeTo` when given) without extension, then by
    /// record name.
    /// - Throws: the first read error unless `skipUnreadable`.
    public static func records(at paths: [String], labels: FolderLabels = .none, relativeTo base: String? = nil,
                               options: DatasetLoadOptions = DatasetLoadOptions()) throws -> Dataset {
        let loaded = try loadRecords(paths, options: options)
        var records: [Record] = [], labelList: [Int?] = [], diagnoses: [[String]] = []
        for (path, record) in zip(paths, loaded.records) {
            guard let record else { continue }
            records.append(record)
            diagnoses.append(ChallengeDiagnosis.codes(record) ?? [])
            switch labels {
            case .none: labelList.append(nil)
            case .challengeDx: labelList.append(ChallengeDiagnosis.label(record))
            case .table(let table):
                var key = path
                if let base, path.hasPrefix(base) { key = String(path.dropFirst(base.count).drop { $0 == "/" }) }
                if RecordLoader.knownExtensions.contains((key as NSString).pathExtension.lowercased()) {
                    key = (key as NSString).deletingPathExtension
                }
                labelList.append(table.label(for: key) ?? table.label(for: record.name))
            }
        }
        return Dataset(source: "\(paths.count) record file(s)" + labelDescription(labels), records: records,
                       labels: labelList, diagnoses: diagnoses, skipped: loaded.skipped)
    }

    static func labelDescription(_ labels: FolderLabels) -> String {
        switch labels {
        case .none: ""
        case .challengeDx: " (labels from #Dx)"
        case .table: " (labels from a table)"
        }
    }

    /// PhysioNet/CinC Challenge records in `folder` labelled by their `#Dx:` lines
    /// (`folder(_:recursive:labels: .challengeDx)`).
    public static func challenge(_ folder: String, recursive: Bool = false,
                                 options: DatasetLoadOptions = DatasetLoadOptions()) throws -> Dataset {
        try Dataset.folder(folder, recursive: recursive, labels: .challengeDx, options: options)
    }

    /// The records listed in a labels CSV (columns `record`, `label`; see `LabelTable`), in file order.
    /// Record paths are relative to `root`, or to the CSV's folder when `root` is nil, with or without
    /// extension (`ecg12/cpsc2018/A0001` finds `A0001.hea`).
    /// - Throws: `LabelError` for a bad CSV, `DatasetError` for an empty one, read errors unless `skipUnreadable`.
    public static func labelsFile(_ csv: String, root: String? = nil,
                                  options: DatasetLoadOptions = DatasetLoadOptions()) throws -> Dataset {
        let table = try LabelTable(csv: URL(fileURLWithPath: csv))
        guard !table.records.isEmpty else { throw DatasetError(csv, "the labels file lists no records") }
        let base = root ?? (csv as NSString).deletingLastPathComponent
        let paths = table.records.map { $0.hasPrefix("/") ? $0 : (base as NSString).appendingPathComponent($0) }
        let loaded = try loadRecords(paths, options: options)
        var records: [Record] = [], labels: [Int?] = [], diagnoses: [[String]] = []
        for (entry, record) in zip(table.records, loaded.records) {
            guard let record else { continue }
            records.append(record)
            labels.append(table.labels[entry])
            diagnoses.append(ChallengeDiagnosis.codes(record) ?? [])
        }
        return Dataset(source: "labels file \(csv)", records: records, labels: labels, diagnoses: diagnoses,
                       skipped: loaded.skipped)
    }

    /// PTB-XL records under `folder` (recursively: the Challenge copies `HR00001.hea` and the native
    /// `records100/00000/00001_lr.hea`, `records500/.../00001_hr.hea`), labelled from `ptbxl_database.csv`
    /// and `scp_statements.csv` with `rule` (see `PTBXLAnnotation.Rule`). Diagnoses are the record's SCP
    /// codes (sorted) followed by its diagnostic superclasses. Records whose ecg_id is not in the database
    /// are left out and listed in `skipped`. Both copies are kept when a folder holds two of one ECG.
    /// - Parameters:
    ///   - database, statements: the two CSV files; by default `folder/ptbxl_database.csv` and
    ///     `folder/scp_statements.csv`.
    public static func ptbxl(_ folder: String, database: String? = nil, statements: String? = nil,
                             rule: PTBXLAnnotation.Rule = .includesNorm,
                             options: DatasetLoadOptions = DatasetLoadOptions()) throws -> Dataset {
        let databasePath = database ?? (folder as NSString).appendingPathComponent("ptbxl_database.csv")
        let statementsPath = statements ?? (folder as NSString).appendingPathComponent("scp_statements.csv")
        for path in [databasePath, statementsPath] where !FileManager.default.fileExists(atPath: path) {
            throw DatasetError(path, "no such file (PTB-XL needs ptbxl_database.csv and scp_statements.csv)")
        }
        let annotation = try PTBXLAnnotation(database: URL(fileURLWithPath: databasePath),
                                             statements: URL(fileURLWithPath: statementsPath))
        var paths: [String] = [], skipped: [String] = []
        for path in try recordPaths(in: folder, recursive: true) {
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            if let id = PTBXLAnnotation.ecgID(recordName: name), annotation.codes[id] != nil {
                paths.append(path)
            } else {
                skipped.append("\(path): not a PTB-XL record listed in \((databasePath as NSString).lastPathComponent)")
            }
        }
        guard !paths.isEmpty else {
            throw DatasetError(folder, "no PTB-XL records listed in \(databasePath) found here (expected HR00001.hea or 00001_lr.hea style names)")
        }
        let loaded = try loadRecords(paths, options: options)
        var records: [Record] = [], labels: [Int?] = [], diagnoses: [[String]] = []
        for (path, record) in zip(paths, loaded.records) {
            guard let record else { continue }
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let id = PTBXLAnnotation.ecgID(recordName: name) else { continue }
            records.append(record)
            labels.append(annotation.label(ecgID: id, rule: rule))
            diagnoses.append((annotation.codes[id] ?? [:]).keys.sorted() + annotation.superclasses(ecgID: id).sorted())
        }
        return Dataset(source: "PTB-XL \(folder) (rule \(rule.rawValue))", records: records, labels: labels,
                       diagnoses: diagnoses, skipped: skipped + loaded.skipped)
    }

    /// Record files in a folder: `.hea` headers and `.npy` arrays, sorted by path.
    static func recordPaths(in folder: String, recursive: Bool) throws -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw DatasetError(folder, "no such folder")
        }
        guard isDirectory.boolValue else { throw DatasetError(folder, "not a folder (load a single file as a record)") }
        let names = recursive ? (manager.subpaths(atPath: folder) ?? []) : try manager.contentsOfDirectory(atPath: folder)
        let paths = names.filter { $0.hasSuffix(".hea") || $0.hasSuffix(".npy") }.sorted()
            .map { (folder as NSString).appendingPathComponent($0) }
        guard !paths.isEmpty else {
            throw DatasetError(folder, "no records (.hea or .npy files) in this folder" + (recursive ? " or below it" : " (not searched below it; ask for recursive)"))
        }
        return paths
    }

    /// Reads `paths` (nil where skipped) with the options' workers, preprocessing, progress and cancellation.
    static func loadRecords(_ paths: [String], options: DatasetLoadOptions) throws -> (records: [Record?], skipped: [String]) {
        let rate = options.samplingRate, preprocessing = options.preprocessing
        let requireStandard = options.requireStandardLeads, skip = options.skipUnreadable
        let results: [Result<Record, any Error>] = try runInBatches(
            paths, workers: options.workers, progress: options.progress, checkCancellation: options.checkCancellation
        ) { path in
            do {
                var record = try RecordLoader.load(path, samplingRate: rate)
                if requireStandard { record = try record.requiringStandardLeads() }
                if let preprocessing { record = try record.preprocessed(preprocessing) }
                return .success(record)
            } catch {
                if skip { return .failure(error) }
                throw error
            }
        }
        var skipped: [String] = []
        let records: [Record?] = zip(paths, results).map { path, result in
            switch result {
            case .success(let record): return record
            case .failure(let error):
                skipped.append("\(path): \(error)")
                return nil
            }
        }
        return (records, skipped)
    }
}
