// Adam trajectories against torch.optim.Adam over 20 steps of fixed gradients (with and without L2).
import NN
import Optim
import TensorCore
import Testing

@Suite struct AdamTests {
    /// Replays the fixture's gradients through `Adam` and compares every step's parameters, then
    /// the final moment estimates, with torch to 1e-6 relative.
    func replay(_ name: String, learningRate: Double, betas: (Double, Double) = (0.9, 0.999),
                epsilon: Double = 1e-8, weightDecay: Double = 0) throws {
        let parameters = [Parameter(try fixtureTensor(name + "_p0_initial"), name: "p0"),
                          Parameter(try fixtureTensor(name + "_p1_initial"), name: "p1")]
        let gradients = [try fixtureTensor(name + "_g0"), try fixtureTensor(name + "_g1")]
        let trajectories = [try fixtureTensor(name + "_p0_trajectory"), try fixtureTensor(name + "_p1_trajectory")]
        let adam = try Adam(parameters: parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
                            weightDecay: weightDecay)
        for step in 0..<20 {
            adam.zeroGrad()
            for (parameter, gradient) in zip(parameters, gradients) {
                // Set the gradient by backpropagating it through sum(p * g).
                try (parameter.value * gradient.sliced(axis: 0, start: step, end: step + 1).squeezed(axis: 0))
                    .sum().backward()
            }
            try adam.step()
            for (index, parameter) in parameters.enumerated() {
                let expected = try trajectories[index].sliced(axis: 0, start: step, end: step + 1).squeezed(axis: 0)
                let error = maxRelativeError(parameter.value.scalars, expected.scalars)
                #expect(error < 1e-6, "\(name) step \(step + 1) p\(index): relative error \(error)")
            }
        }
        for index in 0..<2 {
            let state = try #require(adam.states[index])
            #expect(state.step == 20)
            #expect(maxRelativeError(state.exponentialAverage.scalars,
                                     try fixtureTensor("\(name)_p\(index)_exp_avg").scalars, floor: 1e-6) < 1e-5)
            #expect(maxRelativeError(state.exponentialAverageSquared.scalars,
                                     try fixtureTensor("\(name)_p\(index)_exp_avg_sq").scalars, floor: 1e-8) < 1e-5)
        }
    }

    @Test func defaultsMatchTorch() throws {
        try replay("adam_default", learningRate: 1e-2)
    }

    @Test func weightDecayAndCustomBetasMatchTorch() throws {
        try replay("adam_decay", learningRate: 5e-3, betas: (0.8, 0.99), epsilon: 1e-6, weightDecay: 0.1)
    }

    @Test func firstStepMovesByLearningRateTimesSign() throws {
        // Step 1: m/(1-b1) = g, sqrt(v/(1-b2)) = |g|, so p -= lr * g / (|g| + eps).
        let parameter = Parameter(Tensor([1, -2, 3]), name: "p")
        let adam = try Adam(parameters: [parameter], learningRate: 0.1)
        try (parameter.value * Tensor([0.5, -4, 1e-3])).sum().backward()
        try adam.step()
        let expected: [Float] = [0.9, -1.9, 3 - 0.1 * 1e-3 / (1e-3 + 1e-8)]
        #expect(maxRelativeError(parameter.value.scalars, expected) < 1e-6)
    }

    @Test func parametersWithoutGradientsAreSkippedAndStateRestores() throws {
        let used = Parameter(Tensor([1, 2]), name: "used")
        let unused = Parameter(Tensor([3]), name: "unused")
        let adam = try Adam(parameters: [used, unused], learningRate: 0.01)
        try (used.value * Tensor([1, 1])).sum().backward()
        try adam.step()
        #expect(unused.value.scalars == [3] && adam.states[1] == nil)
        // A second optimizer given the first one's state continues identically.
        let twin = Parameter(used.value, name: "twin")
        let restored = try Adam(parameters: [twin], learningRate: 0.01)
        restored.states = [adam.states[0]]
        try (used.value * Tensor([0.3, -0.2])).sum().backward()
        try (twin.value * Tensor([1.3, 0.8])).sum().backward()  // the same accumulated gradient
        try adam.step()
        try restored.step()
        #expect(twin.value.scalars == used.value.scalars)
    }

    @Test func rejectsBadHyperparameters() {
        #expect(throws: OptimError.self) { try Adam(parameters: [], learningRate: -1) }
        #expect(throws: OptimError.self) { try Adam(parameters: [], betas: (1.0, 0.9)) }
    }
}
