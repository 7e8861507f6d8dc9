// Reading the Optim fixtures written by scripts/reference/optim.py.
import Foundation
import TensorCore
import TestSupport

func fixtureTensor(_ name: String) throws -> Tensor {
    let array = try NPYFixture(contentsOf: TestPaths.fixtures().appendingPathComponent(name + ".npy"))
    return try Tensor(shape: array.shape, scalars: array.values)
}

func fixtureJSON<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    try JSONDecoder().decode(type, from: Data(contentsOf: TestPaths.fixtures().appendingPathComponent(name)))
}

/// Largest `|a - e| / max(|e|, floor)` over the elements.
func maxRelativeError(_ actual: [Float], _ expected: [Float], floor: Double = 1e-3) -> Double {
    zip(actual, expected).map { abs(Double($0) - Double($1)) / max(abs(Double($1)), floor) }.max() ?? 0
}
