// Thresholds in a workspace: value, method and sample count as attributes, the method's
// parameters as float64 attributes of a `parameters` subgroup (also used inside models and scores).
import Evaluation
import Formats

extension Threshold: WorkspaceCodable {
    public static let workspaceTypeName = "threshold"

    /// Attribute and subgroup names of the threshold layout.
    enum Layout {
        static let method = "method"
        static let value = "value"
        static let sampleCount = "sample_count"
        static let parameters = "parameters"
    }

    /// Attributes `method` ("percentile" | "f1" | "youden" | "pot"), `value` (float64: anomalous iff
    /// score > value), `sample_count` (int64); subgroup `parameters` with one float64 attribute per
    /// method parameter ("p", "u", "gamma", ...), written in sorted name order.
    public func encode(into group: HDF5Group) throws {
        try group.setAttribute(Layout.method, .string(method.rawValue))
        try group.setAttribute(Layout.value, .double(value))
        try group.setAttribute(Layout.sampleCount, .int64(Int64(sampleCount)))
        let parameterGroup = try group.createGroup(Layout.parameters)
        for (name, number) in parameters.sorted(by: { $0.key < $1.key }) {
            try parameterGroup.setAttribute(name, .double(number))
        }
    }

    /// Reads a threshold written by `encode(into:)`; `parameters` and `sample_count` may be absent.
    public static func decode(from group: HDF5Group) throws -> Threshold {
        var parameters: [String: Double] = [:]
        if try group.kind(of: Layout.parameters) == .group {
            let parameterGroup = try group.openGroup(Layout.parameters)
            for name in try parameterGroup.attributeNames() {
                parameters[name] = try parameterGroup.workspaceDouble(name)
            }
        }
        return Threshold(method: try group.workspaceChoice(Layout.method, Method.self),
                         value: try group.workspaceDouble(Layout.value), parameters: parameters,
                         sampleCount: try group.optionalWorkspaceInt(Layout.sampleCount) ?? 0)
    }

    /// "p95 = 0.812 (from 120 scores)".
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let threshold = try decode(from: group)
        return WorkspaceEntryDetails(shape: nil, summary: threshold.workspaceSummary, bytes: 8)
    }

    /// "p95 = 0.812 (from 120 scores)".
    var workspaceSummary: String {
        "\(label) = \(WorkspaceValue.formatted(value)) (from \(sampleCount) scores)"
    }
}

extension HDF5Group {
    /// Writes `threshold` into the new subgroup `name` (the `threshold` layout, without a `type`).
    func writeWorkspaceThreshold(_ name: String, _ threshold: Threshold?) throws {
        guard let threshold else { return }
        try threshold.encode(into: try createGroup(name))
    }

    /// The threshold in subgroup `name`, nil when absent.
    func readWorkspaceThreshold(_ name: String) throws -> Threshold? {
        try kind(of: name) == .group ? try Threshold.decode(from: try openGroup(name)) : nil
    }
}
