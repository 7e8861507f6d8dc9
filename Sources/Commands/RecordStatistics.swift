// RecordStatistics: what `stats(r)` prints for a record — one row per lead with its sample count,
// min, max, mean and population std of the finite samples, and the NaN and infinity counts.
import ECGKit
import Script

/// Per-lead statistics of a record's samples (double precision, as the record holds them).
struct RecordStatistics {
    /// One lead's row.
    struct Lead {
        var name: String
        var unit: String
        var finiteCount: Int
        var nanCount: Int
        var infinityCount: Int
        var minimum: Double
        var maximum: Double
        var mean: Double
        /// Population standard deviation (`numpy.std` with ddof 0), two passes.
        var standardDeviation: Double
    }

    var recordName: String
    var shape: [Int]
    var leads: [Lead]

    init(_ record: Record) {
        recordName = record.name
        shape = [record.leadCount, record.sampleCount]
        leads = (0..<record.leadCount).map { index in
            let samples = record.samples[(index * record.sampleCount)..<((index + 1) * record.sampleCount)]
            let finite = samples.filter(\.isFinite)
            let mean = finite.isEmpty ? Double.nan : finite.reduce(0, +) / Double(finite.count)
            let squares = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            return Lead(name: record.leadNames[index], unit: record.units[index], finiteCount: finite.count,
                        nanCount: samples.filter(\.isNaN).count, infinityCount: samples.filter(\.isInfinite).count,
                        minimum: finite.min() ?? .nan, maximum: finite.max() ?? .nan, mean: mean,
                        standardDeviation: finite.isEmpty ? .nan : (squares / Double(finite.count)).squareRoot())
        }
    }

    /// `record A0001  shape [12, 7500]`, then a header row and one row per lead.
    var table: String {
        var rows = [["lead", "unit", "min", "max", "mean", "std", "nan", "inf"]]
        for lead in leads {
            rows.append([lead.name, lead.unit.isEmpty ? "-" : lead.unit, formatNumber(lead.minimum), formatNumber(lead.maximum),
                         formatNumber(lead.mean), formatNumber(lead.standardDeviation), String(lead.nanCount),
                         String(lead.infinityCount)])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        let lines = rows.map { row in
            row.enumerated().map { column, cell in
                column < 2 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        return (["record \(recordName)  shape \(describeShape(shape))"] + lines).joined(separator: "\n")
    }
}
