// Datasets in a workspace: every record as a `record` value (records may differ in length, rate
// and provenance), labels, diagnoses, skipped files, the split and the windows when made.
import Formats
import TensorCore

extension Dataset: WorkspaceCodable {
    public static let workspaceTypeName = "dataset"

    /// Dataset, attribute and subgroup names of the dataset layout.
    enum Layout {
        static let source = "source"
        static let recordCount = "record_count"
        static let records = "records"
        static let labels = "labels"
        static let diagnosisCodes = "diagnosis_codes"
        static let diagnosisCounts = "diagnosis_counts"
        static let skipped = "skipped"
        static let split = "split"
        static let seed = "seed"
        static let validationFraction = "validation_fraction"
        static let training = "training"
        static let validation = "validation"
        static let windows = "windows"
        static let windowData = "data"
        static let layout = "layout"
        static let length = "length"
        static let stride = "stride"
        static let recordIndices = "record_indices"
        static let starts = "starts"
    }

    /// Attributes `source`, `record_count` (int64); subgroup `records` (a `list` value of N `record`
    /// values, one group each, because records may differ in length, rate and processing: a stacked
    /// array would need padding and lose each record's provenance); int64 `labels` [N] (0, 1, -1 unknown);
    /// the diagnoses flattened as vlen string `diagnosis_codes` [sum of counts] with int64
    /// `diagnosis_counts` [N]; vlen string `skipped` [n]; subgroup `split` (when split: attributes
    /// `seed` int64 — the UInt64 seed's bit pattern —, `validation_fraction` float64; int64 `training`,
    /// `validation` record indices); subgroup `windows` (when windowed: float32 `data` [N, T, L] with
    /// `dims = "window,time,lead"` or [N, L, T] with `"window,lead,time"`, attributes `layout`,
    /// `length`, `stride`; int64 `record_indices` [N], `starts` [N]).
    public func encode(into group: HDF5Group) throws {
        try group.setAttribute(Layout.source, .string(source))
        try group.setAttribute(Layout.recordCount, .int64(Int64(records.count)))
        try WorkspaceValue.list(records.map { .record($0) }).encode(into: try group.createGroup(Layout.records))
        try group.writeWorkspaceInts(Layout.labels, labels.map { $0 ?? -1 })
        try group.writeStrings(Layout.diagnosisCodes, diagnoses.flatMap { $0 })
        try group.writeWorkspaceInts(Layout.diagnosisCounts, diagnoses.map(\.count))
        try group.writeStrings(Layout.skipped, skipped)
        if let split {
            let splitGroup = try group.createGroup(Layout.split)
            try splitGroup.setAttribute(Layout.seed, .int64(Int64(bitPattern: split.seed)))
            try splitGroup.setAttribute(Layout.validationFraction, .double(split.validationFraction))
            try splitGroup.writeWorkspaceInts(Layout.training, split.training)
            try splitGroup.writeWorkspaceInts(Layout.validation, split.validation)
        }
        if let windowSet {
            let windowGroup = try group.createGroup(Layout.windows)
            try windowGroup.setAttribute(Layout.layout, .string(windowSet.layout.rawValue))
            try windowGroup.setAttribute(Layout.length, .int64(Int64(windowSet.length)))
            try windowGroup.setAttribute(Layout.stride, .int64(Int64(windowSet.stride)))
            let data = try windowGroup.writeDataset(Layout.windowData,
                                                    StoredArray(shape: windowSet.shape, elements: .float32(windowSet.values)))
            try data.setAttribute("dims", .string(windowSet.layout == .timeByLeads ? "window,time,lead" : "window,lead,time"))
            try windowGroup.writeWorkspaceInts(Layout.recordIndices, windowSet.recordIndices)
            try windowGroup.writeWorkspaceInts(Layout.starts, windowSet.starts)
        }
    }

    /// Reads a dataset written by `encode(into:)`. `labels`, the diagnoses and `skipped` may be absent
    /// (unknown labels, no diagnoses); indices must lie inside the records.
    public static func decode(from group: HDF5Group) throws -> Dataset {
        guard try group.kind(of: Layout.records) == .group,
              case .list(let items) = try WorkspaceValue.decode(from: try group.openGroup(Layout.records)) else {
            throw WorkspaceError.malformed(group, "'\(Layout.records)' must be a list value of records")
        }
        let records = try items.enumerated().map { index, item in
            guard case .record(let record) = item else {
                throw WorkspaceError.malformed(group, "'\(Layout.records)/\(index)' is a \(item.typeName), not a record")
            }
            return record
        }
        let count = records.count
        var labels: [Int?] = Array(repeating: nil, count: count)
        if try group.exists(Layout.labels) {
            let stored = try group.readWorkspaceInts(Layout.labels)
            guard stored.count == count, stored.allSatisfy({ (-1...1).contains($0) }) else {
                throw WorkspaceError.malformed(group, "'\(Layout.labels)' must hold \(count) values of 0, 1 or -1, "
                                               + "found \(stored.count)")
            }
            labels = stored.map { $0 < 0 ? nil : $0 }
        }
        var diagnoses: [[String]] = Array(repeating: [], count: count)
        if try group.exists(Layout.diagnosisCounts) {
            let counts = try group.readWorkspaceInts(Layout.diagnosisCounts)
            let codes = try group.readStrings(Layout.diagnosisCodes)
            guard counts.count == count, counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, +) == codes.count else {
                throw WorkspaceError.malformed(group, "'\(Layout.diagnosisCounts)' must hold \(count) non-negative counts "
                                               + "adding up to the \(codes.count) '\(Layout.diagnosisCodes)'")
            }
            var offset = 0
            diagnoses = counts.map { length in
                defer { offset += length }
                return Array(codes[offset..<(offset + length)])
            }
        }
        let skipped = try group.exists(Layout.skipped) ? try group.readStrings(Layout.skipped) : []
        var dataset = Dataset(source: try group.workspaceString(Layout.source), records: records, labels: labels,
                              diagnoses: diagnoses, skipped: skipped)
        if try group.kind(of: Layout.split) == .group {
            let splitGroup = try group.openGroup(Layout.split)
            let training = try splitGroup.readWorkspaceInts(Layout.training)
            let validation = try splitGroup.readWorkspaceInts(Layout.validation)
            guard (training + validation).allSatisfy({ (0..<count).contains($0) }) else {
                throw WorkspaceError.malformed(splitGroup, "split indices must lie in 0..<\(count)")
            }
            dataset.split = DatasetSplit(seed: UInt64(bitPattern: try splitGroup.workspaceInt(Layout.seed)),
                                         validationFraction: try splitGroup.workspaceDouble(Layout.validationFraction),
                                         training: training, validation: validation)
        }
        if try group.kind(of: Layout.windows) == .group {
            dataset.windowSet = try decodeWindows(try group.openGroup(Layout.windows), recordCount: count)
        }
        return dataset
    }

    private static func decodeWindows(_ group: HDF5Group, recordCount: Int) throws -> WindowSet {
        let windowLayout = try group.workspaceChoice(Layout.layout, WindowLayout.self)
        let data = try group.readDataset(Layout.windowData)
        let length = Int(try group.workspaceInt(Layout.length))
        let recordIndices = try group.readWorkspaceInts(Layout.recordIndices)
        let starts = try group.readWorkspaceInts(Layout.starts)
        let lengthAxis = windowLayout == .timeByLeads ? 1 : 2
        guard data.shape.count == 3, data.shape[0] == recordIndices.count, starts.count == recordIndices.count,
              data.shape[lengthAxis] == length, recordIndices.allSatisfy({ (0..<recordCount).contains($0) }) else {
            throw WorkspaceError.malformed(group, "'\(Layout.windowData)' \(data.shape) must be [N, T, L] or [N, L, T] "
                                           + "with T = \(length) and one record index and start per window")
        }
        return WindowSet(values: data.floats(), shape: data.shape, layout: windowLayout, length: length,
                         stride: Int(try group.workspaceInt(Layout.stride)), recordIndices: recordIndices, starts: starts)
    }

    /// "20 records (12 normal, 8 abnormal), split 16/4, 380 windows", the records' samples at 8 bytes.
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let count = Int(try group.workspaceInt(Layout.recordCount))
        var summary = "\(count) record\(count == 1 ? "" : "s")"
        if try group.exists(Layout.labels) {
            let labels = try group.readWorkspaceInts(Layout.labels)
            summary += " (\(labels.filter { $0 == 0 }.count) normal, \(labels.filter { $0 == 1 }.count) abnormal)"
        }
        if try group.kind(of: Layout.split) == .group {
            let splitGroup = try group.openGroup(Layout.split)
            summary += ", split \(try splitGroup.openDataset(Layout.training).shape().first ?? 0)"
                + "/\(try splitGroup.openDataset(Layout.validation).shape().first ?? 0)"
        }
        var bytes = 0
        if try group.kind(of: Layout.records) == .group {
            bytes = try WorkspaceValue.describe(try group.openGroup(Layout.records)).details.bytes
        }
        if try group.kind(of: Layout.windows) == .group {
            let shape = try group.openGroup(Layout.windows).openDataset(Layout.windowData).shape()
            summary += ", \(shape.first ?? 0) windows"
            bytes += shape.reduce(1, *) * 4
        }
        return WorkspaceEntryDetails(shape: [count], summary: summary, bytes: bytes)
    }
}
