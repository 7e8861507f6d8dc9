// TensorStatistics: what `stats(t)` prints — size, min, max, mean, population std of the finite
// elements, and how many elements are NaN or infinite — as a small two-column table.
import Foundation
import Script
import TensorCore

/// Summary statistics of a tensor's elements, accumulated in Double.
struct TensorStatistics: Equatable {
    var shape: [Int]
    var count: Int
    /// Elements that are neither NaN nor infinite; min, max, mean and std describe only these.
    var finiteCount: Int
    var nanCount: Int
    var infinityCount: Int
    var minimum: Double
    var maximum: Double
    var mean: Double
    /// Population standard deviation (`numpy.std` with ddof 0), computed in two passes.
    var standardDeviation: Double

    init(_ tensor: Tensor) {
        shape = tensor.shape
        count = tensor.count
        var nans = 0, infinities = 0, finite = 0
        var low = Double.infinity, high = -Double.infinity, total = 0.0
        var squares = 0.0
        tensor.withUnsafeBufferPointer { elements in
            for element in elements {
                if element.isNaN {
                    nans += 1
                } else if element.isInfinite {
                    infinities += 1
                } else {
                    let value = Double(element)
                    finite += 1
                    total += value
                    low = Swift.min(low, value)
                    high = Swift.max(high, value)
                }
            }
            let average = total / Double(finite)
            for element in elements where element.isFinite {
                let deviation = Double(element) - average
                squares += deviation * deviation
            }
        }
        nanCount = nans
        infinityCount = infinities
        finiteCount = finite
        minimum = finite > 0 ? low : .nan
        maximum = finite > 0 ? high : .nan
        mean = finite > 0 ? total / Double(finite) : .nan
        standardDeviation = finite > 0 ? (squares / Double(finite)).squareRoot() : .nan
    }

    /// The table `stats` prints: one `name  value` line per statistic, numbers as the REPL prints them.
    var table: String {
        let rows: [(String, String)] = [
            ("shape", describeShape(shape)),
            ("size", String(count)),
            ("min", formatNumber(minimum)),
            ("max", formatNumber(maximum)),
            ("mean", formatNumber(mean)),
            ("std", formatNumber(standardDeviation)),
            ("nan", String(nanCount)),
            ("inf", String(infinityCount)),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
            .joined(separator: "\n")
    }
}
