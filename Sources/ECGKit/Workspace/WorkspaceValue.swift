// WorkspaceValue: the values a workspace holds, independent of the language layer:
// scalars, nested lists, tensors, records, and any further `WorkspaceCodable` kind.
import TensorCore

/// One variable's value as stored in a workspace.
///
/// Numbers, strings, Booleans, none and lists are structural (the enum itself knows how to
/// store them); tensors and records are the common domain kinds; every other kind (datasets,
/// models, score results, ...) travels as `.object` and is stored by its own
/// `WorkspaceCodable` conformance.
public indirect enum WorkspaceValue: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    /// Elements of any kinds, nested freely.
    case list([WorkspaceValue])
    /// A float32 tensor, stored with its real shape.
    case tensor(Tensor)
    /// An ECG record with its metadata and provenance.
    case record(Record)
    /// Any other registered kind.
    case object(any WorkspaceCodable)

    /// Wraps a decoded kind, using the dedicated case for tensors and records.
    public init(_ value: any WorkspaceCodable) {
        switch value {
        case let tensor as Tensor: self = .tensor(tensor)
        case let record as Record: self = .record(record)
        default: self = .object(value)
        }
    }

    /// The `type` attribute this value is stored under.
    public var typeName: String {
        switch self {
        case .number: "number"
        case .string: "string"
        case .bool: "bool"
        case .none: "none"
        case .list: "list"
        case .tensor: Tensor.workspaceTypeName
        case .record: Record.workspaceTypeName
        case .object(let value): type(of: value).workspaceTypeName
        }
    }
}
