// The whole training path (layers, MSE, backward, clipping, Adam, LSTM buffer reuse) vs PyTorch.
import Foundation
import NN
import Optim
import TensorCore
import Testing
import TestSupport

/// BiLSTM(3 -> 4) then Linear(8 -> 2) per time step, as `TinyRegressor` in optim.py.
final class TinyRegressor: Layer {
    let lstm: LSTM
    let head: Linear
    var isTraining = true

    init(using generator: inout RandomStream) {
        lstm = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, using: &generator)
        head = Linear(inputSize: 8, outputSize: 2, using: &generator)
    }

    var children: [(name: String, layer: any Layer)] { [("lstm", lstm), ("head", head)] }
    var signature: String { "TinyRegressor" }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try head(lstm(x)) }
}

@Suite struct TrainingStepTests {
    @Test func sixStepsMatchTorch() throws {
        var generator = RandomStream(seed: 1, stream: "training step")
        let model = TinyRegressor(using: &generator)
        var dict: [String: Tensor] = [:]
        for (key, _) in model.namedParameters { dict[key] = try fixtureTensor("train_param_" + key) }
        try model.loadStateDict(dict)
        let x = try fixtureTensor("train_x"), y = try fixtureTensor("train_y")
        let expectedLosses = try fixtureTensor("train_losses").scalars
        let expectedNorms = try fixtureTensor("train_norms").scalars
        let adam = try Adam(parameters: model.allParameters, learningRate: 2e-2)
        for step in 0..<6 {
            adam.zeroGrad()
            let loss = try Losses.meanSquaredError(try model(x), y)
            try loss.backward()
            let norm = clipGradientNorm(model.allParameters, maxNorm: 0.4)
            try adam.step()
            let lossValue = Double(try loss.item)
            #expect(abs(lossValue - Double(expectedLosses[step])) < 1e-5 * Double(expectedLosses[step]),
                    "step \(step + 1) loss \(lossValue) vs \(expectedLosses[step])")
            #expect(abs(norm - Double(expectedNorms[step])) < 1e-5 * Double(expectedNorms[step]),
                    "step \(step + 1) gradient norm \(norm) vs \(expectedNorms[step])")
        }
        for (key, parameter) in model.namedParameters {
            let expected = try fixtureTensor("train_final_" + key).scalars
            let error = maxRelativeError(parameter.value.scalars, expected)
            #expect(error < 1e-4, "\(key): relative error \(error)")
        }
    }
}
