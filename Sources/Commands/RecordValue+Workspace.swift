// A language record in a workspace: the `record` layout plus what the language keeps beside the
// record (its label and diagnoses), so a saved record loads back with the same fields.
import ECGKit
import Formats

// Both wrap only Sendable value types (Record, Dataset, Int?, [String], String); a checked conformance
// would have to sit in their own files, which belong to the record and dataset layers.
extension RecordValue: @unchecked Sendable {}
extension DatasetValue: @unchecked Sendable {}

extension RecordValue: WorkspaceCodable {
    public static let workspaceTypeName = Record.workspaceTypeName

    /// The `record` layout, plus vlen string dataset `diagnoses` [n] and, when known, int64 attribute
    /// `label` (0 normal, 1 abnormal).
    public func encode(into group: HDF5Group) throws {
        try record.encode(into: group)
        try group.writeStrings("diagnoses", diagnoses)
        if let label { try group.setAttribute("label", .int64(Int64(label))) }
    }

    /// A record with its stored label and diagnoses; a record without `diagnoses` (written by another
    /// program) takes them from its `#Dx` comment, as a record loaded from a file does.
    public static func decode(from group: HDF5Group) throws -> RecordValue {
        let record = try Record.decode(from: group)
        guard try group.exists("diagnoses") else { return RecordValue(record) }
        let label = try group.optionalWorkspaceInt("label")
        if let label, label != 0, label != 1 {
            throw WorkspaceError.malformed(group, "the attribute 'label' is \(label), expected 0 or 1")
        }
        return RecordValue(record, label: label, diagnoses: try group.readStrings("diagnoses"))
    }

    /// As a record: "A0001: 12 leads x 5000 samples, 500 Hz".
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        try Record.describe(group)
    }
}

extension DatasetValue: WorkspaceCodable {
    public static let workspaceTypeName = Dataset.workspaceTypeName

    /// The `dataset` layout plus the string attribute `display_name` (the name its summary shows).
    public func encode(into group: HDF5Group) throws {
        try dataset.encode(into: group)
        try group.setAttribute("display_name", .string(name))
    }

    /// A dataset named by its `display_name` (by "workspace" when another program left it out).
    public static func decode(from group: HDF5Group) throws -> DatasetValue {
        DatasetValue(try Dataset.decode(from: group), name: try group.workspaceString("display_name", default: "workspace"))
    }

    /// As a dataset: "20 records (12 normal, 8 abnormal), split 16/4".
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        try Dataset.describe(group)
    }
}
