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
        try group.writeString(Layout.provenance, try Self.provenanceJSON(provenance))
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
        guard case .double(let samplingRate) = try group.attribute(Layout.samplingRate) else {
            throw WorkspaceError.malformed(group, "'\(Layout.samplingRate)' must be a float64 attribute (Hz)")
        }
        let comments = try group.exists(Layout.comments) ? try group.readStrings(Layout.comments) : []
        let provenance = try group.exists(Layout.provenance)
            ? try Self.provenance(fromJSON: try group.readString(Layout.provenance), group) : []
        return Record(name: try optionalString(Layout.name, group), samplingRate: samplingRate,
                      leadNames: leadNames, units: units, samples: signal.doubles(), sampleCount: signal.shape[1],
                      source: try optionalString(Layout.source, group),
                      sourceFormat: try optionalString(Layout.sourceFormat, group),
                      comments: comments, provenance: provenance)
    }

    /// "A0001: 12 leads x 5000 samples, 500 Hz", 8 bytes per sample.
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let shape = try group.openDataset(Layout.signal).shape()
        guard shape.count == 2 else {
            throw WorkspaceError.malformed(group, "'\(Layout.signal)' must be [lead, time], found shape \(shape)")
        }
        var summary = "\(shape[0]) leads x \(shape[1]) samples"
        if case .double(let rate) = try group.attribute(Layout.samplingRate) {
            summary += ", \(WorkspaceValue.formatted(rate)) Hz"
        }
        let name = try optionalString(Layout.name, group)
        return WorkspaceEntryDetails(shape: shape, summary: name.isEmpty ? summary : "\(name): \(summary)",
                                     bytes: shape[0] * shape[1] * 8)
    }

    /// Steps as compact JSON with sorted keys, so equal provenance gives equal bytes.
    static func provenanceJSON(_ steps: [ProcessingStep]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(steps), as: UTF8.self)
    }

    /// A step as other writers may spell it: `parameters` may be omitted and values may be
    /// JSON numbers (written back as text, integers without ".0").
    private struct StoredStep: Decodable {
        var name: String
        var parameters: [StoredParameter]?

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

    private static func provenance(fromJSON text: String, _ group: HDF5Group) throws -> [ProcessingStep] {
        do {
            return try JSONDecoder().decode([StoredStep].self, from: Data(text.utf8)).map { step in
                ProcessingStep(step.name, (step.parameters ?? []).map { .init($0.name, $0.value) })
            }
        } catch {
            throw WorkspaceError.malformed(group, "'\(Layout.provenance)' is not a JSON list of "
                                           + "{\"name\", \"parameters\": [{\"name\", \"value\"}]} steps: \(error)")
        }
    }

    private static func optionalString(_ name: String, _ group: HDF5Group) throws -> String {
        try group.hasAttribute(name) ? try group.stringAttribute(name) : ""
    }
}
