// One record's score in a workspace: scalars and names as attributes, window scores and the
// [L, T] traces as datasets, optional attention, lead weights, strips, saliency and input.
import Evaluation
import Formats
import Models
import TensorCore

extension ScoreResult: WorkspaceCodable {
    public static let workspaceTypeName = "score_result"

    /// The optional float32 arrays: dataset name, `dims`, and the stored property.
    nonisolated(unsafe) private static let optionalTraces: [(String, String, WritableKeyPath<ScoreResult, Tensor?>)] = [
        ("sigma", "lead,time", \.sigma),
        ("temporal_attention", "window,query,key", \.temporalAttention),
        ("lead_weights", "window,time,lead", \.leadWeights),
        ("lead_strips", "lead,time", \.leadStrips),
        ("saliency", "lead,time", \.saliency),
        ("input", "lead,time", \.input),
    ]

    /// Attributes `record_name`, `model_kind`, `method` (window score formula), `score` (float64),
    /// `score_source` ("record" | "windows"), `windowed_score`, `heart_rate` (float64, NaN when not
    /// measurable), `label` (int64, when known); float64 `window_scores` [W], int64 `window_starts` [W];
    /// float32 `reconstruction`, `squared_error`, `anomaly_trace` [L, T] (`dims = "lead,time"`); only when
    /// present: float32 `sigma` [L, T], `temporal_attention` [W, Tw, Tw], `lead_weights` [W, Tw, L],
    /// `lead_strips` [L, T], `saliency` [L, T], `input` [L, T]; subgroup `threshold` (when the model had one).
    public func encode(into group: HDF5Group) throws {
        try group.setAttribute("record_name", .string(recordName))
        try group.setAttribute("model_kind", .string(modelKind.rawValue))
        try group.setAttribute("method", .string(method.rawValue))
        try group.setAttribute("score", .double(score))
        try group.setAttribute("score_source", .string(scoreSource.rawValue))
        try group.setAttribute("windowed_score", .double(windowedScore))
        try group.setAttribute("heart_rate", .double(heartRate))
        if let label { try group.setAttribute("label", .int64(Int64(label))) }
        try group.writeWorkspaceDoubles("window_scores", windowScores)
        try group.writeWorkspaceInts("window_starts", windowStarts)
        try group.writeWorkspaceTensor("reconstruction", reconstruction, dims: "lead,time")
        try group.writeWorkspaceTensor("squared_error", squaredError, dims: "lead,time")
        try group.writeWorkspaceTensor("anomaly_trace", anomalyTrace, dims: "lead,time")
        for (name, dims, path) in Self.optionalTraces {
            if let tensor = self[keyPath: path] { try group.writeWorkspaceTensor(name, tensor, dims: dims) }
        }
        try group.writeWorkspaceThreshold("threshold", threshold)
    }

    /// Reads a score written by `encode(into:)`; `window_starts` and the window scores must agree.
    public static func decode(from group: HDF5Group) throws -> ScoreResult {
        let source = try group.workspaceChoice("score_source", ScoreSource.self)
        let windowScores = try group.readWorkspaceDoubles("window_scores")
        let windowStarts = try group.readWorkspaceInts("window_starts")
        guard windowStarts.count == windowScores.count else {
            throw WorkspaceError.malformed(group, "'window_starts' has \(windowStarts.count) entries but "
                                           + "'window_scores' \(windowScores.count)")
        }
        var result = ScoreResult(recordName: try group.workspaceString("record_name"),
                                 modelKind: try group.workspaceChoice("model_kind", ModelKind.self),
                                 method: try group.workspaceChoice("method", WindowScoreMethod.self),
                                 score: try group.workspaceDouble("score"), scoreSource: source,
                                 windowedScore: try group.workspaceDouble("windowed_score"),
                                 windowScores: windowScores, windowStarts: windowStarts,
                                 reconstruction: try group.readWorkspaceTensor("reconstruction", rank: 2), sigma: nil,
                                 squaredError: try group.readWorkspaceTensor("squared_error", rank: 2),
                                 anomalyTrace: try group.readWorkspaceTensor("anomaly_trace", rank: 2),
                                 temporalAttention: nil, leadWeights: nil, leadStrips: nil, saliency: nil,
                                 heartRate: try group.optionalWorkspaceDouble("heart_rate") ?? .nan)
        for (name, _, path) in optionalTraces {
            result[keyPath: path] = try group.readOptionalWorkspaceTensor(name)
        }
        result.label = try group.optionalWorkspaceInt("label")
        result.threshold = try group.readWorkspaceThreshold("threshold")
        return result
    }

    /// "A3794 by cae (mse): 0.0123", the traces' float32 bytes.
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let shape = try group.openDataset("reconstruction").shape()
        var arrays = ["reconstruction", "squared_error", "anomaly_trace"] + optionalTraces.map(\.0)
        arrays = try arrays.filter { try group.exists($0) }
        let bytes = try arrays.reduce(0) { $0 + (try group.openDataset($1).shape().reduce(1, *)) * 4 }
        let summary = "\(try group.workspaceString("record_name")) by \(try group.workspaceString("model_kind")) "
            + "(\(try group.workspaceString("method"))): \(WorkspaceValue.formatted(try group.workspaceDouble("score")))"
        return WorkspaceEntryDetails(shape: shape, summary: summary, bytes: bytes)
    }
}

extension DatasetScores: WorkspaceCodable {
    public static let workspaceTypeName = "dataset_scores"

    /// vlen string `names` [N]; int64 `labels` [N] (0, 1, -1 unknown); float64 `scores` [N] and
    /// `heart_rates` [N]; the ragged window scores flattened as float64 `window_scores` [sum of counts]
    /// with int64 `window_counts` [N]; attributes `model_kind` and `method` (when known); subgroup
    /// `threshold` (when the model had one); subgroup `details` (when kept: a `list` value of N
    /// `score_result` values).
    public func encode(into group: HDF5Group) throws {
        if let modelKind { try group.setAttribute("model_kind", .string(modelKind.rawValue)) }
        if let method { try group.setAttribute("method", .string(method.rawValue)) }
        try group.writeStrings("names", names)
        try group.writeWorkspaceInts("labels", labels.map { $0 ?? -1 })
        try group.writeWorkspaceDoubles("scores", scores)
        try group.writeWorkspaceDoubles("heart_rates", heartRates)
        try group.writeWorkspaceDoubles("window_scores", windowScores.flatMap { $0 })
        try group.writeWorkspaceInts("window_counts", windowScores.map(\.count))
        try group.writeWorkspaceThreshold("threshold", threshold)
        if let details {
            try WorkspaceValue.list(details.map { .object($0) }).encode(into: try group.createGroup("details"))
        }
    }

    /// Reads scores written by `encode(into:)`; every per-record array must have one entry per name.
    public static func decode(from group: HDF5Group) throws -> DatasetScores {
        let names = try group.readStrings("names")
        let labels = try group.readWorkspaceInts("labels")
        let scores = try group.readWorkspaceDoubles("scores")
        let heartRates = try group.readWorkspaceDoubles("heart_rates")
        let flat = try group.readWorkspaceDoubles("window_scores")
        let counts = try group.readWorkspaceInts("window_counts")
        guard [labels.count, scores.count, heartRates.count, counts.count].allSatisfy({ $0 == names.count }),
              counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, +) == flat.count else {
            throw WorkspaceError.malformed(group, "'labels', 'scores', 'heart_rates' and 'window_counts' need one entry "
                                           + "per name (\(names.count)), and the counts must add up to the "
                                           + "\(flat.count) 'window_scores'")
        }
        var offset = 0
        let windowScores = counts.map { count in
            defer { offset += count }
            return Array(flat[offset..<(offset + count)])
        }
        var details: [ScoreResult]?
        if try group.kind(of: "details") == .group {
            guard case .list(let items) = try WorkspaceValue.decode(from: try group.openGroup("details")) else {
                throw WorkspaceError.malformed(group, "'details' must be a list of score results")
            }
            details = try items.map { item in
                guard case .object(let object) = item, let result = object as? ScoreResult else {
                    throw WorkspaceError.malformed(group, "'details' holds a \(item.typeName), not a score_result")
                }
                return result
            }
        }
        var result = DatasetScores(names: names, labels: labels.map { $0 < 0 ? nil : $0 }, scores: scores,
                                   windowScores: windowScores, heartRates: heartRates, details: details)
        if try group.hasAttribute("model_kind") { result.modelKind = try group.workspaceChoice("model_kind", ModelKind.self) }
        if try group.hasAttribute("method") { result.method = try group.workspaceChoice("method", WindowScoreMethod.self) }
        result.threshold = try group.readWorkspaceThreshold("threshold")
        return result
    }

    /// "120 records by vae (elbo)", the record scores' bytes.
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let count = try group.openDataset("names").shape().first ?? 0
        var summary = "\(count) record\(count == 1 ? "" : "s")"
        if try group.hasAttribute("model_kind") { summary += " by \(try group.stringAttribute("model_kind"))" }
        if try group.hasAttribute("method") { summary += " (\(try group.stringAttribute("method")))" }
        if try group.exists("details") { summary += " with details" }
        return WorkspaceEntryDetails(shape: [count], summary: summary, bytes: count * 8)
    }
}
