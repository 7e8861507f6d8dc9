// Interpreter+Operators: arithmetic, comparison and logic on values; objects take
// part through `ScriptObject.binary` (element-wise tensor maths lives in that layer).
import Foundation

extension Interpreter {
    func evaluateBinary(_ operation: BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression,
                        range: SourceRange) throws -> Value {
        let left = try evaluate(leftExpression)
        // `and` / `or` short-circuit and need booleans on both sides.
        if operation == .and || operation == .or {
            guard case .bool(let leftFlag) = left else {
                throw ScriptError("'\(operation.rawValue)' needs bool operands, got \(left.typeName)",
                                  range: leftExpression.range)
            }
            if operation == .and, !leftFlag { return .bool(false) }
            if operation == .or, leftFlag { return .bool(true) }
            let right = try evaluate(rightExpression)
            guard case .bool(let rightFlag) = right else {
                throw ScriptError("'\(operation.rawValue)' needs bool operands, got \(right.typeName)",
                                  range: rightExpression.range)
            }
            return .bool(rightFlag)
        }
        let right = try evaluate(rightExpression)
        return try located(range) { try binary(operation, left, right) }
    }

    /// `left op right` for already evaluated operands.
    public func binary(_ operation: BinaryOperator, _ left: Value, _ right: Value) throws -> Value {
        // An object on either side decides first (left, then right), e.g. tensor * 2, 2 * tensor.
        if case .object(let object) = left, let result = try object.binary(operation, right, selfOnLeft: true) {
            return result
        }
        if case .object(let object) = right, let result = try object.binary(operation, left, selfOnLeft: false) {
            return result
        }
        switch (left, right) {
        case let (.number(a), .number(b)):
            return try numeric(operation, a, b)
        case let (.string(a), .string(b)):
            switch operation {
            case .add: return .string(a + b)
            case .less: return .bool(a < b)
            case .lessOrEqual: return .bool(a <= b)
            case .greater: return .bool(a > b)
            case .greaterOrEqual: return .bool(a >= b)
            default: break
            }
        case let (.list(a), .list(b)) where operation == .add:
            return .list(a + b)
        default:
            break
        }
        switch operation {
        case .equal: return .bool(left.isEqual(to: right))
        case .notEqual: return .bool(!left.isEqual(to: right))
        default:
            throw ScriptError("cannot apply '\(operation.rawValue)' to \(left.typeName) and \(right.typeName)")
        }
    }

    private func numeric(_ operation: BinaryOperator, _ a: Double, _ b: Double) throws -> Value {
        switch operation {
        case .add: return .number(a + b)
        case .subtract: return .number(a - b)
        case .multiply: return .number(a * b)
        case .divide: return .number(a / b)
        // Floored remainder, as in Python: the result has the sign of the divisor.
        case .remainder: return .number(a - b * (a / b).rounded(.down))
        case .power: return .number(pow(a, b))
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less: return .bool(a < b)
        case .lessOrEqual: return .bool(a <= b)
        case .greater: return .bool(a > b)
        case .greaterOrEqual: return .bool(a >= b)
        case .and, .or: throw ScriptError("'\(operation.rawValue)' needs bool operands, got number")
        }
    }

    /// `-x` and `not x`.
    public func unary(_ operation: UnaryOperator, _ operand: Value) throws -> Value {
        switch (operation, operand) {
        case let (.negate, .number(number)): return .number(-number)
        case let (.not, .bool(flag)): return .bool(!flag)
        case let (.negate, .object(object)):
            if let result = try object.negated() { return result }
        default: break
        }
        throw ScriptError("cannot apply '\(operation.rawValue)' to \(operand.typeName)")
    }
}
