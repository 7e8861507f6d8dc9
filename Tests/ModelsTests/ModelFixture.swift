// Loads a model fixture folder written by scripts/reference/models.py and compares tensors to it.
import Foundation
import Models
import NN
import TensorCore
import Testing
import TestSupport

/// One `Fixtures/<model>/` folder: manifest (parameter keys, loss scalars) and its arrays.
struct ModelFixture {
    let folder: URL
    let parameterKeys: [String]
    let scalars: [String: Double]

    init(_ name: String) throws {
        folder = TestPaths.fixtures().appendingPathComponent(name)
        let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        parameterKeys = try #require(manifest["parameters"] as? [String])
        scalars = try #require(manifest["scalars"] as? [String: Double])
    }

    /// The array `<name>.npy` as a tensor.
    func tensor(_ name: String) throws -> Tensor {
        let array = try NPYFixture(contentsOf: folder.appendingPathComponent(name + ".npy"))
        return try Tensor(shape: array.shape, scalars: array.values)
    }

    /// The PyTorch state_dict, key -> tensor.
    func stateDict() throws -> [String: Tensor] {
        var dict: [String: Tensor] = [:]
        for key in parameterKeys { dict[key] = try tensor(key) }
        return dict
    }
}

/// Compares `actual` with `expected` element-wise (`|a - e| <= atol + rtol |e|`), records an issue
/// naming `label` and the worst element, and returns the largest absolute difference.
@discardableResult
func expectClose(_ actual: Tensor, _ expected: Tensor, rtol: Double, atol: Double, _ label: String,
                 sourceLocation: SourceLocation = #_sourceLocation) -> Double {
    #expect(actual.shape == expected.shape, "\(label): shape \(actual.shape) vs \(expected.shape)", sourceLocation: sourceLocation)
    let mismatch = firstMismatch(actual.scalars, expected.scalars, rtol: rtol, atol: atol)
    #expect(mismatch == nil, "\(label): \(mismatch.map(String.init(describing:)) ?? "")", sourceLocation: sourceLocation)
    return maxAbsDifference(actual.scalars, expected.scalars)
}

/// Largest |x| of a tensor, for absolute floors proportional to a tensor's scale.
func largestMagnitude(_ x: Tensor) -> Double {
    x.scalars.reduce(0) { max($0, Double(abs($1))) }
}

/// Checks every parameter's gradient against `<key>.grad.npy`: relative 1e-4 with an absolute floor of
/// 1e-5 times the tensor's largest gradient (elements that cancel to almost zero carry float32
/// rounding of the large terms they are summed from, not relative precision). Returns the worst
/// relative-to-scale difference.
@discardableResult
func expectGradientsMatch(_ model: any Layer, _ fixture: ModelFixture,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
    var worst = 0.0
    #expect(model.namedParameters.map(\.key) == fixture.parameterKeys, sourceLocation: sourceLocation)
    for (key, parameter) in model.namedParameters {
        let expected = try fixture.tensor(key + ".grad")
        guard let grad = parameter.grad else {
            Issue.record("\(key): no gradient", sourceLocation: sourceLocation)
            continue
        }
        let scale = max(largestMagnitude(expected), 1e-30)
        let difference = expectClose(grad, expected, rtol: 1e-4, atol: 1e-5 * scale, "grad \(key)",
                                     sourceLocation: sourceLocation)
        worst = max(worst, difference / scale)
    }
    return worst
}

/// `|a - e| / |e|` for scalars.
func relativeDifference(_ actual: Float, _ expected: Double) -> Double {
    abs(Double(actual) - expected) / max(abs(expected), 1e-30)
}
