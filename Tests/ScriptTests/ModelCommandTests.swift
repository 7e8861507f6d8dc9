// Model commands run through an interpreter: the published CAE reproduced through the language,
// bit-identical and resumable fits, Ctrl-C keeping the best weights, and PyTorch reading export_torch's
// files (interoperability: runs python3 + torch, skipped with a message when torch cannot be imported).
import Commands
import ECGKit
import Foundation
import Formats
import Models
import Script
import TensorCore
import Testing
import TestSupport

/// An interpreter with every command, writing into `output`.
private func modelSession(_ output: any Output = CapturedOutput(),
                          interruption: Interruption = Interruption()) -> Interpreter {
    Interpreter(registry: makeCommandRegistry(), output: output, interruption: interruption)
}

/// The tensor bound to `name`.
private func tensorVariable(_ interpreter: Interpreter, _ name: String) throws -> Tensor {
    guard case .object(let object)? = interpreter.variables[name], let value = object as? TensorValue else {
        throw ScriptError("\(name) is not a tensor")
    }
    return value.tensor.contiguous()
}

/// The model bound to `name`.
private func modelVariable(_ interpreter: Interpreter, _ name: String) throws -> TrainedModel {
    guard case .object(let object)? = interpreter.variables[name], let value = object as? ModelValue else {
        throw ScriptError("\(name) is not a model")
    }
    return value.trained
}

/// The number bound to `name`.
private func numberVariable(_ interpreter: Interpreter, _ name: String) throws -> Double {
    guard case .number(let number)? = interpreter.variables[name] else { throw ScriptError("\(name) is not a number") }
    return number
}

/// The model's weights, flattened in state_dict order, as bit patterns.
private func weightBits(_ trained: TrainedModel) -> [UInt32] {
    trained.model.stateDict().flatMap { $0.value.contiguous().scalars.map(\.bitPattern) }
}

/// The bit patterns of stored weights (`TrainingState.bestWeights` …).
private func weightBits(_ arrays: [NamedArray]) -> [UInt32] {
    arrays.flatMap { $0.values.map(\.bitPattern) }
}

/// The history without its wall-clock seconds (the only part that differs between equal runs).
private func historyWithoutTimes(_ trained: TrainedModel) -> [TrainingEpoch] {
    trained.history.map { epoch in
        var copy = epoch
        copy.seconds = 0
        return copy
    }
}

private let sharedData = TestPaths.sharedData.path
private let tinyData = "d = synth(6, duration=2, seed=1)\n"
private let tinyModel = "model(\"vae\", hidden=[8, 4], latent=4, seed=1)"

@Test func publishedCAEThroughTheLanguageReproducesPyTorch() throws {
    let interpreter = modelSession()
    try interpreter.run(Source(name: "test", text: """
        m = import_torch("\(sharedData)/seed/best_cae_model.pth", kind="cae")
        s = score(m, load("\(sharedData)/seed/A3794.npy"))
        recon = s.recon
        input = s.input
        mse = s.score
        w = score(m, load("\(sharedData)/seed/A3794.npy"), pass="windows")
        windowed = w.score
        windowed_recon = w.recon
        """))
    let reference = TestPaths.shared("reference")
    func expected(_ name: String) throws -> [Float] { try NPYFixture(contentsOf: reference.appendingPathComponent(name)).values }
    let input = try tensorVariable(interpreter, "input")
    #expect(input.shape == [12, 5000])
    #expect(firstMismatch(input.scalars, try expected("cae_input_A3794.npy"), rtol: 0, atol: 0) == nil)
    let reconstruction = try tensorVariable(interpreter, "recon")
    #expect(reconstruction.shape == [12, 5000])
    #expect(firstMismatch(reconstruction.scalars, try expected("cae_recon_A3794.npy"), rtol: 0, atol: 1e-4) == nil)
    let windowedReconstruction = try tensorVariable(interpreter, "windowed_recon")
    #expect(firstMismatch(windowedReconstruction.scalars, try expected("cae_recon_windows_full_A3794.npy"),
                          rtol: 0, atol: 1e-4) == nil)
    // cae_A3794.json "scores": whole-record MSE and the mean window MSE (PyTorch, float32).
    let mse = try numberVariable(interpreter, "mse")
    #expect(abs(mse - 9.3037980e-05) / 9.3037980e-05 < 1e-6, "MSE \(mse)")
    let windowed = try numberVariable(interpreter, "windowed")
    #expect(abs(windowed - 2.7848452e-05) / 2.7848452e-05 < 1e-5, "windowed \(windowed)")
}

@Test func fitIsDeterministicAndResumesBitIdentically() throws {
    let interpreter = modelSession()
    try interpreter.run(Source(name: "test", text: tinyData + """
        a = \(tinyModel)
        fit(a, d, epochs=2, batch=8, seed=3)
        b = \(tinyModel)
        fit(b, d, epochs=2, batch=8, seed=3)
        c = \(tinyModel)
        fit(c, d, epochs=1, batch=8, seed=3)
        fit(c, d, epochs=2, batch=8)
        """))
    let a = try modelVariable(interpreter, "a"), b = try modelVariable(interpreter, "b"), c = try modelVariable(interpreter, "c")
    let start = try ModelFactory.make(a.configuration, seed: 1)
    #expect(weightBits(a) != start.stateDict().flatMap { $0.value.scalars.map(\.bitPattern) }, "training changed nothing")
    #expect(weightBits(a) == weightBits(b))
    #expect(weightBits(a) == weightBits(c))
    let stateA = try #require(a.trainingState), stateC = try #require(c.trainingState)
    #expect(stateA.epoch == 2 && stateC.epoch == 2)
    #expect(weightBits(stateA.currentWeights) == weightBits(stateC.currentWeights))
    #expect(stateA.optimizer == stateC.optimizer)
    #expect(stateA.scheduler == stateC.scheduler)
    #expect(stateA.bestEpoch == stateC.bestEpoch && stateA.bestValidationLoss == stateC.bestValidationLoss)
    #expect(historyWithoutTimes(a) == historyWithoutTimes(c))
    #expect(c.trainingOptions?.seed == 3, "a resumed fit keeps the first fit's seed")
    // The model ends with its best weights.
    #expect(weightBits(a) == weightBits(stateA.bestWeights))
}

/// An output that asks the interpreter to stop the first time a line containing `trigger` is written:
/// the programmatic Ctrl-C of these tests.
private final class InterruptingOutput: Output {
    let interruption: Interruption
    let trigger: String
    var text = ""
    let isTerminal = false

    init(interruption: Interruption, trigger: String) {
        self.interruption = interruption
        self.trigger = trigger
    }

    private var fired = false

    func write(_ text: String) {
        self.text += text
        if !fired, text.contains(trigger) {
            fired = true
            interruption.request()
        }
    }
}

@Test func interruptedFitKeepsTheBestWeightsAndResumes() throws {
    let interruption = Interruption()
    let output = InterruptingOutput(interruption: interruption, trigger: "epoch 1/3")
    let interpreter = modelSession(output, interruption: interruption)
    try interpreter.run(Source(name: "test", text: tinyData + """
        m = \(tinyModel)
        fit(m, d, epochs=3, batch=8, seed=3)
        """))
    let trained = try modelVariable(interpreter, "m")
    let state = try #require(trained.trainingState)
    #expect(state.epoch == 1, "the unfinished epoch 2 is discarded")
    #expect(state.bestEpoch == 1)
    #expect(weightBits(trained) == weightBits(state.bestWeights))
    let bestLoss = try #require(state.bestValidationLoss)
    #expect(output.text.contains("interrupted: kept the best weights (epoch 1, val \(formatNumber(bestLoss)))"),
            "\(output.text)")
    #expect(!output.text.contains("epoch 2/3"))

    // Fitting again runs epochs 2 and 3 and ends where an uninterrupted run ends.
    try interpreter.run(Source(name: "test", text: """
        fit(m, d, epochs=3, batch=8)
        whole = \(tinyModel)
        fit(whole, d, epochs=3, batch=8, seed=3)
        """))
    let whole = try modelVariable(interpreter, "whole")
    #expect(trained.trainingState?.epoch == 3)
    #expect(weightBits(trained) == weightBits(whole))
    #expect(historyWithoutTimes(trained) == historyWithoutTimes(whole))
}

@Test func importTorchOfANonPthFileAndOfMissingKeysNamesTheProblem() throws {
    let interpreter = modelSession()
    let folder = try ScratchFolder.folder("modelcmds")
    let fake = folder.appendingPathComponent("not-a-zip.pth")
    try Data("plain text, not a torch.save zip".utf8).write(to: fake)
    do {
        try interpreter.run(Source(name: "test", text: "import_torch(\"\(fake.path)\")"))
        Issue.record("a text file loaded as PyTorch weights")
    } catch let failure as ScriptFailure {
        let message = failure.diagnostics.first?.message ?? ""
        #expect(message.contains("not-a-zip.pth: not a PyTorch checkpoint (no zip signature)"), "\(message)")
    }
    // A CAE state_dict without its last layer: strict loading lists the missing keys.
    let partial = folder.appendingPathComponent("partial.pth")
    let checkpoint = try TorchCheckpoint.read(from: TestPaths.shared("seed/best_cae_model.pth"))
    try TorchCheckpoint.write(checkpoint.tensors.filter { !$0.key.hasPrefix("decoder.4") }, to: partial)
    do {
        try interpreter.run(Source(name: "test", text: "import_torch(\"\(partial.path)\", kind=\"cae\")"))
        Issue.record("a state_dict without decoder.4 loaded")
    } catch let failure as ScriptFailure {
        let message = failure.diagnostics.first?.message ?? ""
        #expect(message.contains("missing keys: decoder.4.weight, decoder.4.bias"), "\(message)")
    }
}

@Suite(.enabled(if: ReferenceClients.hasTorch, "python3 cannot import torch: export_torch not checked against PyTorch"))
struct ExportTorchInteropTests {
    @Test(arguments: ["cae", "vae-mha"])
    func pytorchLoadsExportTorchFilesStrictly(kind: String) throws {
        let folder = try ScratchFolder.folder("modelcmds-export-\(kind)")
        let weights = folder.appendingPathComponent("model.pth").path
        let interpreter = modelSession()
        let sizes = kind == "cae" ? "" : ", hidden=[12, 10], latent=16"
        try interpreter.run(Source(name: "test", text: """
            m = model("\(kind)"\(sizes), seed=7)
            export_torch(m, "\(weights)")
            """))
        var generator = RandomStream(seed: 5, stream: "export-interop")
        let input = kind == "cae" ? Tensor.randn([1, 12, 64], using: &generator) : Tensor.randn([1, 24, 12], using: &generator)
        let noise = Tensor.randn(kind == "cae" ? [1] : [1, 24, 16], using: &generator)
        let inputPath = folder.appendingPathComponent("x.npy").path, noisePath = folder.appendingPathComponent("eps.npy").path
        try NPY.write(StoredArray(shape: input.shape, elements: .float32(input.scalars)), to: inputPath)
        try NPY.write(StoredArray(shape: noise.shape, elements: .float32(noise.scalars)), to: noisePath)
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/reference/models.py").path
        // models.py --check-export builds the reference PyTorch module and calls load_state_dict(strict=True).
        let result = try ReferenceClients.run("python3", [script, "--check-export", weights, kind, "12,10,10,12,16",
                                                          inputPath, noisePath, folder.path])
        #expect(result.status == 0, "\(result)")
        guard kind == "cae", result.status == 0 else { return }
        // PyTorch's forward with the exported weights equals ours.
        let cae = try #require(try modelVariable(interpreter, "m").model as? CAE)
        cae.eval()
        let ours = try withNoGrad { try cae.forward(input) }
        let torchOutput = try NPYFixture(contentsOf: folder.appendingPathComponent("recon.npy"))
        #expect(torchOutput.shape == [1, 12, 64])
        #expect(firstMismatch(ours.contiguous().scalars, torchOutput.values, rtol: 1e-5, atol: 1e-6) == nil)
    }
}

@Test func helpDocumentsTheModelTypes() throws {
    let registry = makeCommandRegistry()
    for (name, phrase) in [("model", "m.history (tensor [epochs, 5]"), ("score", "s.lead_weights ([W, Tw, L]"),
                           ("threshold", "acts as its number"), ("metrics", "show e prints the table")] {
        let text = try #require(registry.help(for: name))
        #expect(text.contains(phrase), "help \(name)")
        #expect(registry.topic(named: name)?.isType == true)
    }
}

/// An output that says it is a terminal, so progress bars are drawn.
private final class TerminalCapture: Output {
    var text = ""
    let isTerminal = true
    func write(_ text: String) { self.text += text }
}

@Test func fitDrawsABarPerEpochOnATerminalAndErasesItBeforeTheEpochLine() throws {
    let output = TerminalCapture()
    let interpreter = modelSession(output)
    try interpreter.run(Source(name: "test", text: tinyData + "fit(\(tinyModel), d, epochs=2, batch=8, seed=3)"))
    // 4 training records x 5 windows (2 s, stride 125) in batches of 8: 3 batches per epoch.
    for epoch in 1...2 {
        let bar = "\repoch \(epoch)/2 [################]  3/3 batches"
        let barRange = try #require(output.text.range(of: bar), "\(output.text)")
        let lineRange = try #require(output.text.range(of: "epoch \(epoch)/2  loss "))
        #expect(barRange.upperBound < lineRange.lowerBound)
        let between = output.text[barRange.upperBound..<lineRange.lowerBound]
        #expect(between.hasSuffix("\r"), "the bar is erased before the epoch line")
    }
}
