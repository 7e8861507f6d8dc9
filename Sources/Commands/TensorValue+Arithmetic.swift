// Element-wise arithmetic and comparison of tensors with numbers, lists and tensors (NumPy
// broadcasting, float32 results), unary minus, element-wise functions and axis reductions.
import Foundation
import Script
import TensorCore

extension TensorValue {
    /// `t op x` / `x op t` for `+ - * / % ^ < <= > >=` with a number, a nested list of numbers
    /// or a tensor, broadcast as NumPy does and computed in float32 (NumPy 2 rules for a Python
    /// scalar with a float32 array). Comparisons give 1 where true and 0 where false.
    /// `==` and `!=` are left to the interpreter: they compare whole values and give a bool.
    public func binary(_ operation: BinaryOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        switch operation {
        case .equal, .notEqual, .and, .or: return nil
        default: break
        }
        let otherTensor: Tensor
        switch other {
        case .number(let number): otherTensor = Tensor(Float(number))
        case .list: otherTensor = try tensorFromNestedList(other)
        case .object(let object):
            guard let value = object as? TensorValue else { return nil }
            otherTensor = value.tensor
        default: return nil
        }
        let (left, right) = selfOnLeft ? (tensor, otherTensor) : (otherTensor, tensor)
        return .object(TensorValue(try elementWise(operation, left, right)))
    }

    /// `-t`.
    public func negated() throws -> Value? { .object(TensorValue(-tensor)) }

    /// `abs sqrt exp log round floor ceil` element-wise: each element goes through the same
    /// Double function as a number would, then back to float32.
    public func map(_ functionName: String, _ function: (Double) -> Double) throws -> Value? {
        let values = tensor.scalars.map { Float(function(Double($0))) }
        return .object(TensorValue(try Tensor(shape: tensor.shape, scalars: values)))
    }

    /// `t: [..., n, ...] -> [..., ...]`. `sum|mean|min|max(t, axis=k)`: the reduction along one
    /// axis (negative counts from the end) in float32, as `torch.sum(t, dim=k)`; a number when
    /// the result has no axes left.
    public func reduced(_ name: String, axis: Int) throws -> Value {
        let rank = tensor.rank
        guard axis >= -rank, axis < rank else {
            throw ScriptError("axis \(axis) is out of range for tensor \(shapeDescription)", argument: "axis")
        }
        let resolved = axis < 0 ? axis + rank : axis
        let result: Tensor
        switch name {
        case "sum": result = try tensor.sum(axis: resolved)
        case "mean": result = try tensor.mean(axis: resolved)
        case "min", "max":
            guard tensor.shape[resolved] > 0 else {
                throw ScriptError("\(name) along axis \(axis) of length 0 in tensor \(shapeDescription)", argument: "axis")
            }
            result = name == "min" ? try tensor.min(axis: resolved) : try tensor.max(axis: resolved)
        default:
            throw ScriptError("\(name) cannot reduce along an axis")
        }
        if result.rank == 0 { return .number(Double(try result.item)) }
        return .object(TensorValue(result))
    }
}

/// `left op right` element-wise over the broadcast shape; a clear error when shapes do not broadcast.
private func elementWise(_ operation: BinaryOperator, _ left: Tensor, _ right: Tensor) throws -> Tensor {
    let shape: [Int]
    do {
        shape = try Tensor.broadcastShape(left.shape, right.shape)
    } catch {
        throw ScriptError("cannot broadcast \(describeShape(left.shape)) with \(describeShape(right.shape))")
    }
    switch operation {
    case .add: return try left + right
    case .subtract: return try left - right
    case .multiply: return try left * right
    case .divide: return try left / right
    // Floored remainder as for numbers (and NumPy): the result has the sign of the divisor.
    case .remainder: return try combine(left, right, shape: shape) { a, b in a - b * (a / b).rounded(.down) }
    case .power: return try combine(left, right, shape: shape) { powf($0, $1) }
    case .less: return try combine(left, right, shape: shape) { $0 < $1 ? 1 : 0 }
    case .lessOrEqual: return try combine(left, right, shape: shape) { $0 <= $1 ? 1 : 0 }
    case .greater: return try combine(left, right, shape: shape) { $0 > $1 ? 1 : 0 }
    case .greaterOrEqual: return try combine(left, right, shape: shape) { $0 >= $1 ? 1 : 0 }
    case .equal, .notEqual, .and, .or:
        throw ScriptError("cannot apply '\(operation.rawValue)' element-wise to tensors")
    }
}

/// `f(left, right)` for every element of the broadcast `shape`, into a new tensor.
private func combine(_ left: Tensor, _ right: Tensor, shape: [Int], _ function: (Float, Float) -> Float) throws -> Tensor {
    let a = try left.expanded(to: shape).scalars
    let b = try right.expanded(to: shape).scalars
    var result = [Float](repeating: 0, count: a.count)
    for position in result.indices { result[position] = function(a[position], b[position]) }
    return try Tensor(shape: shape, scalars: result)
}
