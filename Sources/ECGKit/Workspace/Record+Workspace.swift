// Records in a workspace: the signal as float64 [L, T] (dims "lead,time"), sampling rate,
// lead names, units, origin, header comments and the processing steps as JSON.
import Foundation
import Formats

extension Record: WorkspaceCodable {
    public static let workspaceTypeName = "record"

    /// Dataset and attribute names of the record layout.
    enum Layout {
        static let signal = "signal"
        static let leadNames = "lead_names"
        static let units = "units"
        static let comments = "comments"
        static let provenance = "provenance"
        static let dims = "dims"
        static let dimsValue = "lead,time"
        static let name = "record_name"
        static let samplingRate = "sampling_rate"
        static let source = "source"
        static let sourceFormat = "source_format"
    }

    /// `samples: [L, T]` → float64 dataset `signal` [L, T] (attribute `dims = "lead,time"`;
    /// float64 because `Record` computes in Double, so the bits survive), string datasets
    /// `lead_names` [L], `units` [L], `comments` [n], scalar string dataset `provenance`
    /// (JSON: `[{"name": "bandpass", "parameters": [{"name": "low", "value": "0.5"}, ...]}, ...]`),
    /// attributes `record_name`, `sampling_rate` (float64, Hz), `source`, `source_format`.
    public func encode(into group: HDF5Group) throws {
        try group.setAttribute(Layout.name, .string(name))
        try group.setAttribute(Layout.samplingRate, .double(samplingRate))
        try group.setAttribute(Layout.source, .string(source))
        try group.setAttribute(Layout.sourceFormat, .string(sourceFormat))
        let signal = try group.writeDataset(Layout.signal,
                                            StoredArray(shape: [leadCount, sampleCount], elements: .float64(samples)))
        try signal.setAttribute(Layout.dims, .string(Layout.dimsValue))
        try group.writeStrings(Layout.leadNames, leadNames)
        try group.writeStrings(Layout.units, units)
        try group.writeStrings(Layout.comments, comments)
        try group.writeWorkspaceJSON(Layout.provenance, provenance)
    }

    /// Reads a record written by `encode(into:)`; float32 signals (e.g. from h5py) widen
    /// exactly to Double. Lead names and units must match the signal's lead count.
    public static func decode(from group: HDF5Group) throws -> Record {
        let signal = try group.readDataset(Layout.signal)
        guard signal.shape.count == 2 else {
            throw WorkspaceError.malformed(group, "'\(Layout.signal)' must be [lead, time], found shape \(signal.shape)")
        }
        let leadNames = try group.readStrings(Layout.leadNames)
        let units = try group.readStrings(Layout.units)
        guard leadNames.count == signal.shape[0], units.count == signal.shape[0] else {
            throw WorkspaceError.malformed(group, "'\(Layout.signal)' has \(signal.shape[0]) leads but "
                                           + "'\(Layout.leadNames)' has \(leadNames.count) and '\(Layout.units)' \(units.count)")
        }
        let samplingRate = try group.workspaceDouble(Layout.samplingRate)
        let comments = try group.exists(Layout.comments) ? try group.readStrings(Layout.comments) : []
        let provenance = try group.exists(Layout.provenance)
            ? try group.readWorkspaceJSON([StoredStep].self, Layout.provenance, expected: "a JSON list of "
                                          + "{\"name\", \"parameters\": [{\"name\", \"value\"}]} steps").map(\.step)
            : []
        return Record(name: try group.workspaceString(Layout.name), samplingRate: samplingRate,
                      leadNames: leadNames, units: units, samples: signal.doubles(), sampleCount: signal.shape[1],
                      source: try group.workspaceString(Layout.source),
                      sourceFormat: try group.workspaceString(Layout.sourceFormat),
                      comments: comments, provenance: provenance)
    }

    /// "A0001: 12 leads x 5000 samples, 500 Hz", 8 bytes per sample.
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let shape = try group.openDataset(Layout.signal).shape()
        guard shape.count == 2 else {
            throw WorkspaceError.malformed(group, "'\(Layout.signal)' must be [lead, time], found shape \(shape)")
        }
        var summary = "\(shape[0]) leads x \(shape[1]) samples"
        if let rate = try? group.workspaceDouble(Layout.samplingRate) {
            summary += ", \(WorkspaceValue.formatted(rate)) Hz"
        }
        let name = try group.workspaceString(Layout.name)
        return WorkspaceEntryDetails(shape: shape, summary: name.isEmpty ? summary : "\(name): \(summary)",
                                     bytes: shape[0] * shape[1] * 8)
    }

    /// A step as other writers may spell it: `parameters` may be omitted and values may be
    /// JSON numbers (written back as text, integers without ".0").
    private struct StoredStep: Decodable {
        var name: String
        var parameters: [StoredParameter]?

        var step: ProcessingStep {
            ProcessingStep(name, (parameters ?? []).map { .init($0.name, $0.value) })
        }

        struct StoredParameter: Decodable {
            var name: String
            var value: String

            enum CodingKeys: String, CodingKey { case name, value }

            init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                name = try container.decode(String.self, forKey: .name)
                if let number = try? container.decode(Double.self, forKey: .value) {
                    value = WorkspaceValue.formatted(number)
                } else {
                    value = try container.decode(String.self, forKey: .value)
                }
            }
        }
    }
}
