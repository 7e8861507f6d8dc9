// Helpers value kinds use to read and write their fields: required and optional attributes
// that fail with a WorkspaceError naming the group, and JSON kept in string datasets.
import Foundation
import Formats

extension HDF5Object {
    /// The scalar string attribute `name`, or `fallback` when it is absent.
    public func workspaceString(_ name: String, default fallback: String = "") throws -> String {
        try hasAttribute(name) ? try stringAttribute(name) : fallback
    }

    /// The scalar float64 attribute `name` (an integer attribute is converted), required.
    public func workspaceDouble(_ name: String) throws -> Double {
        switch try hasAttribute(name) ? try attribute(name) : nil {
        case .double(let value)?: return value
        case .int64(let value)?: return Double(value)
        case nil: throw WorkspaceError.malformed(self, "missing the attribute '\(name)' (a scalar number)")
        case .some: throw WorkspaceError.malformed(self, "the attribute '\(name)' must be a scalar number")
        }
    }

    /// The scalar int64 attribute `name` (an integral float attribute is converted), required.
    public func workspaceInt(_ name: String) throws -> Int64 {
        switch try hasAttribute(name) ? try attribute(name) : nil {
        case .int64(let value)?: return value
        case .double(let value)? where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        case nil: throw WorkspaceError.malformed(self, "missing the attribute '\(name)' (a scalar integer)")
        case .some: throw WorkspaceError.malformed(self, "the attribute '\(name)' must be a scalar integer")
        }
    }
}

extension HDF5Group {
    /// Writes `value` as compact JSON with sorted keys (so equal values give equal bytes) into
    /// the scalar string dataset `name` (a dataset, not an attribute: no 64 KiB limit).
    public func writeWorkspaceJSON<Value: Encodable>(_ name: String, _ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try writeString(name, String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Decodes the JSON in the string dataset `name`; a decoding failure is `.malformed`
    /// naming the dataset and what was expected.
    public func readWorkspaceJSON<Value: Decodable>(_ type: Value.Type, _ name: String,
                                                    expected: String) throws -> Value {
        let text = try readString(name)
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw WorkspaceError.malformed(self, "'\(name)' is not \(expected): \(error)")
        }
    }
}
