// ProgressReporter: progress of long work (loading, preprocessing, later training) — a redrawn
// bar with rate and time left on a terminal, occasional plain log lines otherwise.
import Foundation
import Script

/// Reports `done / total` steps of one piece of long work to an `Output`.
///
/// On a terminal (`output.isTerminal`) it redraws one line with `\r` at most every
/// `redrawInterval` seconds: `dataset [########--------]  12/21 records  30.5/s  0.3 s left`,
/// and `finish()` erases it. Elsewhere (scripts, pipes, tests) it writes a plain line such as
/// `dataset: 12/21 records (57%)  30.5/s  0.3 s left` only when `logInterval` seconds have
/// passed since the start or the previous line, so quick work prints nothing and logs stay short.
///
/// Usage (training will do the same per epoch):
///
///     let progress = ProgressReporter(output: interpreter.output, label: "dataset", unit: "records")
///     defer { progress.finish() }
///     ... progress.update(done: k, total: n) ...
public final class ProgressReporter {
    /// Cells of the terminal bar.
    public static let barWidth = 16

    private let output: any Output
    private let label: String
    private let unit: String
    private let clock: () -> Double
    private let start: Double
    /// Seconds between terminal redraws.
    public var redrawInterval = 0.1
    /// Seconds between plain log lines when the output is not a terminal.
    public var logInterval = 10.0
    private var lastWrite: Double
    private var drawnWidth = 0

    /// A reporter for `label` (the command's name) counting `unit` (`records`, `batches` …).
    /// - Parameter clock: seconds on a monotonic clock; injectable for tests.
    public init(output: any Output, label: String, unit: String,
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.output = output
        self.label = label
        self.unit = unit
        self.clock = clock
        self.start = clock()
        self.lastWrite = start
    }

    /// Records that `done` of `total` steps are finished; draws or logs when it is time to.
    public func update(done: Int, total: Int) {
        let now = clock()
        if output.isTerminal {
            guard now - lastWrite >= redrawInterval || done == total else { return }
            let line = barLine(done: done, total: total, elapsed: now - start)
            output.write("\r" + line + String(repeating: " ", count: max(0, drawnWidth - line.count)))
            drawnWidth = line.count
        } else {
            guard now - lastWrite >= logInterval, done < total else { return }
            output.writeLine(logLine(done: done, total: total, elapsed: now - start))
        }
        lastWrite = now
    }

    /// Ends the report: erases the terminal bar (nothing to do for log lines).
    public func finish() {
        guard output.isTerminal, drawnWidth > 0 else { return }
        output.write("\r" + String(repeating: " ", count: drawnWidth) + "\r")
        drawnWidth = 0
    }

    /// `dataset [########--------]  12/21 records  30.5/s  0.3 s left`.
    public func barLine(done: Int, total: Int, elapsed: Double) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(Self.barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.barWidth - filled)
        return "\(label) [\(bar)]  \(done)/\(total) \(unit)" + rateAndRemaining(done: done, total: total, elapsed: elapsed)
    }

    /// `dataset: 12/21 records (57%)  30.5/s  0.3 s left`.
    public func logLine(done: Int, total: Int, elapsed: Double) -> String {
        let percent = total > 0 ? Int((100 * Double(done) / Double(total)).rounded(.down)) : 100
        return "\(label): \(done)/\(total) \(unit) (\(percent)%)" + rateAndRemaining(done: done, total: total, elapsed: elapsed)
    }

    /// `  30.5/s  0.3 s left`; the rate alone once all is done; empty before anything is done.
    private func rateAndRemaining(done: Int, total: Int, elapsed: Double) -> String {
        guard done > 0, elapsed > 0 else { return "" }
        let rate = Double(done) / elapsed
        let rateText = "  " + String(format: rate >= 100 ? "%.0f/s" : "%.1f/s", rate)
        guard done < total else { return rateText }
        return rateText + "  " + formatDuration(Double(total - done) / rate) + " left"
    }
}
