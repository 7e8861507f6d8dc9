// Scores records with a trained model: window scores, record score, overlap-averaged reconstruction,
// sigma, anomaly trace, attention, strips, saliency and heart rate (models.md "Scores", the dashboard).
import Foundation
import Models
import NN
import Signal
import TensorCore

/// Scores preprocessed records with a trained model (evaluation mode, no grad; saliency alone uses grad).
public enum Scorer {
    /// Scores one preprocessed record `[L, T]` (L = the model's leads).
    ///
    /// The record is cut into windows of `options.window` every `options.stride` samples (zero-padded to
    /// one window when shorter) and run as one batch. Window scores by `options.method` (default per model
    /// kind, `ScoringOptions.defaultMethod`). Record score: the CAE's whole-record MSE
    /// (`caePass: .wholeRecord`, the reference dashboard) or else the mean window score (`ecg_score`).
    /// Reconstruction and sigma are overlap-averaged back to `[L, T]` (reference
    /// `reconstruct_full_mean_std`). Leaves the model in eval mode.
    /// - Throws: `ScoringError` for a lead-count mismatch or bad options; layer errors.
    public static func score(_ model: any AnomalyModel, record: Record,
                             options: ScoringOptions = ScoringOptions()) throws -> ScoreResult {
        let adapter = try ModelAdapter(model)
        try validate(options, adapter: adapter)
        let leads = model.configuration.leads
        guard record.leadCount == leads else {
            throw ScoringError.leadCount(record: record.name, expected: leads, actual: record.leadCount)
        }
        model.eval()
        let steps = max(record.sampleCount, options.window)
        let input = paddedSamples(record, steps: steps)
        let starts = Windowing.windowStarts(samples: steps, window: options.window, stride: options.stride)
        let method = options.method ?? ScoringOptions.defaultMethod(for: adapter.kind)
        var result: ScoreResult
        switch adapter {
        case .cae(let cae):
            result = try scoreCAE(cae, input: input, leads: leads, steps: steps, starts: starts, options: options)
        case .vae, .maVAE:
            result = try scoreVariational(adapter, input: input, leads: leads, steps: steps, starts: starts,
                                          method: method, options: options, recordName: record.name)
        }
        result.recordName = record.name
        result.method = method
        if options.leadStrips, adapter.hasTemporalAttention {
            result.leadStrips = try LeadStrips.batched(adapter, input: input, leads: leads, steps: steps, options: options)
        }
        result.heartRate = heartRate(record, lead: options.heartRateLead)
        result.input = try Tensor(shape: [record.leadCount, record.sampleCount],
                                  scalars: steps == record.sampleCount ? input : record.samples.map(Float.init))
        return result
    }

    /// Scores every record of `dataset` in order, calling `progress(done, total)` after each record and
    /// `checkCancellation` before each (its error propagates). `keepDetails` keeps every `ScoreResult`
    /// (with their `[L, T]` traces); otherwise only scores are kept, and attention is never kept.
    public static func score(_ model: any AnomalyModel, dataset: Dataset, options: ScoringOptions = ScoringOptions(),
                             keepDetails: Bool = false, progress: ((Int, Int) -> Void)? = nil,
                             checkCancellation: (() throws -> Void)? = nil) throws -> DatasetScores {
        var perRecord = options
        if !keepDetails {
            perRecord.keepAttention = false
            perRecord.leadStrips = false
            perRecord.saliency = false
        }
        var scores = DatasetScores(names: dataset.names, labels: dataset.labels, scores: [], windowScores: [],
                                   heartRates: [], details: keepDetails ? [] : nil,
                                   modelKind: model.configuration.kind,
                                   method: options.method ?? ScoringOptions.defaultMethod(for: model.configuration.kind))
        for (index, record) in dataset.records.enumerated() {
            try checkCancellation?()
            var result = try score(model, record: record, options: perRecord)
            result.label = dataset.labels[index]
            scores.scores.append(result.score)
            scores.windowScores.append(result.windowScores)
            scores.heartRates.append(result.heartRate)
            if keepDetails { scores.details?.append(result) }
            progress?(index + 1, dataset.count)
        }
        return scores
    }

    static func validate(_ options: ScoringOptions, adapter: ModelAdapter) throws {
        guard options.window > 0, options.stride > 0, options.stripWindow > 0, options.stripStride > 0 else {
            throw ScoringError.invalidOption("window, stride, stripWindow and stripStride must be positive")
        }
        let method = options.method ?? ScoringOptions.defaultMethod(for: adapter.kind)
        if adapter.kind == .cae, method != .mse {
            throw ScoringError.unsupportedMethod(method: method.rawValue, model: "the CAE (it scores by mse)")
        }
        if method == .attentionWeighted, !adapter.hasTemporalAttention {
            throw ScoringError.unsupportedMethod(method: method.rawValue, model: adapter.model.signature)
        }
        if options.saliency, adapter.kind != .cae {
            throw ScoringError.invalidOption("saliency is computed for the CAE; attention models have lead strips")
        }
    }

    /// The record's samples `[L, T]` as Float, zero-padded to `steps`.
    static func paddedSamples(_ record: Record, steps: Int) -> [Float] {
        var values = [Float](repeating: 0, count: record.leadCount * steps)
        for lead in 0..<record.leadCount {
            for (offset, value) in record.lead(lead).enumerated() { values[lead * steps + offset] = Float(value) }
        }
        return values
    }

    static func scoreCAE(_ model: CAE, input: [Float], leads: Int, steps: Int, starts: [Int],
                         options: ScoringOptions) throws -> ScoreResult {
        let cut = try Windowing.extract(input, leads: leads, window: options.window, stride: options.stride,
                                        layout: .leadsByTime)
        let windowTensor = try Tensor(shape: [cut.count, leads, options.window], scalars: cut.windows)
        let windowReconstruction = try withNoGrad { try model.forward(windowTensor) }.scalars
        let windowInput = windowTensor.scalars
        let size = leads * options.window
        let windowScores = (0..<starts.count).map { window in
            var sum = 0.0
            for index in (window * size)..<((window + 1) * size) {
                let difference = Double(windowInput[index]) - Double(windowReconstruction[index])
                sum += difference * difference
            }
            return sum / Double(size)
        }
        let windowedScore = windowScores.reduce(0, +) / Double(max(windowScores.count, 1))
        let record = try Tensor(shape: [leads, steps], scalars: input)
        var reconstruction: [Float], score: Double, source: ScoreResult.ScoreSource
        switch options.caePass {
        case .wholeRecord:
            let whole = try model.reconstructionError(record: record)
            (reconstruction, score, source) = (whole.reconstruction.scalars, whole.overall, .wholeRecord)
        case .windows:
            reconstruction = try Windowing.overlapAverage(windowReconstruction, leads: leads, window: options.window,
                                                          stride: options.stride, samples: steps, layout: .leadsByTime)
            (score, source) = (windowedScore, .windowMean)
        }
        let squared = zip(input, reconstruction).map { ($0 - $1) * ($0 - $1) }
        let squaredError = try Tensor(shape: [leads, steps], scalars: squared)
        return ScoreResult(
            recordName: "", modelKind: .cae, method: .mse, score: score, scoreSource: source, windowedScore: windowedScore,
            windowScores: windowScores, windowStarts: starts,
            reconstruction: try Tensor(shape: [leads, steps], scalars: reconstruction), sigma: nil,
            squaredError: squaredError, anomalyTrace: squaredError, temporalAttention: nil, leadWeights: nil,
            leadStrips: nil, saliency: options.saliency ? try model.saliency(record: record) : nil, heartRate: .nan)
    }

    static func scoreVariational(_ adapter: ModelAdapter, input: [Float], leads: Int, steps: Int, starts: [Int],
                                 method: WindowScoreMethod, options: ScoringOptions,
                                 recordName: String) throws -> ScoreResult {
        let cut = try Windowing.extract(input, leads: leads, window: options.window, stride: options.stride,
                                        layout: .timeByLeads)
        let windowTensor = try Tensor(shape: [cut.count, options.window, leads], scalars: cut.windows)
        var generator: RandomStream, sample: Bool
        switch options.latentSampling {
        case .sampled(let seed): (generator, sample) = (RandomStream(seed: seed, stream: "score:\(recordName)"), true)
        case .mean: (generator, sample) = (RandomStream(seed: 0), false)
        }
        let forward = try withNoGrad { try adapter.variationalOutputs(windowTensor, using: &generator, sampleLatent: sample) }
        guard let (outputs, leadWeights) = forward else {
            throw ScoringError.invalidOption("\(adapter.model.signature) has no variational outputs")
        }
        let windowScores = WindowScores.scores(outputs, method: method, alpha: options.weightedAlpha, beta: options.weightedBeta)
        let windowedScore = windowScores.reduce(0, +) / Double(max(windowScores.count, 1))
        let reconstruction = try Windowing.overlapAverage(outputs.mean.map(Double.init), leads: leads, window: options.window,
                                                          stride: options.stride, samples: steps, layout: .timeByLeads)
        let sigma = try Windowing.overlapAverage(outputs.logVariance.map { exp(0.5 * Double($0)) }, leads: leads,
                                                 window: options.window, stride: options.stride, samples: steps,
                                                 layout: .timeByLeads)
        let x = input.map(Double.init)
        let trace = WindowScores.anomalyTrace(input: x, reconstruction: reconstruction, sigma: sigma, alpha: options.traceAlpha)
        let squared = zip(x, reconstruction).map { ($0 - $1) * ($0 - $1) }
        let shape = [leads, steps]
        let attention = options.keepAttention
            ? try outputs.attention.map { try Tensor(shape: [starts.count, options.window, options.window], scalars: $0) } : nil
        return ScoreResult(
            recordName: recordName, modelKind: adapter.kind, method: method, score: windowedScore, scoreSource: .windowMean,
            windowedScore: windowedScore, windowScores: windowScores, windowStarts: starts,
            reconstruction: try Tensor(shape: shape, scalars: reconstruction.map(Float.init)),
            sigma: try Tensor(shape: shape, scalars: sigma.map(Float.init)),
            squaredError: try Tensor(shape: shape, scalars: squared.map(Float.init)),
            anomalyTrace: try Tensor(shape: shape, scalars: trace.map(Float.init)),
            temporalAttention: attention, leadWeights: options.keepAttention ? leadWeights : nil,
            leadStrips: nil, saliency: nil, heartRate: .nan)
    }

    /// The reference dashboard's BPM on `lead` (`Peaks.dashboardHeartRate`), NaN when the record lacks it.
    static func heartRate(_ record: Record, lead name: String) -> Double {
        guard let index = record.leadNames.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
            return .nan
        }
        return (try? Peaks.dashboardHeartRate(lead: Array(record.lead(index)), samplingRate: record.samplingRate)) ?? .nan
    }
}
