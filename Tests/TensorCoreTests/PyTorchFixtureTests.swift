// Forward outputs and input/weight/bias gradients compared with PyTorch 2.15 fixtures (scripts/reference/tensor_ops.py).
import Foundation
import Testing
import TensorCore
import TestSupport

/// Loads `<case>_<name>.npy` from the Fixtures folder as a Tensor.
func fixture(_ testCase: String, _ name: String) throws -> Tensor {
    let array = try NPYFixture(contentsOf: TestPaths.fixtures().appendingPathComponent("\(testCase)_\(name).npy"))
    return try Tensor(shape: array.shape, scalars: array.values)
}

/// Runs `function` on the fixture inputs `names` (as leaves), backpropagates the fixture seed `g`
/// and compares the output and every input gradient with PyTorch to 1e-4 relative.
func compareWithPyTorch(_ testCase: String, inputs names: [String], _ function: ([Tensor]) throws -> Tensor) throws {
    let inputs = try names.map { name -> Tensor in
        var leaf = try fixture(testCase, name)
        leaf.requiresGrad = true
        return leaf
    }
    let output = try function(inputs)
    let expected = try fixture(testCase, "out")
    #expect(output.shape == expected.shape, "\(testCase): output shape")
    let scale = Double(expected.scalars.map { Swift.abs($0) }.max() ?? 1)
    let outputMismatch = firstMismatch(output.scalars, expected.scalars, rtol: 1e-4, atol: 1e-6 * scale)
    #expect(outputMismatch == nil, "\(testCase) output: \(outputMismatch.map(String.init(describing:)) ?? "")")
    try output.backward(try fixture(testCase, "g"))
    for (name, input) in zip(names, inputs) {
        let expectedGradient = try fixture(testCase, "grad_" + name)
        let gradient = try #require(input.grad, "\(testCase): no gradient for \(name)")
        #expect(gradient.shape == expectedGradient.shape)
        let gradientScale = Double(expectedGradient.scalars.map { Swift.abs($0) }.max() ?? 1)
        let mismatch = firstMismatch(gradient.scalars, expectedGradient.scalars, rtol: 1e-4, atol: 1e-6 * gradientScale)
        #expect(mismatch == nil, "\(testCase) grad \(name): \(mismatch.map(String.init(describing:)) ?? "")")
    }
}

@Test func matmulMatchesPyTorch() throws {
    try compareWithPyTorch("matmul", inputs: ["a", "b"]) { try Tensor.matmul($0[0], $0[1]) }
}

@Test func batchedMatmulWithBroadcastMatchesPyTorch() throws {
    try compareWithPyTorch("bmm", inputs: ["a", "b"]) { try Tensor.matmul($0[0], $0[1]) }
}

@Test func linearMatchesPyTorch() throws {
    try compareWithPyTorch("linear", inputs: ["x", "w", "b"]) { try Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }
}

@Test func conv1dMatchesPyTorch() throws {
    try compareWithPyTorch("conv1d", inputs: ["x", "w", "b"]) { try Tensor.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
    try compareWithPyTorch("conv1d_s1", inputs: ["x", "w", "b"]) { try Tensor.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 3) }
}

@Test func convTranspose1dMatchesPyTorch() throws {
    try compareWithPyTorch("convt1d", inputs: ["x", "w", "b"]) {
        try Tensor.convTranspose1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2, outputPadding: 1)
    }
    try compareWithPyTorch("convt1d_s1", inputs: ["x", "w", "b"]) {
        try Tensor.convTranspose1d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 1)
    }
}

@Test func softmaxMatchesPyTorch() throws {
    try compareWithPyTorch("softmax", inputs: ["x"]) { try $0[0].softmax(axis: 1) }
    try compareWithPyTorch("logsoftmax", inputs: ["x"]) { try $0[0].logSoftmax(axis: -1) }
}

@Test func preluMatchesPyTorch() throws {
    try compareWithPyTorch("prelu", inputs: ["x", "w"]) { try $0[0].prelu(weight: $0[1]) }
    try compareWithPyTorch("prelu1", inputs: ["x", "w"]) { try $0[0].prelu(weight: $0[1]) }
}

@Test func clampGradientAtTheBoundsMatchesPyTorch() throws {
    try compareWithPyTorch("clamp", inputs: ["x"]) { $0[0].clamped(min: -1, max: 1) }
}

@Test func lossesMatchPyTorch() throws {
    try compareWithPyTorch("mse", inputs: ["p", "t"]) { try Tensor.mse($0[0], $0[1]) }
    try compareWithPyTorch("gaussnll", inputs: ["x", "m", "lv"]) { try Tensor.gaussianNLL($0[0], mean: $0[1], logVariance: $0[2]).sum() }
    try compareWithPyTorch("kl", inputs: ["mu", "lv"]) { try Tensor.klDiagonalGaussian(mu: $0[0], logVariance: $0[1]).mean() }
}
