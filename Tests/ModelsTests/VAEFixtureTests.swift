// VAE-BiLSTM and VAE-BiLSTM-MHA against PyTorch: outputs, loss terms, every parameter gradient and
// the window scores computed from the outputs.
import Models
import NN
import TensorCore
import Testing
import TestSupport

@Suite struct VAEFixtureTests {
    /// Tiny sizes of scripts/reference/models.py: encoder (6, 5), decoder (5, 6), latent 8.
    static func tinyConfiguration(_ kind: ModelKind) -> ModelConfiguration {
        ModelConfiguration(kind: kind, encoderHidden: [6, 5], decoderHidden: [5, 6], latent: 8)
    }

    @Test(arguments: [ModelKind.vae, .vaeMHA])
    func outputsLossAndGradientsMatchPyTorch(kind: ModelKind) throws {
        let fixture = try ModelFixture(kind.rawValue)
        let model = try VAEBiLSTM(configuration: Self.tinyConfiguration(kind), seed: 7)
        try model.loadStateDict(try fixture.stateDict())
        model.eval()
        let x = try fixture.tensor("x")
        let output = try model.forward(x, latentNoise: try fixture.tensor("eps"))

        // Outputs are O(0.1-1); the 1e-6 absolute floor covers elements that are sums cancelling to ~0.
        var worst = 0.0
        var compared: [(Tensor?, String)] = [(output.xMean, "x_mean"), (output.xLogVariance, "x_logvar"),
                                             (output.mu, "mu"), (output.logVariance, "logvar")]
        if kind == .vaeMHA { compared += [(output.attention, "attention"), (output.leadWeights, "lead_weights")] }
        for (tensor, name) in compared {
            let actual = try #require(tensor, "\(name) missing")
            worst = max(worst, expectClose(actual, try fixture.tensor(name), rtol: 1e-4, atol: 1e-6, name))
        }
        #expect((output.attention == nil) == (kind == .vae))

        let beta = try #require(fixture.scalars["beta"])
        let terms = try model.loss(x, output, beta: Float(beta))
        for (value, name) in [(terms.total, "loss"), (terms.negativeLogLikelihood, "nll"), (terms.klDivergence, "kl")] {
            let expected = try #require(fixture.scalars[name])
            let actual = try value.item
            #expect(relativeDifference(actual, expected) < 1e-5, "\(name): \(actual) vs \(expected)")
        }
        try terms.total.backward()
        let gradientDifference = try expectGradientsMatch(model, fixture)

        let windows = try output.windowOutputs(input: x)
        let scores = WindowScores.scores(windows, method: .weighted)
        let expectedScores = try fixture.tensor("window_scores").scalars
        #expect(firstMismatch(scores, expectedScores, rtol: 1e-5) == nil, "window scores \(scores) vs \(expectedScores)")
        // The attention-weighted variant with uniform attention (a_t = 1) is the negative ELBO.
        if let attention = windows.attention {
            var uniform = windows
            uniform.attention = [Float](repeating: 1 / Float(windows.timeSteps), count: attention.count)
            let elbo = WindowScores.scores(windows, method: .negativeELBO)
            #expect(firstMismatch(WindowScores.scores(uniform, method: .attentionWeighted), elbo, rtol: 1e-9) == nil)
        }
        print("\(kind.rawValue) fixture: outputs max |diff| \(worst), worst grad diff / scale \(gradientDifference), "
              + "scores \(scores) vs \(expectedScores)")
    }

    @Test func sampledForwardUsesTheStreamAndEvalIsDeterministic() throws {
        let model = try VAEBiLSTM(configuration: Self.tinyConfiguration(.vaeMHA), seed: 3)
        model.eval()
        var rng = RandomStream(seed: 11, stream: "x")
        let x = Tensor.randn([2, 10, 12], using: &rng)
        var first = RandomStream(seed: 5, stream: "eps"), second = RandomStream(seed: 5, stream: "eps")
        let a = try withNoGrad { try model.forward(x, using: &first) }
        let b = try withNoGrad { try model.forward(x, using: &second) }
        #expect(a.xMean.scalars == b.xMean.scalars)
        var reference = RandomStream(seed: 5, stream: "eps")
        let eps = Tensor.randn([2, 10, 8], using: &reference)
        let c = try withNoGrad { try model.forward(x, latentNoise: eps) }
        #expect(a.xMean.scalars == c.xMean.scalars)
        // Training mode perturbs the input (Gaussian noise) and applies MLP dropout.
        model.train()
        let d = try withNoGrad { try model.forward(x, latentNoise: eps) }
        #expect(d.xMean.scalars != c.xMean.scalars)
        #expect(d.mu.scalars != c.mu.scalars)
    }

    @Test func wrongShapesAreNamed() throws {
        let model = try VAEBiLSTM(configuration: Self.tinyConfiguration(.vae))
        #expect(throws: ModelsError.shapeMismatch(model: model.signature, expected: [-1, -1, 12], actual: [2, 12, 10])) {
            try model.forward(Tensor.zeros([2, 12, 10]), latentNoise: Tensor.zeros([2, 12, 8]))
        }
        #expect(throws: ModelsError.self) {
            try model.forward(Tensor.zeros([2, 10, 12]), latentNoise: Tensor.zeros([2, 10, 7]))
        }
    }
}
