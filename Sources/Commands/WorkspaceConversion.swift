// Language values ↔ workspace values: numbers, strings, bools, none, lists, tensors, records (with
// label and diagnoses), datasets, models, scores, metric tables and thresholds.
import ECGKit
import Evaluation
import Script

/// A value of a type without a workspace form (a future kind): `save "w.h5" x` refuses it, `save "w.h5"`
/// (every variable) skips it with a note.
struct UnstorableValue: Error, CustomStringConvertible {
    /// The variable, or its element path (`items[2]`).
    var name: String
    var typeName: String

    var description: String { "cannot save '\(name)': a \(typeName) has no workspace form" }
}

/// Converts session variables to what a workspace stores and back.
enum WorkspaceConversion {
    /// The kinds a language session reads: ECGKit's, with records and datasets read as the language's
    /// `RecordValue` / `DatasetValue` (which keep label, diagnoses and display name).
    static let registry = WorkspaceRegistry.standard.registering(RecordValue.self).registering(DatasetValue.self)

    /// The stored form of `value`; `name` (the variable, or its element path) appears in errors.
    static func workspaceValue(_ value: Value, name: String) throws -> WorkspaceValue {
        switch value {
        case .number(let number): return .number(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .none: return .none
        case .list(let items):
            return .list(try items.enumerated().map { try workspaceValue($0.element, name: "\(name)[\($0.offset)]") })
        case .object(let object):
            switch object {
            case let tensor as TensorValue: return .tensor(tensor.tensor.contiguous())
            case let record as RecordValue: return .object(record)
            case let dataset as DatasetValue: return .object(dataset)
            case let model as ModelValue: return .object(model.trained)
            case let score as ScoreValue:
                switch score.content {
                case .record(let result): return .object(result)
                case .dataset(let scores): return .object(scores)
                }
            case let metrics as MetricsValue: return .object(metrics.table)
            case let threshold as ThresholdValue: return .object(threshold.threshold)
            default:
                throw UnstorableValue(name: name, typeName: object.typeName)
            }
        }
    }

    /// The language value of a stored value.
    static func value(_ stored: WorkspaceValue) throws -> Value {
        switch stored {
        case .number(let number): return .number(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .none: return .none
        case .list(let items): return .list(try items.map(value))
        case .tensor(let tensor): return .object(TensorValue(tensor))
        case .record(let record): return .object(RecordValue(record))
        case .object(let object):
            switch object {
            case let record as RecordValue: return .object(record)
            case let dataset as DatasetValue: return .object(dataset)
            case let dataset as Dataset: return .object(DatasetValue(dataset, name: "workspace"))
            case let model as TrainedModel: return .object(ModelValue(model))
            case let result as ScoreResult: return .object(ScoreValue(.record(result)))
            case let scores as DatasetScores: return .object(ScoreValue(.dataset(scores)))
            case let table as MetricTable: return .object(MetricsValue(table))
            case let threshold as Threshold: return .object(ThresholdValue(threshold))
            default:
                throw ScriptError("a stored \(type(of: object).workspaceTypeName) has no language value")
            }
        }
    }
}
