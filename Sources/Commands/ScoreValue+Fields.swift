// ScoreValue fields (`s.score`, `s.recon`, `s.attention` … of a record; `s.scores`, `s.names` … of a
// dataset), indexing a dataset's results (`s[i]`, `s["A0001"]`), and its numbers for `mean(s)`.
import ECGKit
import Script
import TensorCore

extension ScoreValue {
    /// The fields `s.<TAB>` completes: a record's or a dataset's.
    public var fieldNames: [String] {
        switch content {
        case .record:
            ["score", "windows", "window_starts", "recon", "sigma", "trace", "error", "attention", "lead_weights",
             "strips", "saliency", "heart_rate", "input", "method", "model", "threshold", "verdict", "label", "name",
             "source", "windowed"]
        case .dataset:
            ["scores", "names", "labels", "windows", "heart_rates", "details", "method", "model", "threshold",
             "verdicts", "size"]
        }
    }

    /// See `help score` for each field.
    public func field(named name: String) throws -> Value {
        switch content {
        case .record(let result): return try recordField(name, result)
        case .dataset(let scores): return try datasetField(name, scores)
        }
    }

    private func recordField(_ name: String, _ result: ScoreResult) throws -> Value {
        func tensor(_ value: Tensor?) -> Value { value.map { .object(TensorValue($0)) } ?? .none }
        switch name {
        case "score": return .number(result.score)
        case "windows": return .object(TensorValue(try doubleTensor(result.windowScores)))
        case "window_starts": return .list(result.windowStarts.map { .number(Double($0)) })
        case "recon": return tensor(result.reconstruction)
        case "sigma": return tensor(result.sigma)
        case "trace": return tensor(result.anomalyTrace)
        case "error": return tensor(result.squaredError)
        case "attention": return tensor(result.temporalAttention)
        case "lead_weights": return tensor(result.leadWeights)
        case "strips": return tensor(result.leadStrips)
        case "saliency": return tensor(result.saliency)
        case "heart_rate": return result.heartRate.isNaN ? .none : .number(result.heartRate)
        case "input": return tensor(result.input)
        case "method": return .string(result.method.rawValue)
        case "model": return .string(result.modelKind.rawValue)
        case "threshold": return result.threshold.map { .object(ThresholdValue($0)) } ?? .none
        case "verdict": return result.isAnomalous.map { .string($0 ? "anomalous" : "normal") } ?? .none
        case "label": return result.label.map { .number(Double($0)) } ?? .none
        case "name": return .string(result.recordName)
        case "source": return .string(result.scoreSource.rawValue)
        case "windowed": return .number(result.windowedScore)
        default: throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
        }
    }

    private func datasetField(_ name: String, _ scores: DatasetScores) throws -> Value {
        switch name {
        case "scores": return .object(TensorValue(try doubleTensor(scores.scores)))
        case "names": return .list(scores.names.map { .string($0) })
        case "labels": return .list(scores.labels.map { $0.map { .number(Double($0)) } ?? .none })
        case "windows":
            let counts = Set(scores.windowScores.map(\.count))
            if counts.count == 1, let width = counts.first {
                return .object(TensorValue(try Tensor(shape: [scores.windowScores.count, width],
                                                      scalars: scores.windowScores.joined().map(Float.init))))
            }
            return .list(try scores.windowScores.map { .object(TensorValue(try doubleTensor($0))) })
        case "heart_rates": return .object(TensorValue(try doubleTensor(scores.heartRates)))
        case "details": return scores.details.map { .list($0.map { .object(ScoreValue(.record($0))) }) } ?? .none
        case "method": return scores.method.map { .string($0.rawValue) } ?? .none
        case "model": return scores.modelKind.map { .string($0.rawValue) } ?? .none
        case "threshold": return scores.threshold.map { .object(ThresholdValue($0)) } ?? .none
        case "verdicts":
            return scores.threshold.map { threshold in .list(scores.scores.map { .bool(threshold.isAnomalous($0)) }) } ?? .none
        case "size": return .number(Double(scores.scores.count))
        default: throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
        }
    }

    /// `s[i]` (negative from the end) or `s["A0001"]`: one record's full result of a dataset scored with
    /// details=true.
    public func index(_ subscripts: [Subscript]) throws -> Value {
        guard case .dataset(let scores) = content else {
            throw ScriptError("a record's score cannot be indexed; its fields are s.score, s.windows, s.recon …")
        }
        guard subscripts.count == 1 else { throw ScriptError("scores take one index, got \(subscripts.count)") }
        let position: Int
        switch subscripts[0] {
        case .index(let index): position = try Subscript.resolve(index: index, count: scores.scores.count)
        case .key(let name):
            guard let found = scores.names.firstIndex(of: name) else {
                var message = "no record named \"\(name)\" among the scores"
                if let suggestion = nearestName(to: name, in: scores.names) { message += "; did you mean \"\(suggestion)\"?" }
                throw ScriptError(message)
            }
            position = found
        case .slice:
            throw ScriptError("scores are indexed by one record (s[0], s[\"A0001\"]); slice s.scores instead")
        }
        guard let details = scores.details else {
            throw ScriptError("the per-record results were not kept: score the dataset with details=true")
        }
        return .object(ScoreValue(.record(details[position])))
    }

    /// A dataset's number of records; none for a record's result.
    public var length: Int? {
        if case .dataset(let scores) = content { return scores.scores.count }
        return nil
    }

    /// The record scores (`mean(s)`, `threshold(s)`), or the one record's score.
    public var numericElements: [Double]? {
        switch content {
        case .record(let result): [result.score]
        case .dataset(let scores): scores.scores
        }
    }

    /// `[19]` windows of a record, `[N]` records of a dataset.
    public var shapeDescription: String {
        switch content {
        case .record(let result): describeShape([result.windowScores.count])
        case .dataset(let scores): describeShape([scores.scores.count])
        }
    }

    /// The float32 tensors of a record's result (4 bytes per element); 8 bytes per score of a dataset
    /// plus its kept results.
    public var byteCount: Int {
        switch content {
        case .record(let result): return recordBytes(result)
        case .dataset(let scores):
            let numbers = scores.scores.count * 2 + scores.windowScores.reduce(0) { $0 + $1.count }
            return numbers * 8 + (scores.details ?? []).reduce(0) { $0 + recordBytes($1) }
        }
    }
}

/// Bytes of the tensors a record's result holds.
private func recordBytes(_ result: ScoreResult) -> Int {
    let tensors: [Tensor?] = [result.reconstruction, result.sigma, result.squaredError, result.anomalyTrace,
                              result.temporalAttention, result.leadWeights, result.leadStrips, result.saliency, result.input]
    return tensors.reduce(0) { $0 + ($1?.count ?? 0) * 4 } + result.windowScores.count * 16
}

/// `values: [N]` as a float32 tensor `[N]`.
private func doubleTensor(_ values: [Double]) throws -> Tensor {
    try Tensor(shape: [values.count], scalars: values.map(Float.init))
}
