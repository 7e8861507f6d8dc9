// WorkspaceCodable: the protocol a value kind implements to live in a workspace (its
// `type` name, how it fills its group, how it reads back, how it summarises itself).
import Evaluation
import Formats
import TensorCore

/// A value kind stored as one HDF5 group whose `type` attribute is `workspaceTypeName`.
///
/// The workspace writes the group and its `type` attribute, then calls `encode(into:)`;
/// on load it looks the `type` up in a `WorkspaceRegistry` and calls `decode(from:)`.
/// Implementations use only standard HDF5 types (float32/float64/integer datasets, vlen
/// UTF-8 strings, attributes), keep long text in string datasets rather than attributes,
/// and write deterministically (same value, same calls in the same order), so that a
/// save → load → save round trip gives identical bytes. A new kind is one file:
/// `extension MyKind: WorkspaceCodable` plus one line in `WorkspaceRegistry.standard`.
public protocol WorkspaceCodable: Sendable {
    /// The `type` attribute value, lower case with underscores ("tensor", "record", "score_result").
    static var workspaceTypeName: String { get }

    /// Writes the value's datasets, subgroups and attributes into `group` (already created,
    /// `type` already set).
    func encode(into group: HDF5Group) throws

    /// Reads a value back from a group written by `encode(into:)` (or by another program
    /// following the documented layout). Throws `WorkspaceError.malformed` for layout errors.
    static func decode(from group: HDF5Group) throws -> Self

    /// Shape, one-line summary and data size, read from metadata only (no bulk data), for
    /// listing a workspace without loading it.
    static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails
}

extension WorkspaceCodable {
    /// The default description: the type name, no shape, size unknown (0).
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        WorkspaceEntryDetails(shape: nil, summary: workspaceTypeName, bytes: 0)
    }
}

/// What `Workspace.contents(of:)` shows for one value besides its name and type.
public struct WorkspaceEntryDetails: Sendable, Equatable {
    /// The main array's shape (a tensor's shape, a record's [L, T]); nil for scalars and composites.
    public var shape: [Int]?
    /// One line for people, e.g. "float32 [256, 1024]" or "A0001: 12 leads x 5000 samples, 500 Hz".
    public var summary: String
    /// Size of the data in memory once loaded, in bytes (not the compressed size on disk).
    public var bytes: Int

    public init(shape: [Int]?, summary: String, bytes: Int) {
        self.shape = shape
        self.summary = summary
        self.bytes = bytes
    }
}

/// The value kinds a load can decode, keyed by their `type` attribute.
///
/// A value type rather than global state: `standard` holds every kind ECGKit defines;
/// a layer above (e.g. Commands) that defines its own kinds passes
/// `WorkspaceRegistry.standard.registering(MyKind.self)` to `load`/`contents`.
public struct WorkspaceRegistry: Sendable {
    private var kinds: [String: any WorkspaceCodable.Type]

    /// The kinds built into the value enum itself, whose names no registered kind may take.
    public static let structuralTypeNames = ["number", "string", "bool", "none", "list"]

    /// Every kind ECGKit defines. Add new ECGKit kinds here (one line each).
    public static let standard = WorkspaceRegistry([
        Tensor.self,
        Record.self,
        Dataset.self,
        TrainedModel.self,
        ScoreResult.self,
        DatasetScores.self,
        MetricTable.self,
        Threshold.self,
    ])

    /// A registry of `kinds`; a later kind with the same name replaces an earlier one.
    public init(_ kinds: [any WorkspaceCodable.Type]) {
        self.kinds = [:]
        for kind in kinds { self = registering(kind) }
    }

    /// This registry plus `kind`. A name equal to a structural kind ("list", "number", ...)
    /// is a programming error and traps.
    public func registering(_ kind: any WorkspaceCodable.Type) -> WorkspaceRegistry {
        precondition(!Self.structuralTypeNames.contains(kind.workspaceTypeName),
                     "WorkspaceRegistry: '\(kind.workspaceTypeName)' is a structural type name")
        var copy = self
        copy.kinds[kind.workspaceTypeName] = kind
        return copy
    }

    /// The kind stored under `typeName`, or nil.
    public func kind(named typeName: String) -> (any WorkspaceCodable.Type)? {
        kinds[typeName]
    }

    /// Every type name this registry reads, structural ones included, sorted.
    public var typeNames: [String] {
        (Self.structuralTypeNames + kinds.keys).sorted()
    }
}
