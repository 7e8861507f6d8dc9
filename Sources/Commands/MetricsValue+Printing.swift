// MetricsValue `show` (a table: threshold, P, R, F1, ROC-AUC, PR-AUC, confusion per row), its fields
// and row indexing; ThresholdValue as a number (arithmetic, comparisons, `mean`) and its fields.
import ECGKit
import Evaluation
import Foundation
import Render
import Script

extension MetricsValue {
    /// The fields `e.<TAB>` completes: one number per row (a list with several rows).
    public var fieldNames: [String] {
        ["names", "precision", "recall", "f1", "roc_auc", "pr_auc", "accuracy", "specificity", "tp", "fp", "tn", "fn",
         "threshold", "size"]
    }

    /// A metric of every row: a number for a one-row table, else a list in row order.
    public func field(named name: String) throws -> Value {
        let rows = table.rows
        func perRow(_ value: (EvaluationRow) -> Value) -> Value {
            rows.count == 1 ? value(rows[0]) : .list(rows.map(value))
        }
        func metric(_ value: @escaping (BinaryEvaluation) -> Double) -> Value { perRow { .number(value($0.evaluation)) } }
        switch name {
        case "names": return .list(rows.map { .string($0.name) })
        case "precision": return metric(\.precision)
        case "recall": return metric(\.recall)
        case "f1": return metric(\.f1)
        case "roc_auc": return metric(\.rocAUC)
        case "pr_auc": return metric(\.averagePrecision)
        case "accuracy": return metric(\.accuracy)
        case "specificity": return metric(\.specificity)
        case "tp": return metric { Double($0.confusion.truePositives) }
        case "fp": return metric { Double($0.confusion.falsePositives) }
        case "tn": return metric { Double($0.confusion.trueNegatives) }
        case "fn": return metric { Double($0.confusion.falseNegatives) }
        case "threshold": return perRow { .object(ThresholdValue($0.threshold)) }
        case "size": return .number(Double(rows.count))
        default: throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
        }
    }

    /// `e[i]`: a table of row i alone (negative from the end), or `e["cae"]` by name.
    public func index(_ subscripts: [Subscript]) throws -> Value {
        guard subscripts.count == 1 else { throw ScriptError("metric tables take one index, got \(subscripts.count)") }
        let position: Int
        switch subscripts[0] {
        case .index(let index): position = try Subscript.resolve(index: index, count: table.rows.count)
        case .key(let name):
            guard let found = table.rows.firstIndex(where: { $0.name == name }) else {
                throw ScriptError("no row named \"\(name)\" (rows: \(table.rows.map(\.name).joined(separator: ", ")))")
            }
            position = found
        case .slice(let start, let stop, let step):
            let picked = try Subscript.resolve(start: start, stop: stop, step: step, count: table.rows.count)
            return .object(MetricsValue(MetricTable(rows: picked.map { table.rows[$0] })))
        }
        return .object(MetricsValue(MetricTable(rows: [table.rows[position]])))
    }

    /// The number of rows.
    public var length: Int? { table.rows.count }

    /// `[3]`: the number of rows.
    public var shapeDescription: String { describeShape([table.rows.count]) }

    /// The table: one row per evaluation with its threshold, metrics and confusion counts.
    ///
    ///     model          threshold  n    P      R      F1     ROC-AUC  PR-AUC  TP  FP  TN  FN
    ///     cae (mse)      p95 0.0123  40  0.812  0.650  0.722  0.901    0.845   13   3  17   7
    public func show() -> String {
        var text = TextTable(columns: [
            .init("model"), .init("threshold"), .init("n", alignment: .right), .init("P", alignment: .right),
            .init("R", alignment: .right), .init("F1", alignment: .right), .init("ROC-AUC", alignment: .right),
            .init("PR-AUC", alignment: .right), .init("TP", alignment: .right), .init("FP", alignment: .right),
            .init("TN", alignment: .right), .init("FN", alignment: .right),
        ])
        for row in table.rows {
            let evaluation = row.evaluation
            let confusion = evaluation.confusion
            text.append([row.name, row.threshold.label + " " + formatNumber(row.threshold.value),
                         String(confusion.total), metricText(evaluation.precision), metricText(evaluation.recall),
                         metricText(evaluation.f1), metricText(evaluation.rocAUC), metricText(evaluation.averagePrecision),
                         String(confusion.truePositives), String(confusion.falsePositives),
                         String(confusion.trueNegatives), String(confusion.falseNegatives)])
        }
        return text.render()
    }
}

/// Three decimals, as results tables print them; `nan` when undefined (one class only).
private func metricText(_ value: Double) -> String {
    value.isNaN ? "nan" : String(format: "%.3f", value)
}

extension ThresholdValue {
    /// `t.value`, `t.method` ("p95", "f1", "youden", "pot"), `t.n` (scores it was set on) and the
    /// method's parameters (`t.u`, `t.gamma`, `t.sigma` for pot; `t.f1`, `t.j` for the optimised ones).
    public var fieldNames: [String] { ["value", "method", "n"] + threshold.parameters.keys.sorted() }

    /// See `fieldNames`.
    public func field(named name: String) throws -> Value {
        switch name {
        case "value": return .number(threshold.value)
        case "method": return .string(threshold.label)
        case "n": return .number(Double(threshold.sampleCount))
        default:
            if let parameter = threshold.parameters[name] { return .number(parameter) }
            throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
        }
    }

    /// Its value, so `sum`, `mean`, `min`, `max` treat it as a number.
    public var numericElements: [Double]? { [threshold.value] }

    /// Arithmetic and comparisons as its number: `s.score > tau`, `tau * 1.5`, `s.scores > tau` (with a
    /// tensor, the tensor's element-wise operation with the number).
    public func binary(_ operation: BinaryOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        let value = threshold.value
        switch other {
        case .number(let number):
            let (left, right) = selfOnLeft ? (value, number) : (number, value)
            return numericResult(operation, left, right)
        case .object(let object as ThresholdValue):
            let (left, right) = selfOnLeft ? (value, object.threshold.value) : (object.threshold.value, value)
            return numericResult(operation, left, right)
        case .object(let object):
            return try object.binary(operation, .number(value), selfOnLeft: !selfOnLeft)
        default:
            return nil
        }
    }

    /// `-tau`: the negated number.
    public func negated() throws -> Value? { .number(-threshold.value) }

    /// Equal to another threshold of the same method, value and parameters.
    public func isEqual(to other: any ScriptObject) -> Bool {
        (other as? ThresholdValue)?.threshold == threshold
    }
}

/// `left op right` on numbers; nil for the logical operators.
private func numericResult(_ operation: BinaryOperator, _ left: Double, _ right: Double) -> Value? {
    switch operation {
    case .add: return .number(left + right)
    case .subtract: return .number(left - right)
    case .multiply: return .number(left * right)
    case .divide: return .number(left / right)
    case .remainder: return .number(left - right * (left / right).rounded(.down))
    case .power: return .number(Foundation.pow(left, right))
    case .equal: return .bool(left == right)
    case .notEqual: return .bool(left != right)
    case .less: return .bool(left < right)
    case .lessOrEqual: return .bool(left <= right)
    case .greater: return .bool(left > right)
    case .greaterOrEqual: return .bool(left >= right)
    case .and, .or: return nil
    }
}
