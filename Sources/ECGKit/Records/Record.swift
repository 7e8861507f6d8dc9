// Record: one multi-lead ECG in physical units with its sampling rate, lead names,
// origin and the processing steps applied to it.
import Foundation

/// One processing step applied to a record, kept so every result can say how it was made.
public struct ProcessingStep: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The command that applied it, e.g. "bandpass".
    public var name: String
    /// Its parameters in the order they were given, e.g. [("low", "0.5"), ("high", "40")].
    public var parameters: [Parameter]

    public struct Parameter: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(_ name: String, _ parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// `bandpass(low=0.5, high=40, order=4)`
    public var description: String {
        "\(name)(" + parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")"
    }
}

/// A multi-lead ECG: `samples` is [L, T] row-major in physical units (usually mV).
public struct Record: Sendable, Equatable {
    /// Record name, e.g. "A0001".
    public var name: String
    public var samplingRate: Double
    public var leadNames: [String]
    /// Physical unit of each lead ("mV"; "" when unit-less, e.g. min-max scaled arrays).
    public var units: [String]
    /// [L, T] row-major.
    public private(set) var samples: [Double]
    public private(set) var sampleCount: Int
    /// Where it came from: a file path, or a description such as "synth(seed=42)".
    public var source: String
    /// How it was stored: "wfdb/16", "wfdb/212", "npy/<f8", "synthetic", ...
    public var sourceFormat: String
    /// Header comments (WFDB `#` lines such as `Dx: 426783006`).
    public var comments: [String]
    /// Steps applied since loading, oldest first.
    public var provenance: [ProcessingStep]
    /// Non-fatal findings from reading it, e.g. `signal 'II': checksum mismatch ...`.
    public var warnings: [String]

    public init(name: String, samplingRate: Double, leadNames: [String], units: [String],
                samples: [Double], sampleCount: Int, source: String, sourceFormat: String,
                comments: [String] = [], provenance: [ProcessingStep] = [], warnings: [String] = []) {
        precondition(samples.count == leadNames.count * sampleCount, "Record: samples must be [L, T]")
        precondition(units.count == leadNames.count, "Record: one unit per lead")
        self.name = name
        self.samplingRate = samplingRate
        self.leadNames = leadNames
        self.units = units
        self.samples = samples
        self.sampleCount = sampleCount
        self.source = source
        self.sourceFormat = sourceFormat
        self.comments = comments
        self.provenance = provenance
        self.warnings = warnings
    }

    public var leadCount: Int { leadNames.count }
    /// Length in seconds.
    public var duration: Double { Double(sampleCount) / samplingRate }

    /// The samples of lead `index`.
    public func lead(_ index: Int) -> ArraySlice<Double> {
        samples[(index * sampleCount)..<((index + 1) * sampleCount)]
    }

    /// Every lead as its own array.
    public var leads: [[Double]] { (0..<leadCount).map { Array(lead($0)) } }

    /// A copy with new samples ([L, T'] row-major, same leads) and one more provenance step.
    public func replacingSamples(_ newSamples: [Double], sampleCount newCount: Int,
                                 samplingRate newRate: Double? = nil, step: ProcessingStep) -> Record {
        var copy = self
        precondition(newSamples.count == leadCount * newCount, "Record: samples must be [L, T]")
        copy.samples = newSamples
        copy.sampleCount = newCount
        if let newRate { copy.samplingRate = newRate }
        copy.provenance.append(step)
        return copy
    }

    /// A copy holding only the given leads, in the given order.
    public func selectingLeads(_ indices: [Int]) -> Record {
        var copy = self
        copy.samples = indices.flatMap { Array(lead($0)) }
        copy.leadNames = indices.map { leadNames[$0] }
        copy.units = indices.map { units[$0] }
        return copy
    }

    /// The header comment value for a key such as "Dx" (`#Dx: ...` or `# Dx: ...`).
    public func comment(_ key: String) -> String? {
        for line in comments {
            let trimmed = line.drop { $0 == "#" || $0 == " " }
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            if trimmed[..<colon].trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(key) == .orderedSame {
                return trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
