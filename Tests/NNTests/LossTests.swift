// The NN losses (Gaussian NLL clamped/unclamped, KL both reductions, MSE) and their gradients vs PyTorch.
import NN
import TensorCore
import Testing
import TestSupport

@Suite struct LossTests {
    let fixture = LayerFixture("losses")

    /// Evaluates loss number `index` on leaves and compares its value and all five input gradients.
    func check(_ index: Int, _ loss: ([Tensor]) throws -> Tensor) throws {
        let names = ["x", "mean", "logvar", "mu", "zlogvar"]
        let leaves = try names.map { name -> Tensor in
            var leaf = try fixture.tensor(name)
            leaf.requiresGrad = true
            return leaf
        }
        let value = try loss(leaves)
        fixture.compare(try value.reshaped(to: [1]), try fixture.tensor("loss\(index)"), "loss\(index)", rtol: 1e-5)
        try value.backward()
        for (name, leaf) in zip(names, leaves) {
            let expected = try fixture.tensor("loss\(index)_grad_\(name)")
            let gradient = leaf.grad ?? Tensor.zeros(leaf.shape)
            fixture.compare(gradient, expected, "loss\(index) grad \(name)", rtol: 1e-4)
        }
    }

    @Test func gaussianNLLClampedLikeTheReferenceVAE() throws {
        try check(0) { try Losses.gaussianNegativeLogLikelihood($0[0], mean: $0[1], logVariance: $0[2]) }
    }

    @Test func gaussianNLLUnclampedLikeTheMAVAE() throws {
        try check(1) {
            try Losses.gaussianNegativeLogLikelihood($0[0], mean: $0[1], logVariance: $0[2], logVarianceRange: nil)
        }
    }

    @Test func klMeanOverElements() throws {
        try check(2) { try Losses.klDivergence(mu: $0[3], logVariance: $0[4]) }
    }

    @Test func klSummedPerWindow() throws {
        try check(3) { try Losses.klDivergence(mu: $0[3], logVariance: $0[4], reduction: .sumPerSampleMeanOverBatch) }
    }

    @Test func meanSquaredError() throws {
        try check(4) { try Losses.meanSquaredError($0[1], $0[0]) }
    }

    @Test func nllWithoutConstantDiffersByHalfLogTwoPiPerElement() throws {
        let x = try fixture.tensor("x"), mean = try fixture.tensor("mean"), logvar = try fixture.tensor("logvar")
        let full = try Losses.gaussianNegativeLogLikelihood(x, mean: mean, logVariance: logvar).item
        let bare = try Losses.gaussianNegativeLogLikelihood(x, mean: mean, logVariance: logvar, includeConstant: false).item
        // 4 x 2 elements per sample, 0.5 log(2 pi) each.
        #expect(abs(Double(full - bare) - 8 * 0.9189385332046727) < 1e-4)
    }

    @Test func shapeMismatchNamesTheLoss() throws {
        let error = #expect(throws: NNError.self) {
            try Losses.klDivergence(mu: Tensor.zeros([2, 3]), logVariance: Tensor.zeros([2, 4]))
        }
        #expect(error?.description == "klDivergence logVariance: expected shape [2, 3], got [2, 4]")
    }
}
