// The synthetic report the browser tests open: 3 records, 12 leads x 5000 samples at 500 Hz, anomaly
// traces that are a low sinusoid plus rectangular spikes, so exactly known sample runs exceed a threshold.

import Foundation
@testable import Render

/// A rectangular spike of an anomaly trace: samples [start, start + length) set to `height`.
struct TraceSpike: Sendable {
    var start: Int
    var length: Int
    var height: Double
    var range: Range<Int> { start..<(start + length) }
}

enum BrowserReportFixture {
    static let leadNames = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
    static let samplingRate = 500.0
    static let sampleCount = 5000
    /// The report's record threshold tau0; every lead's trace threshold is `traceThreshold` at tau0.
    static let threshold = 0.5
    static let traceThreshold = 1.0
    /// Record scores: at tau0 = 0.5 the verdicts are normal, anomalous, anomalous.
    static let scores = [0.4, 0.7, 1.2]
    /// Spikes per record (the same in every lead). Heights 2.0 / 1.5 / 0.8 against trace thresholds
    /// tau / tau0: at tau0 the 2.0 and 1.5 spikes are above 1.0; at tau = 0.35 (threshold 0.7) all are;
    /// at tau = 0.9 (threshold 1.8) only the 2.0 spikes. Spikes are hundreds of samples apart, many
    /// pixel columns, so per-sample runs and the page script's per-column runs are the same runs.
    static let spikes: [[TraceSpike]] = [
        [TraceSpike(start: 1000, length: 100, height: 2.0), TraceSpike(start: 2500, length: 50, height: 1.5)],
        [TraceSpike(start: 500, length: 100, height: 2.0), TraceSpike(start: 2000, length: 60, height: 1.5),
         TraceSpike(start: 3500, length: 80, height: 0.8)],
        [TraceSpike(start: 600, length: 50, height: 1.5), TraceSpike(start: 1500, length: 80, height: 0.8),
         TraceSpike(start: 2800, length: 80, height: 0.8), TraceSpike(start: 4000, length: 120, height: 2.0)],
    ]

    /// The anomaly trace of one lead: 0.2 + 0.1 sin(2 pi 0.7 t + lead) (never above 0.3) plus the spikes.
    static func trace(record: Int, lead: Int) -> [Double] {
        var values = (0..<sampleCount).map { 0.2 + 0.1 * sin(2 * Double.pi * 0.7 * Double($0) / samplingRate + Double(lead)) }
        for spike in spikes[record] {
            for index in spike.range { values[index] = spike.height }
        }
        return values
    }

    /// An ECG-like signal: a 1.2 Hz sinusoid plus narrow R-like peaks every 0.8 s.
    static func signal(record: Int, lead: Int) -> [Double] {
        (0..<sampleCount).map { index in
            let time = Double(index) / samplingRate
            let phase = time.truncatingRemainder(dividingBy: 0.8) - 0.4
            return 0.3 * sin(2 * Double.pi * 1.2 * time + 0.3 * Double(lead + record)) + 1.5 * exp(-phase * phase / 0.0002)
        }
    }

    static func leadInput(record: Int, lead: Int) -> LeadFigureInput {
        let original = signal(record: record, lead: lead)
        let reconstruction = original.map { 0.85 * $0 + 0.05 }
        return LeadFigureInput(name: leadNames[lead], original: original, reconstruction: reconstruction,
                               anomalyTrace: trace(record: record, lead: lead), traceThreshold: traceThreshold,
                               squaredError: zip(original, reconstruction).map { ($0 - $1) * ($0 - $1) })
    }

    static func figureInput(record: Int, leads: Range<Int> = 0..<12) -> ScoreFigureInput {
        ScoreFigureInput(recordName: "S000\(record + 1)", modelName: "VAE-BiLSTM-MHA", isAnomalous: scores[record] > threshold,
                         heartRate: 75, samplingRate: samplingRate, leads: leads.map { leadInput(record: record, lead: $0) })
    }

    static func reportInput() -> ReportInput {
        ReportInput(title: "Browser test report", threshold: threshold,
                    records: scores.indices.map { ReportRecord(score: scores[$0], figure: figureInput(record: $0)) })
    }

    /// The report's HTML, rendered once for all browser tests.
    static let html: Result<String, any Error> = Result { try HTMLReport(reportInput()).render() }

    // MARK: Expectations computed from the series alone (not from the page or its script).

    /// Runs of consecutive samples with trace > threshold in one lead, as half-open ranges.
    static func runsAbove(_ values: [Double], _ threshold: Double) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var index = 0
        while index < values.count {
            guard values[index] > threshold else { index += 1; continue }
            let start = index
            while index < values.count && values[index] > threshold { index += 1 }
            runs.append(start..<index)
        }
        return runs
    }

    /// Highlighted runs per record at record threshold `tau` (lead thresholds scaled by tau / tau0).
    static func expectedHighlightCounts(tau: Double) -> [Int] {
        scores.indices.map { record in
            leadNames.indices.reduce(0) { total, lead in
                total + runsAbove(trace(record: record, lead: lead), traceThreshold * tau / threshold).count
            }
        }
    }

    static func expectedRowVerdicts(tau: Double) -> [String] { scores.map { $0 > tau ? "anomalous" : "normal" } }

    static func expectedSectionVerdicts(tau: Double) -> [String] {
        scores.map { $0 > tau ? "This ECG shows anomalies" : "This ECG appears normal" }
    }

    // MARK: Figure geometry (ScoreFigure's layout constants at width 900).

    static let plotLeft = 80.0, plotWidth = 708.0
    static let signalTop = 18.0, signalHeight = 90.0
    static let traceTop = 120.0, traceHeight = 56.0
    static let stripTop = 188.0, stripHeight = 12.0
    static let panelHeight = 236.0

    /// The x of sample `index` within a panel.
    static func sampleX(_ index: Int) -> Double { plotLeft + Double(index) / Double(sampleCount) * plotWidth }
}
