// `show d`: a dataset's summary, source, and a table of its records (name, rate, duration, label,
// diagnoses), eliding the middle of long datasets.
import ECGKit
import Foundation
import Render
import Script

extension DatasetValue {
    /// Datasets with more records show the first and last `elidedEdge` rows around a `...` line.
    public static let tableLimit = 30
    /// Rows kept at each end of an elided table.
    public static let elidedEdge = 10

    /// The summary, `source:`, skipped files, then a table: `#  name  fs  duration  leads  label  diagnoses`.
    public func show() -> String {
        var lines = [summary, "source: \(dataset.source)"]
        if !dataset.skipped.isEmpty { lines.append("skipped: \(dataset.skipped.count) file(s), see d.skipped") }
        guard dataset.count > 0 else { return lines.joined(separator: "\n") }
        var table = TextTable(columns: [
            .init("#", alignment: .right), .init("name"), .init("fs", alignment: .right),
            .init("duration", alignment: .right), .init("leads", alignment: .right), .init("label"), .init("diagnoses"),
        ])
        let count = dataset.count
        let elided = count > Self.tableLimit
        let shown = elided ? Array(0..<Self.elidedEdge) + Array(count - Self.elidedEdge..<count) : Array(0..<count)
        for (position, index) in shown.enumerated() {
            if elided && position == Self.elidedEdge { table.append(["...", "..."]) }
            let record = dataset.records[index]
            let label = dataset.labels[index].map { $0 == 0 ? "normal" : "abnormal" } ?? "-"
            table.append([
                String(index), record.name, formatNumber(record.samplingRate) + " Hz",
                String(format: "%.1f s", record.duration), String(record.leadCount), label,
                dataset.diagnoses[index].joined(separator: ","),
            ])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
