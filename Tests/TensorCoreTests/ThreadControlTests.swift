// Tests that change the worker thread count (BLAS.setThreads), serialised so they never race.
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite(.serialized)
struct ThreadControlTests {
    @Test func blasThreadCountIsControllableAndResultsRepeat() throws {
        var generator = RandomStream(seed: 11, stream: "gemm")
        let a = Tensor.randn([96, 200], using: &generator), b = Tensor.randn([200, 130], using: &generator)
        let previous = BLAS.threads
        BLAS.setThreads(1)
        #expect(BLAS.threads == 1)
        let single = try Tensor.matmul(a, b).scalars
        #expect(try Tensor.matmul(a, b).scalars == single)
        BLAS.setThreads(2)
        let double = try Tensor.matmul(a, b).scalars
        #expect(try Tensor.matmul(a, b).scalars == double)
        #expect(firstMismatch(single, double, rtol: 1e-4, atol: 1e-4) == nil)
        BLAS.setThreads(previous)
    }
}
