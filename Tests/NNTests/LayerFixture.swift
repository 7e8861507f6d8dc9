// Loading a PyTorch layer fixture (parameters, inputs, outputs, seeds, gradients) and comparing with it.
import Foundation
import NN
import TensorCore
import Testing
import TestSupport

/// One case folder written by scripts/reference/nn_layers.py.
struct LayerFixture {
    let name: String
    let folder: URL

    init(_ name: String) {
        self.name = name
        folder = TestPaths.fixtures().appendingPathComponent(name)
    }

    func tensor(_ file: String) throws -> Tensor {
        let array = try NPYFixture(contentsOf: folder.appendingPathComponent(file + ".npy"))
        return try Tensor(shape: array.shape, scalars: array.values)
    }

    func exists(_ file: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(file + ".npy").path)
    }

    /// The `param_<key>` files as a state dict.
    func stateDict() throws -> [String: Tensor] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        var dict: [String: Tensor] = [:]
        for file in files where file.hasPrefix("param_") && file.hasSuffix(".npy") {
            let key = String(file.dropFirst("param_".count).dropLast(".npy".count))
            dict[key] = try tensor("param_" + key)
        }
        return dict
    }

    /// Inputs `input0`, `input1`, ... as leaves requiring grad.
    func inputs() throws -> [Tensor] {
        var result: [Tensor] = []
        while exists("input\(result.count)") {
            var leaf = try tensor("input\(result.count)")
            leaf.requiresGrad = true
            result.append(leaf)
        }
        return result
    }

    /// Loads the fixture's parameters into `layer`, runs `forward` on the inputs, backpropagates the
    /// seeds and compares outputs, every parameter gradient and every input gradient with PyTorch
    /// (relative tolerance `rtol`, absolute `1e-6` of each array's largest magnitude).
    func check(_ layer: any Layer, rtol: Double = 1e-4, _ forward: ([Tensor]) throws -> [Tensor]) throws {
        try layer.loadStateDict(try stateDict())
        layer.eval()
        layer.zeroGrad()
        let leaves = try inputs()
        let outputs = try forward(leaves)
        var objective: Tensor?
        for (index, output) in outputs.enumerated() {
            compare(output, try tensor("output\(index)"), "output\(index)", rtol: rtol)
            let term = try (output * tensor("seed\(index)")).sum()
            objective = try objective.map { try $0 + term } ?? term
        }
        try #require(objective).backward()
        for (key, parameter) in layer.namedParameters {
            let gradient = try #require(parameter.grad, "\(name): no gradient for \(key)")
            compare(gradient, try tensor("grad_" + key), "grad \(key)", rtol: rtol)
        }
        for (index, leaf) in leaves.enumerated() {
            let gradient = try #require(leaf.grad, "\(name): no gradient for input\(index)")
            compare(gradient, try tensor("grad_input\(index)"), "grad input\(index)", rtol: rtol)
        }
    }

    func compare(_ actual: Tensor, _ expected: Tensor, _ what: String, rtol: Double) {
        #expect(actual.shape == expected.shape, "\(name) \(what): shape \(actual.shape) vs \(expected.shape)")
        let scale = Double(expected.scalars.map { Swift.abs($0) }.max() ?? 1)
        let mismatch = firstMismatch(actual.scalars, expected.scalars, rtol: rtol, atol: 1e-6 * max(scale, 1e-3))
        #expect(mismatch == nil, "\(name) \(what): \(mismatch.map(String.init(describing:)) ?? "")")
    }
}
