// Record commands (topic `record`): load bandpass notch zscore minmax resample crop preprocess leads lead
// windows, the `help record` documentation, and the library that also holds the dataset and plot commands.
import ECGKit
import Foundation
import Script
import TensorCore

/// The record, dataset and plot commands (topics `record`, `dataset`, `plot`) as one library.
public func recordCommands() -> CommandLibrary {
    CommandLibrary(name: "record", commands: recordCommandSpecs() + datasetCommandSpecs() + plotCommandSpecs(),
                   topics: [recordTopic, datasetTopic])
}

/// The record-or-dataset first parameter of the commands that accept both.
let recordOrDataset = ParameterType.oneOf([.object("record"), .object("dataset")])

private func recordCommandSpecs() -> [CommandSpec] {
    let recordParameter = Parameter("r", .object("record"), .required, "the record")
    return [
        CommandSpec(
            name: "load", topic: "record",
            summary: "Read an ECG record from a file (NumPy .npy, or WFDB .hea/.dat/.mat), or a workspace's variables (.h5).",
            details: """
                The file's extension picks the reader: .npy (a [T, L] or [L, T] array; NumPy files carry no
                sampling rate, so fs gives it), .hea/.dat/.mat or a path without extension (a WFDB record,
                whose header gives the rate, lead names and units; the 12 standard leads come first in
                canonical order); both return the record. A workspace (.h5, see 'help workspace') is read
                into the session instead: every variable, or only the named ones (load "w.h5" a, b), under
                their stored names, replacing variables of the same names; it returns none, and a bad file
                leaves the session as it was. A relative path inside a sourced script is relative to that
                script's folder.
                """,
            example: "r = load(\"data/A3794.npy\")\nr = load(\"ecg12/cpsc2018/A0001\")\nload \"w.h5\" m, s",
            parameters: [
                Parameter("path", .path(extensions: RecordLoader.knownExtensions + ["h5"]), .required,
                          "record or workspace file"),
                Parameter("names", .name, .variadic, "workspace variables to read (all when none are named)"),
                Parameter("fs", .number, .optional(defaultValue: .number(500)), "sampling rate of .npy files (Hz)"),
            ],
            returns: "record", hasCommandForm: true,
            handler: { arguments, interpreter in
                let given = try arguments.string("path")
                let fs = try arguments.number("fs")
                guard fs > 0, fs.isFinite else {
                    throw ScriptError("sampling rate must be a positive number of Hz, got \(formatNumber(fs))", argument: "fs")
                }
                let path = interpreter.resolveSourcePath(given)
                let names = try arguments.list("names").map(\.printed)
                if isWorkspacePath(path) {
                    try loadWorkspace(URL(fileURLWithPath: path), given: given, names: names, interpreter: interpreter)
                    return .none
                }
                guard names.isEmpty else {
                    throw ScriptError("variable names are for workspaces (.h5); '\(given)' is a record file", argument: "names")
                }
                do {
                    return .object(RecordValue(try RecordLoader.load(path, samplingRate: fs)))
                } catch {
                    throw ScriptError(String(describing: error), argument: "path")
                }
            }),
        CommandSpec(
            name: "bandpass", topic: "record", summary: "Zero-phase Butterworth band-pass of every lead.",
            details: """
                scipy.signal.butter(order, [low, high], 'band', fs=r.fs) applied forward and backward
                (filtfilt, as the reference code; "sosfiltfilt" is better conditioned for very low cuts or
                high orders). Cut-offs must lie between 0 and Nyquist (fs / 2).
                """,
            example: "x = r |> bandpass(0.5, 40)\nbandpass(r, low=1, high=100, order=3)",
            parameters: [
                recordParameter,
                Parameter("low", .number, .optional(defaultValue: .number(0.5)), "low cut (Hz)"),
                Parameter("high", .number, .optional(defaultValue: .number(40)), "high cut (Hz)"),
                Parameter("order", .integer, .optional(defaultValue: .number(4)), "Butterworth order, 1 to 20"),
                Parameter("method", .choice(ZeroPhaseMethod.allCases.map(\.rawValue)),
                          .optional(defaultValue: .string("filtfilt")), "forward-backward scheme"),
            ],
            returns: "record",
            handler: { arguments, _ in
                let value = try arguments.object("r", as: RecordValue.self)
                let method = ZeroPhaseMethod(rawValue: try arguments.string("method")) ?? .filtfilt
                return try processed(value, arguments) {
                    try $0.bandpass(low: try arguments.number("low"), high: try arguments.number("high"),
                                    order: try arguments.integer("order"), method: method)
                }
            }),
        CommandSpec(
            name: "notch", topic: "record", summary: "Zero-phase IIR notch at the mains frequency.",
            details: "scipy.signal.iirnotch(freq, q, fs=r.fs) applied forward and backward (filtfilt).",
            example: "x = r |> notch(50)\nnotch(r, freq=60, q=30)",
            parameters: [
                recordParameter,
                Parameter("freq", .number, .optional(defaultValue: .number(50)), "notch frequency (Hz)"),
                Parameter("q", .number, .optional(defaultValue: .number(30)), "quality factor"),
            ],
            returns: "record",
            handler: { arguments, _ in
                let value = try arguments.object("r", as: RecordValue.self)
                return try processed(value, arguments) {
                    try $0.notch(frequency: try arguments.number("freq"), quality: try arguments.number("q"))
                }
            }),
        CommandSpec(
            name: "zscore", topic: "record", summary: "Standardise every lead: (x - mean) / (std + 1e-8).",
            details: "Population std (numpy.std) per lead, as the reference; a constant lead becomes zeros.",
            example: "x = r |> bandpass |> zscore",
            parameters: [recordParameter],
            returns: "record",
            handler: { arguments, _ in
                try processed(try arguments.object("r", as: RecordValue.self), arguments) { try $0.zscore() }
            }),
        CommandSpec(
            name: "minmax", topic: "record", summary: "Scale every lead to [0, 1]: (x - min) / (max - min).",
            details: """
                The input scaling of the published CAE (its example record A3794.npy is scaled this way);
                a constant lead becomes zeros. On a dataset every record is scaled.
                """,
            example: "m = import_torch(\"best_cae_model.pth\")\ns = score(m, r |> preprocess |> minmax)",
            parameters: [Parameter("x", recordOrDataset, .required, "record or dataset")],
            returns: "record or dataset",
            handler: { arguments, _ in
                if case .object(let object) = arguments["x"], var data = object as? DatasetValue {
                    do {
                        data.dataset = try data.dataset.minMaxScaled()
                    } catch let error as PreprocessingError {
                        throw preprocessingFailure(error, arguments)
                    }
                    return .object(data)
                }
                return try processed(try arguments.object("x", as: RecordValue.self), arguments) { try $0.minMaxScaled() }
            }),
        CommandSpec(
            name: "resample", topic: "record", summary: "Resample to another rate (scipy.signal.resample_poly).",
            details: "Polyphase resampling by the reduced ratio fs / r.fs (1000 -> 500 Hz: 1/2; 100 -> 500 Hz: 5/1).",
            example: "resample(r, 500)\nr |> resample(250)",
            parameters: [recordParameter, Parameter("fs", .number, .required, "new sampling rate (Hz)")],
            returns: "record",
            handler: { arguments, _ in
                let value = try arguments.object("r", as: RecordValue.self)
                return try processed(value, arguments) { try $0.resampled(to: try arguments.number("fs")) }
            }),
        CommandSpec(
            name: "crop", topic: "record", summary: "Keep the first n samples of every lead, zero-padding a shorter record.",
            example: "crop(r, 5000)\nr |> crop(n=2500)",
            parameters: [recordParameter, Parameter("n", .integer, .optional(defaultValue: .number(5000)), "samples to keep")],
            returns: "record",
            handler: { arguments, _ in
                let value = try arguments.object("r", as: RecordValue.self)
                return try processed(value, arguments) { try $0.croppedOrPadded(to: try arguments.integer("n")) }
            }),
        CommandSpec(
            name: "preprocess", topic: "record", summary: "The reference chain: clean, resample, crop, band-pass, notch, z-score.",
            details: """
                NaN/inf -> 0, resample to fs (only when it differs), crop or zero-pad to n samples,
                band-pass 0.5-40 Hz order 4 (filtfilt), notch at the mains frequency (Q 30; mains=none
                skips it), z-score per lead. On a dataset every record goes through it, with progress;
                Ctrl-C stops it and leaves the dataset as it was.
                """,
            example: "x = preprocess(r)\nnormal = dataset(\"ptbxl\", where=\"NORM\") |> preprocess(mains=50)",
            parameters: [
                Parameter("x", recordOrDataset, .required, "record or dataset"),
                Parameter("mains", .any, .optional(defaultValue: .number(50)), "mains frequency (Hz), or none"),
                Parameter("fs", .number, .optional(defaultValue: .number(500)), "sampling rate (Hz)"),
                Parameter("n", .integer, .optional(defaultValue: .number(5000)), "samples per lead"),
            ],
            returns: "record or dataset",
            handler: { arguments, interpreter in
                let options = try preprocessingOptions(arguments)
                if case .object(let object) = arguments["x"], let data = object as? DatasetValue {
                    return .object(try preprocessDataset(data, options: options, interpreter: interpreter))
                }
                let value = try arguments.object("x", as: RecordValue.self)
                return try processed(value, arguments) { try $0.preprocessed(options) }
            }),
        CommandSpec(
            name: "leads", topic: "record", summary: "A record with only the given leads, in the given order.",
            details: "Leads are names (case-insensitive) or positions (0 is the first, negative from the end).",
            example: "leads(r, [\"II\", \"V1\"])\nleads(r, [0, 1, 2])",
            parameters: [recordParameter, Parameter("names", .list, .required, "lead names or positions")],
            returns: "record",
            handler: { arguments, _ in
                let value = try arguments.object("r", as: RecordValue.self)
                let names = try arguments.list("names")
                guard !names.isEmpty else { throw ScriptError("give at least one lead", argument: "names") }
                let indices = try names.map { name in
                    do { return try value.leadIndex(name) } catch let error as ScriptError {
                        throw ScriptError(error.message, argument: "names")
                    }
                }
                var result = value
                result.record = value.record.selectingLeads(indices)
                return .object(result)
            }),
        CommandSpec(
            name: "lead", topic: "record", summary: "One lead of a record as a 1-D tensor [T], by name or position.",
            details: "lead(r, 1) is r[1]; lead(r, \"II\") finds the lead by name (case-insensitive).",
            example: "ii = lead(r, \"II\")\nlead(r, -1)",
            parameters: [recordParameter, Parameter("which", .oneOf([.string, .integer]), .required, "name or position")],
            returns: "tensor",
            handler: { arguments, _ in
                let value = try arguments.object("r", as: RecordValue.self)
                let index: Int
                do { index = try value.leadIndex(arguments["which"]) } catch let error as ScriptError {
                    throw ScriptError(error.message, argument: "which")
                }
                return .object(TensorValue(Tensor(value.record.lead(index).map(Float.init))))
            }),
        CommandSpec(
            name: "windows", topic: "record", summary: "Overlapping windows of a record or dataset as a tensor [N, T, L] or [N, L, T].",
            details: """
                Windows of length samples start at 0, stride, 2 stride, ... while they fit (a 5000-sample
                record gives 19 windows of 500 at stride 250). layout "time-leads" gives [N, T, L] (the VAE
                models' input), "leads-time" gives [N, L, T] (the CAE's). A dataset's records are taken in
                order and must have the same number of leads.
                """,
            example: "w = windows(r)\nwindows(d, length=500, stride=125, layout=\"leads-time\")",
            parameters: [
                Parameter("x", recordOrDataset, .required, "record or dataset"),
                Parameter("length", .integer, .optional(defaultValue: .number(500)), "samples per window"),
                Parameter("stride", .integer, .optional(defaultValue: .number(250)), "samples between window starts"),
                Parameter("layout", .choice(["time-leads", "leads-time"]), .optional(defaultValue: .string("time-leads")),
                          "axis order of each window"),
            ],
            returns: "tensor",
            handler: { arguments, _ in
                let dataset: Dataset
                if case .object(let object) = arguments["x"], let data = object as? DatasetValue {
                    dataset = data.dataset
                } else {
                    dataset = Dataset(source: "record", records: [try arguments.object("x", as: RecordValue.self).record])
                }
                let layout: WindowLayout = try arguments.string("layout") == "leads-time" ? .leadsByTime : .timeByLeads
                let length = try arguments.integer("length"), stride = try arguments.integer("stride")
                guard length > 0 else { throw ScriptError("length must be positive, got \(length)", argument: "length") }
                guard stride > 0 else { throw ScriptError("stride must be positive, got \(stride)", argument: "stride") }
                do {
                    let windows = try dataset.windows(length: length, stride: stride, layout: layout)
                    return .object(TensorValue(try Tensor(shape: windows.shape, scalars: windows.values)))
                } catch let error as DatasetError {
                    throw ScriptError(error.message, argument: "x")
                }
            }),
    ]
}

/// Runs one processing step on a record, turning `PreprocessingError`s into messages pinned to the
/// argument they concern (`high cut 300 Hz is above Nyquist ...` on `high`).
private func processed(_ value: RecordValue, _ arguments: CallArguments,
                       _ step: (Record) throws -> Record) throws -> Value {
    do {
        var result = value
        result.record = try step(value.record)
        return .object(result)
    } catch let error as PreprocessingError {
        throw preprocessingFailure(error, arguments)
    }
}

/// A `PreprocessingError` in the user's words: the step's name dropped when it is the command's own,
/// the caret on the parameter the message names.
func preprocessingFailure(_ error: PreprocessingError, _ arguments: CallArguments) -> ScriptError {
    let ownStep = error.step == arguments.commandName || (error.step == "crop-or-pad" && arguments.commandName == "crop")
    let message = ownStep ? error.message : error.description
    let mentions: [(phrase: String, parameter: String)] = [
        ("low cut", "low"), ("high cut", "high"), ("order", "order"), ("frequency", "freq"), ("quality", "q"),
        ("target rate", "fs"), ("length", "n"),
    ]
    let named = mentions.first { error.message.hasPrefix($0.phrase) && arguments.isGiven($0.parameter) }
    return ScriptError(message, argument: named?.parameter)
}

/// `PreprocessingOptions` from `mains`, `fs` and `n` (mains=none skips the notch).
private func preprocessingOptions(_ arguments: CallArguments) throws -> PreprocessingOptions {
    var options = PreprocessingOptions()
    switch arguments["mains"] {
    case .none: options.mains = nil
    case .number(let mains):
        guard mains > 0, mains.isFinite else {
            throw ScriptError("mains must be a positive frequency in Hz (50 or 60) or none, got \(formatNumber(mains))",
                              argument: "mains")
        }
        options.mains = mains
    case let other:
        throw ScriptError("mains must be a frequency in Hz (50 or 60) or none, got \(other.typeName)", argument: "mains")
    }
    options.samplingRate = try arguments.number("fs")
    guard options.samplingRate > 0, options.samplingRate.isFinite else {
        throw ScriptError("fs must be a positive number of Hz, got \(formatNumber(options.samplingRate))", argument: "fs")
    }
    options.length = try arguments.integer("n")
    guard options.length > 0 else { throw ScriptError("n must be positive, got \(options.length)", argument: "n") }
    return options
}

/// Records read or preprocessed at once: one per core, at most 4 (each record is independent, so the
/// result does not depend on it; Ctrl-C is answered between batches).
let recordWorkers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

/// Every record of a dataset through the chain, with progress and Ctrl-C between records
/// (an interrupted run throws and leaves the session's dataset unchanged).
private func preprocessDataset(_ value: DatasetValue, options: PreprocessingOptions,
                               interpreter: Interpreter) throws -> DatasetValue {
    let progress = ProgressReporter(output: interpreter.output, label: "preprocess", unit: "records")
    defer { progress.finish() }
    do {
        var result = value
        result.dataset = try value.dataset.preprocessed(
            options, workers: recordWorkers, progress: { progress.update(done: $0, total: $1) },
            checkCancellation: { try interpreter.interruption.check() })
        return result
    } catch let error as PreprocessingError {
        throw ScriptError(error.description)
    }
}

/// `help record`.
private let recordTopic = HelpTopic(name: "record", summary: "One multi-lead ECG with its sampling rate, leads and history.", text: """
    record: one ECG, samples [L, T] in physical units (load, synth, d[i]). It prints as
    'record A3794  12 leads x 5000 samples @ 500 Hz (10.0 s)  units: mV'.
    Fields: r.signal (tensor [L, T] float32), r.fs (Hz), r.leads (names), r.duration (s),
    r.samples (T), r.name, r.source (file), r.format (how it was stored), r.units (per lead),
    r.provenance (processing steps, oldest first), r.comments (header lines), r.warnings,
    r.label (0 normal, 1 abnormal, none unknown; from a dataset or a #Dx header line),
    r.diagnoses (codes), r.heart_rate (bpm from the R peaks of lead II; none when not found).
    Indexing: r[1] is lead 1 as a tensor [T] (negative from the end), r[1, 0:500] its first
    500 samples; lead(r, "II") takes a lead by name, leads(r, ["II", "V1"]) keeps some leads.
    len(r) is the number of leads. Processing (bandpass notch zscore resample crop
    preprocess) returns a new record with one more provenance step.
    show r prints the header (source, label, heart rate, provenance) and a braille preview of
    leads I, II, V1 and V5 (the first four leads when those are absent), each scaled to its
    own range, which is printed after it; each dot column shows the sample of its stretch
    farthest from the lead's mean, so R peaks stay visible. plot(r, "r.svg") draws it fully.
    """)
