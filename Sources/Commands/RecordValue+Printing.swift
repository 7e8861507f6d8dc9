// `show r`: a record's header lines (source, label, heart rate, provenance) and a compact braille
// preview of a few leads, peak-preserving so QRS complexes survive the decimation.
import ECGKit
import Foundation
import Render
import Script

extension RecordValue {
    /// Leads `show` previews when present, in this order; records without them show their first four.
    public static let previewLeads = ["I", "II", "V1", "V5"]
    /// Braille cells per preview line (2 dot columns each).
    public static let previewWidth = 60
    /// Braille rows per lead (4 dot rows each).
    public static let previewHeight = 2

    /// The summary, then `source`, `label`/`diagnoses`, `heart rate`, `provenance` and `warnings`
    /// lines when known, then `previewLines(leads:)` for the default preview leads.
    public func show() -> String {
        var lines = [summary, "source: \(record.source)  (\(record.sourceFormat))"]
        if label != nil || !diagnoses.isEmpty {
            let labelText = label.map { "\($0) (\($0 == 0 ? "normal" : "abnormal"))" } ?? "unknown"
            lines.append("label: \(labelText)" + (diagnoses.isEmpty ? "" : "  diagnoses: \(diagnoses.joined(separator: ", "))"))
        }
        if let rate = heartRate() { lines.append(String(format: "heart rate: %.0f bpm", rate)) }
        if !record.provenance.isEmpty {
            lines.append("provenance: " + record.provenance.map(\.description).joined(separator: " -> "))
        }
        lines += record.warnings.map { "warning: \($0)" }
        lines += previewLines(leads: defaultPreviewLeads())
        return lines.joined(separator: "\n")
    }

    /// Indices of `previewLeads` found in the record (case-insensitive), else the first four leads.
    func defaultPreviewLeads() -> [Int] {
        let found = Self.previewLeads.compactMap { name in
            record.leadNames.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
        }
        return found.isEmpty ? Array(0..<min(4, record.leadCount)) : found
    }

    /// For each lead, `previewHeight` lines: the name padded to 4 columns, a braille plot of
    /// `previewWidth` cells scaled to that lead's own minimum and maximum, and on the first line
    /// the range `-0.42..1.83 mV`. Each dot column shows the sample of its stretch of the record
    /// farthest from the lead's mean (`peakPreservingDecimation`).
    public func previewLines(leads: [Int]) -> [String] {
        let columns = Self.previewWidth * 2
        return leads.flatMap { lead -> [String] in
            let values = Array(record.lead(lead))
            let finite = values.filter(\.isFinite)
            let shown = peakPreservingDecimation(values, count: columns)
            let plot = braillePlot([shown], width: Self.previewWidth, height: Self.previewHeight)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let name = record.leadNames[lead]
            let unit = record.units[lead].isEmpty ? "" : " " + record.units[lead]
            let range = finite.isEmpty ? "no finite samples"
                : "\(previewNumber(finite.min() ?? 0))..\(previewNumber(finite.max() ?? 0))\(unit)"
            return plot.enumerated().map { row, cells in
                let label = row == 0 ? name : ""
                let padded = label.count >= 4 ? label + " " : label.padding(toLength: 5, withPad: " ", startingAt: 0)
                return padded + cells + (row == 0 ? "  " + range : "")
            }
        }
    }
}

/// `values: [N] -> [count]`: stretch i is the samples with index in [i N / count, (i + 1) N / count),
/// and each output is the finite sample of its stretch farthest from the mean of all finite samples
/// (NaN when the stretch has none). Unlike averaging or picking one sample per stretch, the R peaks of
/// a 5000-sample lead survive at 120 columns. The input itself when count >= N.
func peakPreservingDecimation(_ values: [Double], count: Int) -> [Double] {
    guard count > 0, count < values.count else { return values }
    let finite = values.filter(\.isFinite)
    let center = finite.isEmpty ? 0 : finite.reduce(0, +) / Double(finite.count)
    return (0..<count).map { bucket in
        let start = bucket * values.count / count, end = (bucket + 1) * values.count / count
        var best = Double.nan
        for value in values[start..<end] where value.isFinite {
            if !best.isFinite || abs(value - center) > abs(best - center) { best = value }
        }
        return best
    }
}

/// Two decimals for preview ranges: `-0.42`, `1.83`, `1200.00`.
private func previewNumber(_ value: Double) -> String {
    String(format: "%.2f", value)
}
