// Trainer: loss falls for a tiny CAE and VAE, determinism, best-weights keeping, early stopping,
// cancellation with exact resumption, beta schedule and learning-rate bookkeeping, collapse count.
import Foundation
@testable import ECGKit
import Models
import Optim
import TensorCore
import Testing
import TestSupport

@Suite struct TrainingTests {
    @Test func caeValidationLossFalls() throws {
        let (training, validation) = try TrainingTestData.windows(layout: .timeByLeads)
        let model = try CAE(seed: 1)
        let options = TrainingOptions(epochs: 4, batchSize: 16, learningRate: 2e-3, seed: 3)
        let result = try Trainer.fit(model, training: training, validation: validation, options: options)
        let losses = result.history.map(\.validationLoss)
        print("tiny CAE validation MSE per epoch: \(losses)")
        #expect(result.status == .completed)
        #expect(losses.count == 4)
        #expect(losses[3] < 0.6 * losses[0], "validation MSE \(losses)")
        // The CAE has no KL: its loss is the reconstruction MSE and nothing collapses.
        #expect(result.history.allSatisfy { $0.trainingKL == 0 && $0.validationLoss == $0.validationReconstruction })
        #expect(result.history.allSatisfy { $0.collapsedDimensions == 0 && $0.gradientNorm > 0 })
    }

    @Test func vaeValidationLossFalls() throws {
        let (training, validation) = try TrainingTestData.windows()
        let model = try ModelFactory.make(TrainingTestData.tinyVAE, seed: 2)
        let options = TrainingOptions(epochs: 4, batchSize: 16, learningRate: 1e-2, betaSchedule: .constant(0.1), seed: 5)
        let result = try Trainer.fit(model, training: training, validation: validation, options: options)
        let losses = result.history.map(\.validationLoss)
        print("tiny VAE validation loss per epoch: \(losses)")
        // Gaussian NLL per window of 64 x 12 values: it starts near 0.5 ln(2 pi e) x 768 = 1090 and falls
        // as the predicted variance adapts.
        #expect(losses[3] < 0.8 * losses[0], "validation loss \(losses)")
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $0 > $1 }, "validation loss \(losses)")
        for entry in result.history {
            #expect(abs(entry.validationLoss - (entry.validationReconstruction + 0.1 * entry.validationKL))
                    <= 1e-3 * abs(entry.validationLoss))
            #expect(abs(entry.klToReconstructionRatio - entry.validationKL / entry.validationReconstruction) < 1e-12)
            #expect((0...4).contains(entry.collapsedDimensions))
        }
    }

    @Test func sameSeedGivesIdenticalWeightsAndHistory() throws {
        let (training, validation) = try TrainingTestData.windows()
        func run() throws -> ([String: [Float]], [TrainingEpoch]) {
            let model = try ModelFactory.make(TrainingTestData.tinyVAEMHA, seed: 4)
            let options = TrainingOptions(epochs: 2, batchSize: 32, learningRate: 5e-3, trainingWindows: 96, seed: 9)
            let result = try Trainer.fit(model, training: training, validation: validation, options: options)
            return (TrainingTestData.weights(model), TrainingTestData.timeless(result.history))
        }
        let (firstWeights, firstHistory) = try run()
        let (secondWeights, secondHistory) = try run()
        #expect(firstWeights == secondWeights)
        #expect(firstHistory == secondHistory)
        // A different seed changes the shuffles and the noise.
        let model = try ModelFactory.make(TrainingTestData.tinyVAEMHA, seed: 4)
        let other = try Trainer.fit(model, training: training, validation: validation,
                                    options: TrainingOptions(epochs: 2, batchSize: 32, learningRate: 5e-3,
                                                             trainingWindows: 96, seed: 10))
        #expect(TrainingTestData.timeless(other.history) != firstHistory)
    }

    @Test func bestWeightsAreRestoredWhenTheValidationLossRises() throws {
        let (training, validation) = try TrainingTestData.windows()
        let model = try ModelFactory.make(TrainingTestData.tinyVAE, seed: 6)
        let injected = [1: 50.0, 2: 20.0, 3: 30.0, 4: 40.0]
        var snapshots: [Int: [String: [Float]]] = [:]
        var loop = try TrainingLoop(model: model, training: training, validation: validation,
                                    options: TrainingOptions(epochs: 4, batchSize: 64, learningRate: 1e-2, seed: 1),
                                    state: nil)
        let result = try loop.run(progress: { event in
            if case .epoch(let entry, _) = event { snapshots[entry.epoch] = TrainingTestData.weights(model) }
        }, checkCancellation: nil, validationLossOverride: { epoch, _ in injected[epoch] ?? .nan })
        #expect(result.status == .completed)
        #expect(result.state.bestEpoch == 2)
        #expect(result.state.bestValidationLoss == 20)
        #expect(result.history.map(\.isBest) == [true, true, false, false])
        #expect(result.history.map(\.validationLoss) == [50, 20, 30, 40])
        #expect(snapshots[2] != snapshots[4])
        #expect(TrainingTestData.weights(model) == snapshots[2])
        let last = Dictionary(uniqueKeysWithValues: result.state.currentWeights.map { ($0.key, $0.values) })
        #expect(last == snapshots[4])
    }

    @Test func earlyStoppingAfterPatienceEpochsWithoutImprovement() throws {
        let (training, validation) = try TrainingTestData.windows()
        let model = try CAE(seed: 2)
        var loop = try TrainingLoop(model: model, training: training, validation: validation,
                                    options: TrainingOptions(epochs: 10, batchSize: 64, earlyStoppingPatience: 2, seed: 1),
                                    state: nil)
        let losses = [1: 5.0, 2: 4.0, 3: 4.5, 4: 4.2, 5: 1.0]
        let result = try loop.run(progress: nil, checkCancellation: nil,
                                  validationLossOverride: { epoch, _ in losses[epoch] ?? 0 })
        #expect(result.status == .stoppedEarly)
        #expect(result.state.epoch == 4)
        #expect(result.state.bestEpoch == 2)
    }

    struct Stop: Error {}

    @Test func cancellationKeepsBestWeightsAndResumptionMatchesAnUninterruptedRun() throws {
        let (training, validation) = try TrainingTestData.windows()
        let options = TrainingOptions(epochs: 3, batchSize: 32, learningRate: 5e-3, betaSchedule: .linearWarmup(epochs: 3),
                                      seed: 11)
        let batchesPerEpoch = (training.count + 31) / 32

        let reference = try ModelFactory.make(TrainingTestData.tinyVAE, seed: 8)
        let uninterrupted = try Trainer.fit(reference, training: training, validation: validation, options: options)

        let model = try ModelFactory.make(TrainingTestData.tinyVAE, seed: 8)
        var checks = 0
        var epochOneWeights: [String: [Float]] = [:]
        let interrupted = try Trainer.fit(model, training: training, validation: validation, options: options,
                                          progress: { event in
                                              if case .epoch(let entry, _) = event, entry.epoch == 1 {
                                                  epochOneWeights = TrainingTestData.weights(model)
                                              }
                                          },
                                          checkCancellation: {
                                              checks += 1
                                              // Training batches and validation batches both check; stop
                                              // in the middle of epoch 2's training batches.
                                              if checks > batchesPerEpoch + 1 + 2 { throw Stop() }
                                          })
        #expect(interrupted.status == .interrupted)
        #expect(interrupted.interruption is Stop)
        #expect(interrupted.state.epoch == 1)
        #expect(interrupted.history.count == 1)
        #expect(interrupted.state.optimizer?.steps.allSatisfy { $0 == batchesPerEpoch } == true)
        #expect(TrainingTestData.weights(model) == epochOneWeights)

        let resumed = try Trainer.fit(model, training: training, validation: validation, options: options,
                                      resuming: interrupted.state)
        #expect(resumed.status == .completed)
        #expect(resumed.history.map(\.epoch) == [1, 2, 3])
        #expect(resumed.state.optimizer?.steps.allSatisfy { $0 == 3 * batchesPerEpoch } == true)
        #expect(TrainingTestData.timeless(resumed.history) == TrainingTestData.timeless(uninterrupted.history))
        #expect(TrainingTestData.weights(model) == TrainingTestData.weights(reference))
        #expect(resumed.state.optimizer == uninterrupted.state.optimizer)
        // The thesis warm-up t/3 appears in the history.
        let warmup: [Double] = [1.0 / 3.0, 2.0 / 3.0, 1.0]
        #expect(resumed.history.map(\.beta) == warmup)
    }

    @Test func cancellationInTheFirstEpochKeepsTheStartingWeights() throws {
        let (training, validation) = try TrainingTestData.windows()
        let model = try CAE(seed: 4)
        let initial = TrainingTestData.weights(model)
        var checks = 0
        let result = try Trainer.fit(model, training: training, validation: validation,
                                     options: TrainingOptions(epochs: 2, batchSize: 32, seed: 1),
                                     checkCancellation: {
                                         checks += 1
                                         if checks == 3 { throw Stop() }
                                     })
        #expect(result.status == .interrupted)
        #expect(result.state.epoch == 0 && result.history.isEmpty && result.state.optimizer == nil)
        #expect(result.state.bestEpoch == nil && result.state.bestValidationLoss == nil)
        #expect(TrainingTestData.weights(model) == initial)
        // A state from another model does not load.
        let vae = try ModelFactory.make(TrainingTestData.tinyVAE)
        #expect(throws: TrainingError.self) {
            try Trainer.fit(vae, training: training, validation: validation, resuming: result.state)
        }
    }

    @Test func trainingStateRoundTripsThroughJSON() throws {
        let (training, validation) = try TrainingTestData.windows()
        let model = try ModelFactory.make(TrainingTestData.tinyVAE, seed: 3)
        let result = try Trainer.fit(model, training: training, validation: validation,
                                     options: TrainingOptions(epochs: 1, batchSize: 64, trainingWindows: 64, seed: 2))
        let data = try JSONEncoder().encode(result.state)
        let decoded = try JSONDecoder().decode(TrainingState.self, from: data)
        #expect(decoded == result.state)
    }

    @Test func cyclicalBetaAndPlateauLearningRateInTheHistory() throws {
        let (training, validation) = try TrainingTestData.windows()
        let model = try ModelFactory.make(TrainingTestData.tinyVAE, seed: 5)
        // Reference cyclical annealing with period 4, ramp 0.5, maximum 0.2: epochs 1..6 give
        // 0.1, 0.2, 0.2, 0.2, 0.1, 0.2. Plateau patience 1 with constant injected losses halves the rate
        // after the second bad epoch (torch: num_bad_epochs > patience).
        var loop = try TrainingLoop(model: model, training: training, validation: validation,
                                    options: TrainingOptions(epochs: 6, batchSize: 64, learningRate: 1e-3, plateauPatience: 1,
                                                             betaSchedule: .cyclical(period: 4, rampRatio: 0.5, maximum: 0.2),
                                                             trainingWindows: 64, validationWindows: 16, seed: 4),
                                    state: nil)
        let result = try loop.run(progress: nil, checkCancellation: nil, validationLossOverride: { _, _ in 7 })
        #expect(result.history.map(\.beta) == [0.1, 0.2, 0.2, 0.2, 0.1, 0.2])
        #expect(result.history.map(\.learningRate) == [1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4])
        #expect(result.history.map(\.nextLearningRate) == [1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4, 2.5e-4])
    }

    @Test func collapsedDimensionsOnAConstructedPosterior() {
        // Three latent dimensions over 2 positions: dimension 0 is exactly the prior (KL 0), dimension 1 is
        // nearly the prior (mu 0.01: KL 0.5e-4), dimension 2 has mu 1 (KL 0.5) and dimension 3 logvar 0.5
        // (KL -0.5 (1.5 - e^0.5) = 0.0743606...).
        let mu: [Float] = [0, 0.01, 1, 0, 0, 0.01, 1, 0]
        let logVariance: [Float] = [0, 0, 0, 0.5, 0, 0, 0, 0.5]
        let (sums, positions) = LatentDiagnostics.klSums(mu: mu, logVariance: logVariance, latent: 4)
        #expect(positions == 2)
        let means = sums.map { $0 / 2 }
        let expected = [0, 0.5 * 0.0001, 0.5, -0.5 * (1.5 - exp(0.5))]
        for (value, reference) in zip(means, expected) { #expect(abs(value - reference) < 1e-7) }
        #expect(LatentDiagnostics.collapsedDimensions(meanKL: means) == 2)
        #expect(LatentDiagnostics.collapsedDimensions(meanKL: means, threshold: 0.1) == 3)
    }

    @Test func windowBatcherTransposesToTheModelLayout() throws {
        let (byTime, _) = try TrainingTestData.windows(layout: .timeByLeads)
        let (byLead, _) = try TrainingTestData.windows(layout: .leadsByTime)
        let fromTime = try WindowBatcher(byTime, layout: .leadsByTime, leads: 12, role: "test").batch([3, 0, 7])
        let fromLead = try WindowBatcher(byLead, layout: .leadsByTime, leads: 12, role: "test").batch([3, 0, 7])
        #expect(fromTime.shape == [3, 12, 64])
        #expect(fromTime.scalars == fromLead.scalars)
        #expect(throws: TrainingError.self) { try WindowBatcher(byTime, layout: .timeByLeads, leads: 8, role: "test") }
    }

    @Test func maVAETrainsFromADatasetAndScoresWithStrips() throws {
        // The MA-VAE (KL summed per window, no clamping) through the Dataset entry point: split 80/20,
        // windows of 64 every 32 samples; then scored, its strips checked against the per-lead twin.
        let dataset = Dataset(source: "synthetic", records: TrainingTestData.records(count: 10, seed: 12))
        let configuration = ModelConfiguration(kind: .maVAE, encoderHidden: [8, 8], decoderHidden: [8, 8], latent: 4,
                                               temporalHeads: 2)
        let model = try ModelFactory.make(configuration, seed: 1)
        let result = try Trainer.fit(model, dataset: dataset,
                                     options: TrainingOptions(epochs: 3, batchSize: 32, learningRate: 1e-2,
                                                              betaSchedule: .constant(1e-2), seed: 2,
                                                              windowLength: 64, trainingStride: 32, validationStride: 32))
        let losses = result.history.map(\.validationLoss)
        #expect(losses.allSatisfy(\.isFinite) && losses[2] < losses[0], "\(losses)")
        #expect(result.history.allSatisfy { (0...4).contains($0.collapsedDimensions) && $0.validationKL > 0 })
        let record = TrainingTestData.records(count: 1, duration: 1, seed: 13)[0]
        let options = ScoringOptions(window: 100, stride: 50, latentSampling: .mean, leadStrips: true)
        let scored = try Scorer.score(model, record: record, options: options)
        #expect(scored.method == .negativeELBO && scored.temporalAttention?.shape == [9, 100, 100])
        #expect(scored.leadWeights == nil)
        let adapter = try ModelAdapter(model)
        let input = Scorer.paddedSamples(record, steps: 500)
        let twin = try LeadStrips.perLeadReference(adapter, input: input, leads: 12, steps: 500, options: options)
        #expect(maxAbsDifference(try #require(scored.leadStrips).scalars, twin.scalars) < 1e-6)
    }

    @Test func badOptionsAreRejected() throws {
        let (training, validation) = try TrainingTestData.windows()
        let model = try CAE()
        #expect(throws: TrainingError.invalidOption("batchSize must be positive, got 0")) {
            try Trainer.fit(model, training: training, validation: validation, options: TrainingOptions(batchSize: 0))
        }
    }
}
