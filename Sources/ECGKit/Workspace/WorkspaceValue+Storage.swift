// How a WorkspaceValue is written into and read back from its HDF5 group: the structural
// kinds (number, string, bool, none, list) here, every other kind through its conformance.
import Foundation
import Formats
import TensorCore

extension WorkspaceValue {
    /// The dataset holding a scalar's value.
    static let valueDataset = "value"
    /// The attribute holding a list's element count.
    static let lengthAttribute = "length"

    /// Writes the value into `group` (an empty group): its `type` attribute, then its data.
    ///
    /// number: scalar float64 dataset `value`; string: scalar vlen UTF-8 dataset `value`;
    /// bool: scalar uint8 dataset `value` (0/1, attribute `ecgs_dtype = "bool"`); none: nothing;
    /// list: attribute `length` (int64) and one child group per element named "0", "1", ...
    public func encode(into group: HDF5Group) throws {
        try group.setAttribute(WorkspaceFormat.typeAttribute, .string(typeName))
        switch self {
        case .number(let number):
            try group.writeDataset(Self.valueDataset, StoredArray(shape: [], elements: .float64([number])))
        case .string(let text):
            guard !text.utf8.contains(0) else {
                throw WorkspaceError(.invalidVariable, file: group.file.path, objectPath: group.path,
                                     "the string contains a NUL character, which HDF5 strings cannot hold")
            }
            try group.writeString(Self.valueDataset, text)
        case .bool(let flag):
            try group.writeDataset(Self.valueDataset, StoredArray(shape: [], elements: .bool([flag])))
        case .none:
            break
        case .list(let elements):
            try group.setAttribute(Self.lengthAttribute, .int64(Int64(elements.count)))
            for (index, element) in elements.enumerated() {
                try element.encode(into: group.createGroup(String(index)))
            }
        case .tensor(let tensor):
            try tensor.encode(into: group)
        case .record(let record):
            try record.encode(into: group)
        case .object(let value):
            try value.encode(into: group)
        }
    }

    /// Reads the value stored in `group`, dispatching on its `type` attribute; kinds other
    /// than the structural ones are looked up in `registry`.
    public static func decode(from group: HDF5Group, registry: WorkspaceRegistry = .standard) throws -> WorkspaceValue {
        try WorkspaceError.wrapping {
            let typeName = try storedType(of: group)
            switch typeName {
            case "number":
                return .number(try scalar(in: group))
            case "string":
                return .string(try group.readString(valueDataset))
            case "bool":
                return .bool(try scalar(in: group) != 0)
            case "none":
                return .none
            case "list":
                return .list(try (0..<listLength(of: group)).map { index in
                    try decode(from: try group.openGroup(String(index)), registry: registry)
                })
            default:
                return WorkspaceValue(try kind(typeName, of: group, in: registry).decode(from: group))
            }
        }
    }

    /// The `type` of the value in `group` and its shape, summary and size, from metadata
    /// and small scalars only.
    public static func describe(_ group: HDF5Group, registry: WorkspaceRegistry = .standard)
        throws -> (typeName: String, details: WorkspaceEntryDetails) {
        try WorkspaceError.wrapping {
            let typeName = try storedType(of: group)
            switch typeName {
            case "number":
                return (typeName, WorkspaceEntryDetails(shape: nil, summary: formatted(try scalar(in: group)), bytes: 8))
            case "string":
                let text = try group.readString(valueDataset)
                // One line: newlines and tabs shown escaped, long text cut.
                let escaped = text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
                let shown = escaped.count > 40 ? String(escaped.prefix(37)) + "..." : escaped
                return (typeName, WorkspaceEntryDetails(shape: nil, summary: "\"\(shown)\"", bytes: text.utf8.count))
            case "bool":
                return (typeName, WorkspaceEntryDetails(shape: nil, summary: try scalar(in: group) != 0 ? "true" : "false",
                                                        bytes: 1))
            case "none":
                return (typeName, WorkspaceEntryDetails(shape: nil, summary: "none", bytes: 0))
            case "list":
                let length = try listLength(of: group)
                let bytes = try (0..<length).reduce(0) { total, index in
                    total + (try describe(try group.openGroup(String(index)), registry: registry).details.bytes)
                }
                return (typeName, WorkspaceEntryDetails(shape: nil, summary: "list of \(length)", bytes: bytes))
            default:
                return (typeName, try kind(typeName, of: group, in: registry).describe(group))
            }
        }
    }

    /// The group's `type` attribute.
    static func storedType(of group: HDF5Group) throws -> String {
        guard try group.hasAttribute(WorkspaceFormat.typeAttribute) else {
            throw WorkspaceError.malformed(group, "the value group has no '\(WorkspaceFormat.typeAttribute)' attribute")
        }
        return try group.stringAttribute(WorkspaceFormat.typeAttribute)
    }

    private static func kind(_ typeName: String, of group: HDF5Group,
                             in registry: WorkspaceRegistry) throws -> any WorkspaceCodable.Type {
        guard let kind = registry.kind(named: typeName) else {
            let name = group.path.split(separator: "/").last.map(String.init) ?? group.path
            throw WorkspaceError(.unknownType, file: group.file.path, objectPath: group.path,
                                 "'\(name)' has type '\(typeName)', which this ecgs cannot read "
                                 + "(it reads \(registry.typeNames.joined(separator: ", "))); "
                                 + "it may come from a newer ecgs")
        }
        return kind
    }

    /// The one number in the scalar (or one-element) numeric dataset `value`.
    private static func scalar(in group: HDF5Group) throws -> Double {
        let array = try group.readDataset(valueDataset)
        guard array.count == 1, let number = array.doubles().first else {
            throw WorkspaceError.malformed(group, "'\(valueDataset)' must hold one number, found shape \(array.shape)")
        }
        return number
    }

    private static func listLength(of group: HDF5Group) throws -> Int {
        guard try group.hasAttribute(lengthAttribute), case .int64(let length) = try group.attribute(lengthAttribute),
              length >= 0 else {
            throw WorkspaceError.malformed(group, "a list needs a non-negative int64 attribute '\(lengthAttribute)'")
        }
        return Int(length)
    }

    /// A number as people write it: `formatNumber` (integers without ".0", others shortest round-trip),
    /// except that negative zero stays "-0".
    static func formatted(_ number: Double) -> String {
        number == 0 && number.sign == .minus ? "-0" : formatNumber(number)
    }
}
