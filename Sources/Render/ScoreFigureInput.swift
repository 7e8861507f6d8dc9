// The plain input of the score-result figure ("what the model saw"): one record, one model, selected leads.

/// One lead of a scored record, all series sampled at the record's rate.
public struct LeadFigureInput: Sendable {
    /// Lead name, e.g. "II" or "V1".
    public var name: String
    /// The preprocessed signal the model saw: [T].
    public var original: [Double]
    /// The model's reconstruction: [T].
    public var reconstruction: [Double]
    /// The anomaly trace: [T] (e.g. smoothed point-wise error); highlighted where > `traceThreshold`.
    public var anomalyTrace: [Double]
    /// The threshold the trace is compared with.
    public var traceThreshold: Double
    /// Attention (VAE) or saliency (CAE) per sample: [T], or nil to leave the strip out.
    public var explanation: [Double]?
    /// The strip's label, e.g. "attention" or "saliency".
    public var explanationLabel: String
    /// Point-wise squared reconstruction error: [T].
    public var squaredError: [Double]

    public init(name: String, original: [Double], reconstruction: [Double], anomalyTrace: [Double],
                traceThreshold: Double, explanation: [Double]? = nil, explanationLabel: String = "attention",
                squaredError: [Double]) {
        self.name = name
        self.original = original
        self.reconstruction = reconstruction
        self.anomalyTrace = anomalyTrace
        self.traceThreshold = traceThreshold
        self.explanation = explanation
        self.explanationLabel = explanationLabel
        self.squaredError = squaredError
    }
}

/// A scored record as the figure shows it.
public struct ScoreFigureInput: Sendable {
    public var recordName: String
    public var modelName: String
    /// The verdict: true when the record's score exceeds the model's threshold.
    public var isAnomalous: Bool
    /// Heart rate in beats per minute (from R peaks in lead II), or nil when unknown.
    public var heartRate: Double?
    /// Sampling rate in Hz, to label time in seconds.
    public var samplingRate: Double
    public var leads: [LeadFigureInput]

    public init(recordName: String, modelName: String, isAnomalous: Bool, heartRate: Double?,
                samplingRate: Double, leads: [LeadFigureInput]) {
        self.recordName = recordName
        self.modelName = modelName
        self.isAnomalous = isAnomalous
        self.heartRate = heartRate
        self.samplingRate = samplingRate
        self.leads = leads
    }

    /// "This ECG shows anomalies" or "This ECG appears normal".
    public var verdictText: String { Self.verdictText(isAnomalous: isAnomalous) }

    /// The verdict line for a record that is (or is not) anomalous.
    public static func verdictText(isAnomalous: Bool) -> String {
        isAnomalous ? "This ECG shows anomalies" : "This ECG appears normal"
    }

    /// "A0001 — VAE-BiLSTM-MHA — This ECG shows anomalies — HR 72 bpm" (the HR part left out when unknown).
    public var titleLine: String {
        var parts = [recordName, modelName, verdictText]
        if let heartRate, heartRate.isFinite { parts.append("HR \(Int(heartRate.rounded())) bpm") }
        return parts.joined(separator: " — ")
    }
}

/// Errors in figure input: series of one lead with different lengths, or a bad sampling rate.
public enum RenderError: Error, CustomStringConvertible, Equatable, Sendable {
    case seriesLengthMismatch(lead: String, series: String, count: Int, expected: Int)
    case invalidSamplingRate(Double)
    case noLeads(record: String)

    public var description: String {
        switch self {
        case let .seriesLengthMismatch(lead, series, count, expected):
            return "lead \(lead): \(series) has \(count) samples, expected \(expected) (the length of 'original')"
        case let .invalidSamplingRate(rate):
            return "sampling rate \(rate) Hz is invalid; expected a positive finite number"
        case let .noLeads(record):
            return "record \(record): no leads to draw; expected at least one"
        }
    }
}

extension ScoreFigureInput {
    /// Checks that every lead's series have the length of its original signal.
    func validate() throws {
        guard samplingRate > 0, samplingRate.isFinite else { throw RenderError.invalidSamplingRate(samplingRate) }
        guard !leads.isEmpty else { throw RenderError.noLeads(record: recordName) }
        for lead in leads {
            let expected = lead.original.count
            var named = [("reconstruction", lead.reconstruction.count), ("anomalyTrace", lead.anomalyTrace.count),
                         ("squaredError", lead.squaredError.count)]
            if let explanation = lead.explanation { named.append((lead.explanationLabel, explanation.count)) }
            for (series, count) in named where count != expected {
                throw RenderError.seriesLengthMismatch(lead: lead.name, series: series, count: count, expected: expected)
            }
        }
    }
}
