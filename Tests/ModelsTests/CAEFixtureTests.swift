// The CAE against PyTorch on a small input: reconstruction, MSE loss and every parameter gradient.
import Models
import NN
import TensorCore
import Testing
import TestSupport

@Suite struct CAEFixtureTests {
    @Test func outputLossAndGradientsMatchPyTorch() throws {
        let fixture = try ModelFixture("cae")
        let model = try CAE()
        try model.loadStateDict(try fixture.stateDict())
        model.eval()
        let x = try fixture.tensor("x")
        let reconstruction = try model.forward(x)
        let outputDifference = expectClose(reconstruction, try fixture.tensor("recon"), rtol: 1e-4, atol: 1e-6, "recon")
        let loss = try Losses.meanSquaredError(reconstruction, x)
        let expectedLoss = try #require(fixture.scalars["loss"])
        #expect(relativeDifference(try loss.item, expectedLoss) < 1e-5)
        try loss.backward()
        let gradientDifference = try expectGradientsMatch(model, fixture)
        print("CAE fixture: recon max |diff| \(outputDifference), loss rel \(relativeDifference(try loss.item, expectedLoss)), "
              + "worst grad diff / scale \(gradientDifference)")
    }
}
