// From score results to Render's figure inputs: a record's ScoreResult as a ScoreFigureInput (signal vs
// reconstruction, anomaly trace against the threshold in trace units, strips), a dataset's scores as groups.
import ECGKit
import Evaluation
import Foundation
import Models
import Render
import Script
import TensorCore

/// Builds the inputs of the score figure, the report and the score distribution.
enum ScoreFigures {
    /// The sampling rate of scored records: a ScoreResult does not carry one, and records are
    /// preprocessed to the reference rate (`PreprocessingOptions.reference`, 500 Hz) before scoring.
    static let samplingRate = PreprocessingOptions.reference.samplingRate

    /// Lead names of an L-lead result: the 12 standard names for 12 leads, else "1" … "L".
    static func leadNames(count: Int) -> [String] {
        count == canonicalLeadNames.count ? canonicalLeadNames : (0..<count).map { String($0 + 1) }
    }

    /// The threshold a figure of `result` uses: `given` when not nil, else the result's own.
    /// - Throws: `ScriptError` naming `argument` when neither exists (no verdict can be drawn).
    static func threshold(of result: ScoreResult, given: Double?, argument: String = "threshold") throws -> Double {
        if let given { return given }
        if let own = result.threshold { return own.value }
        throw ScriptError("score \(result.recordName) has no threshold (the model had none when it scored); "
                          + "set one on the model or pass threshold=", argument: argument)
    }

    /// The record threshold tau in the units of the anomaly trace: tau x (mean trace / score).
    ///
    /// The CAE's trace is its squared error and its score the mean squared error, so the factor is 1
    /// and a sample is highlighted where its error exceeds tau. For the VAEs the trace
    /// (alpha (x - recon)^2 + (1 - alpha) log(sigma^2 + 1e-6)) and the window score live on different
    /// scales; the factor maps a record scoring exactly tau to a trace threshold equal to its mean
    /// trace. Where the factor is undefined (score or mean trace not positive) tau is used as is.
    static func traceThreshold(_ tau: Double, result: ScoreResult) -> Double {
        let trace = result.anomalyTrace.scalars
        let mean = trace.reduce(0.0) { $0 + Double($1) } / Double(max(trace.count, 1))
        guard result.score > 0, result.score.isFinite, mean > 0, mean.isFinite else { return tau }
        return tau * mean / result.score
    }

    /// `result` as the figure input for the leads at `leads` (indices into the result's L leads).
    /// Every `[L, T']` series is cut to the input's T samples (the scorer zero-pads records shorter
    /// than one window). The explanation strip is the attention strip when the result has one, else
    /// the CAE saliency, else none.
    /// - Throws: `ScriptError` when the result holds no input or a lead index is out of range.
    static func figureInput(_ result: ScoreResult, leads: [Int], threshold tau: Double) throws -> ScoreFigureInput {
        guard let input = result.input, input.rank == 2 else {
            throw ScriptError("score \(result.recordName) does not hold the scored signal; score the record again")
        }
        let leadCount = input.shape[0], steps = input.shape[1]
        let names = leadNames(count: leadCount)
        let traceTau = traceThreshold(tau, result: result)
        func row(_ tensor: Tensor?, _ lead: Int) -> [Double]? {
            guard let tensor, tensor.rank == 2, tensor.shape[0] == leadCount, tensor.shape[1] >= steps else { return nil }
            let width = tensor.shape[1]
            return tensor.scalars[(lead * width)..<(lead * width + steps)].map(Double.init)
        }
        let explanation: (values: Tensor?, label: String) = result.leadStrips != nil
            ? (result.leadStrips, "attention") : (result.saliency, "saliency")
        let leadInputs = try leads.map { lead -> LeadFigureInput in
            guard (0..<leadCount).contains(lead) else {
                throw ScriptError("lead \(lead) out of range for a result of \(leadCount) leads", argument: "leads")
            }
            return LeadFigureInput(name: names[lead], original: row(input, lead) ?? [],
                                   reconstruction: row(result.reconstruction, lead) ?? [],
                                   anomalyTrace: row(result.anomalyTrace, lead) ?? [], traceThreshold: traceTau,
                                   explanation: row(explanation.values, lead), explanationLabel: explanation.label,
                                   squaredError: row(result.squaredError, lead) ?? [])
        }
        return ScoreFigureInput(recordName: result.recordName, modelName: modelName(result.modelKind),
                                isAnomalous: result.score > tau, heartRate: result.heartRate.isFinite ? result.heartRate : nil,
                                samplingRate: samplingRate, leads: leadInputs)
    }

    /// The model kind as figures name it: "CAE", "VAE-BiLSTM", "VAE-BiLSTM-MHA", "MA-VAE".
    static func modelName(_ kind: ModelKind) -> String {
        switch kind {
        case .cae: "CAE"
        case .vae: "VAE-BiLSTM"
        case .vaeMHA: "VAE-BiLSTM-MHA"
        case .maVAE: "MA-VAE"
        }
    }

    /// Lead indices from `leads=` for an L-lead result: `fallback` for none, else names (case-insensitive)
    /// or positions (negative from the end).
    static func leadSelection(_ value: Value, leadCount: Int, fallback: [Int]) throws -> [Int] {
        let names = leadNames(count: leadCount)
        let items: [Value]
        switch value {
        case .none: return fallback
        case .list(let list): items = list
        case .string, .number: items = [value]
        default: throw ScriptError("leads must be a list of lead names or positions", argument: "leads")
        }
        guard !items.isEmpty else { throw ScriptError("give at least one lead", argument: "leads") }
        return try items.map { item in
            switch item {
            case .string(let name):
                if let found = names.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) { return found }
                throw ScriptError("no lead '\(name)' in the result (leads: \(names.joined(separator: ", ")))", argument: "leads")
            case .number(let number) where number == number.rounded() && abs(number) < 1e9:
                let position = Int(number)
                guard position >= -leadCount, position < leadCount else {
                    throw ScriptError("lead \(position) out of range for a result of \(leadCount) leads", argument: "leads")
                }
                return position < 0 ? position + leadCount : position
            default:
                throw ScriptError("a lead is a name such as \"II\" or a position such as 1, got \(item.typeName)", argument: "leads")
            }
        }
    }

    /// The default leads of figures and reports: I, II, V1, V5 of a 12-lead result (as `show r`
    /// previews), else all leads.
    static func defaultLeads(count: Int) -> [Int] {
        let names = leadNames(count: count)
        let found = RecordValue.previewLeads.compactMap { names.firstIndex(of: $0) }
        return found.count == RecordValue.previewLeads.count ? found : Array(0..<count)
    }

    /// A dataset's scores grouped by label (normal, anomalous, unknown; empty groups left out).
    static func groups(_ scores: DatasetScores) -> [ScoreGroup] {
        let kinds: [(label: Int?, name: String, color: String)] = [(0, "normal", "#1f77b4"), (1, "anomalous", "#d62728"),
                                                                   (nil, "unlabelled", "#7f7f7f")]
        return kinds.compactMap { kind in
            let members = scores.labels.indices.filter { scores.labels[$0] == kind.label }
            guard !members.isEmpty else { return nil }
            return ScoreGroup(name: kind.name, names: members.map { scores.names[$0] },
                              scores: members.map { scores.scores[$0] }, color: kind.color)
        }
    }

    /// A threshold's method as users type it: "p95" for a percentile with its p, else "f1", "youden", "pot".
    static func methodName(_ threshold: Threshold) -> String {
        if threshold.method == .percentile, let p = threshold.parameters["p"] { return "p" + formatNumber(p) }
        return threshold.method.rawValue
    }

    /// Parses `threshold=`: a number or a threshold value; nil for none.
    static func thresholdArgument(_ value: Value) throws -> Double? {
        switch value {
        case .none: return nil
        case .number(let number) where number.isFinite: return number
        case .object(let object as ThresholdValue): return object.threshold.value
        default: throw ScriptError("threshold must be a number or a threshold, got \(value.typeName)", argument: "threshold")
        }
    }
}
