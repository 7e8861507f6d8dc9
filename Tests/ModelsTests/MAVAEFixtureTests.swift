// The MA-VAE (reference VAE_BILSTM_MHA) against PyTorch: outputs, focus, loss terms, every gradient.
import Models
import NN
import TensorCore
import Testing
import TestSupport

@Suite struct MAVAEFixtureTests {
    @Test func outputsLossAndGradientsMatchPyTorch() throws {
        let fixture = try ModelFixture("ma-vae")
        let configuration = ModelConfiguration(kind: .maVAE, encoderHidden: [6, 5], decoderHidden: [5, 6], latent: 8)
        let model = try MAVAE(configuration: configuration)
        try model.loadStateDict(try fixture.stateDict())
        model.eval()
        let x = try fixture.tensor("x")
        let output = try model.forward(x, latentNoise: try fixture.tensor("eps_z"), outputNoise: try fixture.tensor("eps_x"))
        var worst = 0.0
        for (tensor, name) in [(output.xMean, "x_mean"), (output.xLogVariance, "x_logvar"), (output.xReconstruction, "x_recon"),
                               (output.mu, "mu"), (output.logVariance, "logvar"), (output.attention, "attention"),
                               (output.focus, "focus")] {
            worst = max(worst, expectClose(tensor, try fixture.tensor(name), rtol: 1e-4, atol: 1e-6, name))
        }
        let beta = try #require(fixture.scalars["beta"])
        let terms = try model.loss(x, output, beta: Float(beta))
        for (value, name) in [(terms.total, "loss"), (terms.negativeLogLikelihood, "nll"), (terms.klDivergence, "kl")] {
            let expected = try #require(fixture.scalars[name])
            let actual = try value.item
            #expect(relativeDifference(actual, expected) < 1e-5, "\(name): \(actual) vs \(expected)")
        }
        try terms.total.backward()
        let gradientDifference = try expectGradientsMatch(model, fixture)
        print("ma-vae fixture: outputs max |diff| \(worst), worst grad diff / scale \(gradientDifference)")
    }
}
