// Typed errors thrown by Tensor operations: each names the op and what was expected.

/// An error from a tensor operation, naming the op and the expected and actual shapes or values.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Shapes that the op cannot combine, e.g. `matmul: expected [M, K] x [K, N], got [2, 3] x [4, 5]`.
    case shapeMismatch(op: String, expected: String, actual: String)
    /// An axis outside `-rank..<rank`.
    case invalidAxis(op: String, axis: Int, rank: Int)
    /// Any other invalid argument (negative size, bad stride, index out of range...).
    case invalidArgument(op: String, message: String)

    /// The message shown to users: op name, then what was expected and what was found.
    public var description: String {
        switch self {
        case let .shapeMismatch(op, expected, actual):
            return "\(op): expected \(expected), got \(actual)"
        case let .invalidAxis(op, axis, rank):
            return "\(op): axis \(axis) is out of range for a tensor of rank \(rank)"
        case let .invalidArgument(op, message):
            return "\(op): \(message)"
        }
    }
}

/// Formats a shape the way error messages print it: `[2, 3, 4]` (shared with NN's errors).
@inline(__always)
package func describe(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

/// Resolves a possibly negative axis against `rank`, throwing when it is out of range.
@inline(__always)
func normalizeAxis(_ axis: Int, rank: Int, op: String) throws(TensorError) -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    guard resolved >= 0 && resolved < rank else { throw TensorError.invalidAxis(op: op, axis: axis, rank: rank) }
    return resolved
}
