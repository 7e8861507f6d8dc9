// clip_grad_norm_ and ReduceLROnPlateau against torch; beta schedules against the reference formulas.
import NN
import Optim
import TensorCore
import Testing

@Suite struct GradientClippingTests {
    func check(_ name: String, maxNorm: Double) throws {
        var parameters: [Parameter] = []
        for index in 0..<3 {
            let gradient = try fixtureTensor("\(name)_grad\(index)")
            let parameter = Parameter(Tensor.zeros(gradient.shape), name: "p\(index)")
            try (parameter.value * gradient).sum().backward()
            parameters.append(parameter)
        }
        let total = clipGradientNorm(parameters, maxNorm: maxNorm)
        let expectedTotal = Double(try fixtureTensor("\(name)_total_norm").scalars[0])
        #expect(abs(total - expectedTotal) / expectedTotal < 1e-6, "total norm \(total) vs \(expectedTotal)")
        for (index, parameter) in parameters.enumerated() {
            let expected = try fixtureTensor("\(name)_clipped\(index)").scalars
            let error = maxRelativeError(try #require(parameter.grad).scalars, expected)
            #expect(error < 1e-6, "\(name) grad \(index): \(error)")
        }
    }

    @Test func clipsLikeTorch() throws { try check("clip_active", maxNorm: 1.0) }
    @Test func leavesSmallGradientsLikeTorch() throws { try check("clip_inactive", maxNorm: 100.0) }

    @Test func sharedGradientStorageIsScaledOnce() throws {
        // Both inputs of an add receive the same gradient tensor.
        let a = Parameter(Tensor([1, 2]), name: "a")
        let b = Parameter(Tensor([3, 4]), name: "b")
        try (a.value + b.value).sum().backward()
        let total = clipGradientNorm([a, b], maxNorm: 1)
        #expect(abs(total - 2) < 1e-6)
        let expected = Float(1 / (2 + 1e-6))
        #expect(try #require(a.grad).scalars.allSatisfy { abs($0 - expected) < 1e-7 })
        #expect(try #require(b.grad).scalars.allSatisfy { abs($0 - expected) < 1e-7 })
    }
}

@Suite struct ReduceLROnPlateauTests {
    struct Case: Decodable {
        struct Options: Decodable {
            let mode: String
            let factor: Double
            let patience: Int
            let cooldown: Int?
            let threshold: Double?
            let threshold_mode: String?
            let min_lr: Double?
            let eps: Double?
        }
        let options: Options
        let metrics: [Double]
        let learning_rates: [Double]
        let best: Double
        let num_bad_epochs: Int
        let cooldown_counter: Int
    }

    @Test(arguments: ["reference", "cooldown_abs", "max_mode", "tiny_lr_eps"])
    func learningRatesMatchTorch(_ name: String) throws {
        let testCase = try #require(try fixtureJSON("plateau.json", as: [String: Case].self)[name])
        let options = testCase.options
        let adam = try Adam(parameters: [Parameter(Tensor.zeros([1]), name: "p")], learningRate: 1e-2)
        let scheduler = try ReduceLROnPlateau(
            optimizer: adam, mode: options.mode == "max" ? .max : .min, factor: options.factor,
            patience: options.patience, threshold: options.threshold ?? 1e-4,
            thresholdMode: options.threshold_mode == "abs" ? .absolute : .relative, cooldown: options.cooldown ?? 0,
            minLearningRate: options.min_lr ?? 0, epsilon: options.eps ?? 1e-8)
        var rates: [Double] = []
        for metric in testCase.metrics { rates.append(scheduler.step(metric: metric)) }
        #expect(rates.count == testCase.learning_rates.count)
        for (epoch, (rate, expected)) in zip(rates, testCase.learning_rates).enumerated() {
            #expect(abs(rate - expected) <= 1e-15 * expected, "\(name) epoch \(epoch + 1): \(rate) vs \(expected)")
        }
        #expect(scheduler.best == testCase.best)
        #expect(scheduler.badEpochs == testCase.num_bad_epochs)
        #expect(scheduler.cooldownCounter == testCase.cooldown_counter)
        #expect(scheduler.lastEpoch == testCase.metrics.count)
    }
}

@Suite struct BetaScheduleTests {
    struct Values: Decodable {
        let epochs: [Int]
        let cyclical_reference: [Double]
        let cyclical_7_0_3_1_0: [Double]
        let vae_bilstm_thesis: [Double]
        let mavae_epochs: [Int]
        let mavae_normal: [Double]
        let mavae_monotonic: [Double]
        let mavae_cyclical: [Double]

        enum CodingKeys: String, CodingKey {
            case epochs, cyclical_reference, vae_bilstm_thesis, mavae_epochs, mavae_normal, mavae_monotonic, mavae_cyclical
            case cyclical_7_0_3_1_0 = "cyclical_7_0.3_1.0"
        }
    }

    func expectEqual(_ schedule: BetaSchedule, _ epochs: [Int], _ expected: [Double], _ what: String) {
        for (epoch, value) in zip(epochs, expected) {
            let beta = schedule.beta(epoch: epoch)
            #expect(abs(beta - value) <= 1e-15 * max(abs(value), 1e-300), "\(what) epoch \(epoch): \(beta) vs \(value)")
        }
    }

    @Test func matchTheReferenceFormulas() throws {
        let values = try fixtureJSON("beta.json", as: Values.self)
        expectEqual(.cyclical(), values.epochs, values.cyclical_reference, "cyclical")
        expectEqual(.cyclical(period: 7, rampRatio: 0.3, maximum: 1), values.epochs, values.cyclical_7_0_3_1_0, "cyclical 7")
        expectEqual(.linearWarmup(), values.epochs, values.vae_bilstm_thesis, "VAE-BiLSTM thesis")
        expectEqual(.maVAE(total: 100, grace: 10, mode: .normal), values.mavae_epochs, values.mavae_normal, "MA-VAE normal")
        expectEqual(.maVAE(total: 100, grace: 10, mode: .monotonic), values.mavae_epochs, values.mavae_monotonic,
                    "MA-VAE monotonic")
        expectEqual(.maVAE(total: 100, grace: 10, mode: .cyclical), values.mavae_epochs, values.mavae_cyclical,
                    "MA-VAE cyclical")
    }

    @Test func chosenEpochsExactly() {
        let cyclical = BetaSchedule.cyclical()
        #expect([1, 2, 5, 6, 10, 11, 15].map { cyclical.beta(epoch: $0) } == [0.06, 0.12, 0.3, 0.3, 0.3, 0.06, 0.3])
        #expect(BetaSchedule.linearWarmup().beta(epoch: 3) == 0.3 && BetaSchedule.linearWarmup().beta(epoch: 11) == 1)
        let thesisMHA = BetaSchedule.delayedRamp()
        #expect(thesisMHA.beta(epoch: 1) == 1e-8 && thesisMHA.beta(epoch: 10) == 1e-8)
        #expect(thesisMHA.beta(epoch: 100) == 1e-2 && thesisMHA.beta(epoch: 150) == 1e-2)
        #expect(abs(thesisMHA.beta(epoch: 55) - (1e-8 + (1e-2 - 1e-8) * 45 / 90)) < 1e-18)
        #expect(BetaSchedule.constant(0.01).beta(epoch: 42) == 0.01)
    }
}
