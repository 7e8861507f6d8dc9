// The one finite-difference gradient-check table over every TensorCore op, and proof that the check has teeth.
import Testing
import TensorCore
import TestSupport

/// One row of the table: an op applied to inputs drawn for it.
struct GradientCase: Sendable, CustomStringConvertible {
    var name: String
    var shapes: [[Int]]
    /// How inputs are drawn: normal, positive (0.5...2), or normal pushed away from these kink points.
    var positive: Bool = false
    var kinks: [Float] = []
    var function: @Sendable ([Tensor]) throws -> Tensor
    var description: String { name }

    func inputs(seed: UInt64 = 1) -> [Tensor] {
        var generator = RandomStream(seed: seed, stream: name)
        return shapes.map { shape in
            if positive { return Tensor.uniform(shape, low: 0.5, high: 2, using: &generator) }
            let values = Tensor.randn(shape, using: &generator).scalars.map { value -> Float in
                var pushed = value
                for kink in kinks where Swift.abs(pushed - kink) < 0.05 { pushed = kink + (pushed >= kink ? 0.1 : -0.1) }
                return pushed
            }
            return (try? Tensor(shape: shape, scalars: values)) ?? Tensor.zeros(shape)
        }
    }
}

let gradientCases: [GradientCase] = [
    GradientCase(name: "add broadcast", shapes: [[2, 3], [3]]) { try $0[0] + $0[1] },
    GradientCase(name: "sub broadcast", shapes: [[2, 1, 3], [4, 1]]) { try $0[0] - $0[1] },
    GradientCase(name: "mul broadcast", shapes: [[2, 3, 4], [3, 1]]) { try $0[0] * $0[1] },
    GradientCase(name: "div", shapes: [[3, 4], [3, 4]], positive: true) { try $0[0] / $0[1] },
    GradientCase(name: "neg", shapes: [[5]]) { -$0[0] },
    GradientCase(name: "scalar ops", shapes: [[2, 3]]) { 1 - ($0[0] * 3 + 1) / 2 },
    GradientCase(name: "scalar over tensor", shapes: [[4]], positive: true) { 2 / $0[0] },
    GradientCase(name: "exp", shapes: [[2, 3]]) { $0[0].exp() },
    GradientCase(name: "log", shapes: [[2, 3]], positive: true) { $0[0].log() },
    GradientCase(name: "sqrt", shapes: [[2, 3]], positive: true) { $0[0].sqrt() },
    GradientCase(name: "pow 3", shapes: [[2, 3]]) { $0[0].pow(3) },
    GradientCase(name: "pow 2", shapes: [[2, 3]]) { $0[0].pow(2) },
    GradientCase(name: "pow 1.5", shapes: [[4]], positive: true) { $0[0].pow(1.5) },
    GradientCase(name: "abs", shapes: [[6]], kinks: [0]) { $0[0].abs() },
    GradientCase(name: "clamp", shapes: [[3, 4]], kinks: [-0.5, 0.5]) { $0[0].clamped(min: -0.5, max: 0.5) },
    GradientCase(name: "relu", shapes: [[3, 4]], kinks: [0]) { $0[0].relu() },
    GradientCase(name: "prelu per channel", shapes: [[2, 3, 4], [3]], kinks: [0]) { try $0[0].prelu(weight: $0[1]) },
    GradientCase(name: "prelu single", shapes: [[2, 5], [1]], kinks: [0]) { try $0[0].prelu(weight: $0[1]) },
    GradientCase(name: "sigmoid", shapes: [[2, 3]]) { $0[0].sigmoid() },
    GradientCase(name: "tanh", shapes: [[2, 3]]) { $0[0].tanh() },
    GradientCase(name: "softmax axis 1", shapes: [[2, 4, 3]]) { try $0[0].softmax(axis: 1) },
    GradientCase(name: "softmax last", shapes: [[3, 5]]) { try $0[0].softmax(axis: -1) },
    GradientCase(name: "logSoftmax", shapes: [[2, 3, 4]]) { try $0[0].logSoftmax(axis: 2) },
    GradientCase(name: "sum axes keepdim", shapes: [[2, 3, 4]]) { try $0[0].sum(alongAxes: [0, 2], keepingDimensions: true) },
    GradientCase(name: "sum all", shapes: [[2, 3]]) { $0[0].sum() },
    GradientCase(name: "mean axis", shapes: [[2, 3, 4]]) { try $0[0].mean(axis: 1) },
    GradientCase(name: "mean all", shapes: [[3, 4]]) { $0[0].mean() },
    GradientCase(name: "max axis", shapes: [[3, 5]]) { try $0[0].max(axis: 1) },
    GradientCase(name: "min axis 0", shapes: [[4, 3]]) { try $0[0].min(axis: 0, keepingDimensions: true) },
    GradientCase(name: "max all", shapes: [[2, 3]]) { try $0[0].max() },
    GradientCase(name: "matmul", shapes: [[3, 4], [4, 2]]) { try Tensor.matmul($0[0], $0[1]) },
    GradientCase(name: "matmul transposed views", shapes: [[4, 3], [2, 4]]) { try Tensor.matmul($0[0].transposed(), $0[1].transposed()) },
    GradientCase(name: "bmm broadcast", shapes: [[2, 1, 3, 4], [3, 4, 2]]) { try Tensor.matmul($0[0], $0[1]) },
    GradientCase(name: "matmul stack x matrix", shapes: [[2, 3, 4], [4, 5]]) { try Tensor.matmul($0[0], $0[1]) },
    GradientCase(name: "linear", shapes: [[2, 3, 4], [5, 4], [5]]) { try Tensor.linear($0[0], weight: $0[1], bias: $0[2]) },
    GradientCase(name: "conv1d", shapes: [[2, 3, 9], [4, 3, 3], [4]]) { try Tensor.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1) },
    GradientCase(name: "conv1d k7 p3", shapes: [[1, 2, 8], [2, 2, 7], [2]]) { try Tensor.conv1d($0[0], weight: $0[1], bias: $0[2], padding: 3) },
    GradientCase(name: "convTranspose1d", shapes: [[2, 3, 4], [3, 2, 5], [2]]) {
        try Tensor.convTranspose1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2, outputPadding: 1)
    },
    GradientCase(name: "concatenate", shapes: [[2, 3], [2, 2]]) { try Tensor.concatenate([$0[0], $0[1]], axis: 1) },
    GradientCase(name: "stack", shapes: [[2, 3], [2, 3]]) { try Tensor.stack([$0[0], $0[1].exp()], axis: 0) },
    GradientCase(name: "split", shapes: [[5, 2]]) {
        let parts = try $0[0].split(sizes: [2, 3], axis: 0)
        return try Tensor.concatenate([parts[1], parts[0] * 2], axis: 0)
    },
    GradientCase(name: "chunk", shapes: [[2, 6]]) {
        let parts = try $0[0].chunked(3, axis: 1)
        return try parts[0] * parts[2]
    },
    GradientCase(name: "pad", shapes: [[2, 3]]) { try $0[0].padded(axis: 1, before: 2, after: 1, value: 0.5) },
    GradientCase(name: "reshape", shapes: [[2, 6]]) { try $0[0].reshaped(to: [3, -1]).exp() },
    GradientCase(name: "permute", shapes: [[2, 3, 4]]) { try $0[0].permuted([2, 0, 1]).contiguous() },
    GradientCase(name: "transpose then reshape", shapes: [[3, 4]]) { try $0[0].transposed().reshaped(to: [12]) },
    GradientCase(name: "slice with step", shapes: [[7, 2]]) { try $0[0].sliced(axis: 0, start: 1, end: 6, step: 2) },
    GradientCase(name: "expand", shapes: [[3, 1]]) { try $0[0].expanded(to: [2, 3, 4]) * 1 },
    GradientCase(name: "unsqueeze squeeze", shapes: [[3]]) { try $0[0].unsqueezed(axis: 0).squeezed(axis: 0) * 2 },
    GradientCase(name: "indexSelect repeats", shapes: [[4, 3]]) { try $0[0].indexSelect(axis: 0, indices: [2, 0, 2]) },
    GradientCase(name: "dropout mask", shapes: [[2, 4]]) {
        try $0[0].applyingDropoutMask(try Tensor(shape: [2, 4], scalars: [1, 0, 1, 1, 0, 1, 1, 0]), keepProbability: 0.5)
    },
    GradientCase(name: "squaredDifference broadcast", shapes: [[2, 3], [3]]) { try Tensor.squaredDifference($0[0], $0[1]) },
    GradientCase(name: "mse", shapes: [[3, 4], [3, 4]]) { try Tensor.mse($0[0], $0[1]) },
    GradientCase(name: "gaussianNLL", shapes: [[2, 3], [2, 3], [2, 3]]) { try Tensor.gaussianNLL($0[0], mean: $0[1], logVariance: $0[2]) },
    GradientCase(name: "klDiagonalGaussian", shapes: [[2, 3], [2, 3]]) { try Tensor.klDiagonalGaussian(mu: $0[0], logVariance: $0[1]).mean() },
]

@Test("finite-difference gradient check", arguments: gradientCases)
func gradientMatchesFiniteDifferences(_ testCase: GradientCase) throws {
    let result = try checkGradients(testCase.inputs(), testCase.function)
    #expect(result.passed, "\(testCase.name): \(result)")
}

@Test func gradientCheckRejectsAWrongGradient() throws {
    // x^2 with a pullback 5% too large, and one that forgets to sum a broadcast gradient correctly.
    let slightlyWrong = try checkGradients([Tensor([0.7, -1.2, 0.4])]) { inputs in
        let x = inputs[0]
        return Tensor.recordOp(name: "wrong square", output: withNoGrad { x.pow(2) }, inputs: [x]) { g in
            [try g * (x * 2.1)]
        }
    }
    #expect(!slightlyWrong.passed, "a 5% gradient error must fail: \(slightlyWrong)")
    #expect(slightlyWrong.relativeError > 0.04)

    let swappedElements = try checkGradients([Tensor([0.3, -0.8, 1.1, 0.5])]) { inputs in
        let x = inputs[0]
        return Tensor.recordOp(name: "reversed gradient", output: withNoGrad { x.pow(3) }, inputs: [x]) { g in
            let correct = try g * (x.pow(2) * 3)
            return [Tensor(correct.scalars.reversed())]
        }
    }
    #expect(!swappedElements.passed, "misplaced gradient elements must fail: \(swappedElements)")

    let correct = try checkGradients([Tensor([0.7, -1.2, 0.4])]) { inputs in
        let x = inputs[0]
        return Tensor.recordOp(name: "right square", output: withNoGrad { x.pow(2) }, inputs: [x]) { g in [try g * (x * 2)] }
    }
    #expect(correct.passed, "\(correct)")
    #expect(correct.relativeError < 1e-3)
}
