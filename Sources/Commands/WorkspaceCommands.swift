// Workspace commands (topic `workspace`): save, workspace (list a file), replay, and the loading of
// .h5 workspaces that `load` dispatches to; `help workspace` documents the format in brief.
import ECGKit
import Foundation
import Script

/// The workspace commands as one library.
public func workspaceCommands() -> CommandLibrary {
    CommandLibrary(name: "workspace", commands: workspaceCommandSpecs(), topics: [workspaceTopic])
}

/// The release written into workspaces (root attribute `ecgs_version`).
public let ecgsRelease = "0.1.0"

/// Whether `path` names a workspace file (`.h5` / `.hdf5`), which `load` reads as variables.
func isWorkspacePath(_ path: String) -> Bool {
    ["h5", "hdf5"].contains((path as NSString).pathExtension.lowercased())
}

private func workspaceCommandSpecs() -> [CommandSpec] {
    [
        CommandSpec(
            name: "save", topic: "workspace", summary: "Save all variables, or the named ones, to an HDF5 workspace.",
            details: """
                Writes one HDF5 file (layout: docs/workspace-format.md) holding the variables, the session
                seed and the statements that made them (the session history), so that 'replay' can rebuild
                them. Saving is atomic: the file is written beside the target and renamed over it, so a
                failure leaves an existing file untouched. Every value type can be saved: numbers, strings,
                bools, none, lists, tensors, records (with label and diagnoses), datasets, models (with
                training state and threshold), scores, metrics and thresholds. A value of a type without
                a workspace form is refused when named, and skipped (with a note) when saving everything.
                """,
            example: "save \"w.h5\"\nsave \"w.h5\" m, s",
            parameters: [
                Parameter("path", .path(extensions: ["h5"]), .required, "workspace file (.h5)"),
                Parameter("names", .name, .variadic, "variables to save (all when none are named)"),
            ],
            hasCommandForm: true, isReplayable: false,
            handler: { arguments, interpreter in
                let given = try arguments.string("path")
                let path = interpreter.resolveSourcePath(given)
                let names = try arguments.list("names").map(\.printed)
                let selected = names.isEmpty ? interpreter.variables.names : names
                var variables: [(name: String, value: WorkspaceValue)] = []
                var skipped: [String] = []
                for name in selected {
                    guard let value = interpreter.variables[name] else {
                        var message = "no variable '\(name)'"
                        if let suggestion = nearestName(to: name, in: interpreter.variables.names) {
                            message += "; did you mean '\(suggestion)'?"
                        }
                        throw ScriptError(message, argument: "names")
                    }
                    do {
                        variables.append((name, try WorkspaceConversion.workspaceValue(value, name: name)))
                    } catch let error as UnstorableValue {
                        // Named explicitly: refuse. Saving everything: keep what can be kept.
                        guard names.isEmpty else { throw ScriptError(error.description, argument: "names") }
                        skipped.append("\(name) (\(error.typeName))")
                    }
                }
                let session = SessionInfo(script: interpreter.history.map { $0 + "\n" }.joined(), ecgsVersion: ecgsRelease,
                                          ecgsBuild: ecgsBuildDescription, seed: Int64(bitPattern: interpreter.seed))
                do {
                    try Workspace.save(variables, session: session, to: URL(fileURLWithPath: path))
                } catch let error as WorkspaceError {
                    throw ScriptError(error.description, argument: "path")
                }
                let count = variables.count
                interpreter.output.writeLine("saved \(plural(count, "variable")) to \(given)"
                                             + (skipped.isEmpty ? "" : "; skipped, having no workspace form: "
                                                + skipped.joined(separator: ", ")))
                return .none
            }),
        CommandSpec(
            name: "workspace", topic: "workspace", summary: "List what a workspace file holds, without loading it.",
            details: """
                Prints the file's format version, seed and creation time, then one row per variable: name,
                type, shape, size once loaded (bytes) and a summary, read from metadata only. A variable of
                a type this ecgs does not know, or a damaged one, is listed as such.
                """,
            example: "workspace \"w.h5\"",
            parameters: [Parameter("path", .path(extensions: ["h5"]), .required, "workspace file (.h5)")],
            hasCommandForm: true, isReplayable: false,
            handler: { arguments, interpreter in
                let given = try arguments.string("path")
                let url = URL(fileURLWithPath: interpreter.resolveSourcePath(given))
                let listing: WorkspaceListing
                do {
                    listing = try Workspace.contents(of: url, registry: WorkspaceConversion.registry)
                } catch let error as WorkspaceError {
                    throw ScriptError(error.description, argument: "path")
                }
                interpreter.output.writeLine(listingText(listing, file: given))
                return .none
            }),
        CommandSpec(
            name: "replay", topic: "workspace",
            summary: "Re-run a workspace's script in a fresh session and check each variable is rebuilt bit for bit.",
            details: """
                Runs the statements stored in the workspace (/session/script) in a new session with the
                stored seed and the same commands, then compares each stored variable with the rebuilt one
                as stored bytes: 'identical', 'differs' (naming what differs), or 'not rebuilt'. Training
                times (history/seconds) are wall-clock measurements and are not compared. Relative paths in
                the script resolve against the current folder, as when it first ran.
                """,
            example: "replay \"w.h5\"",
            parameters: [Parameter("path", .path(extensions: ["h5"]), .required, "workspace file (.h5)")],
            returns: "bool", hasCommandForm: true, isReplayable: false,
            handler: { arguments, interpreter in
                let given = try arguments.string("path")
                return .bool(try replay(URL(fileURLWithPath: interpreter.resolveSourcePath(given)), given: given,
                                        interpreter: interpreter))
            }),
    ]
}

/// "ecgs 0.1.0 (linux x86_64)": the build `/session/ecgs_build` records.
let ecgsBuildDescription: String = {
    #if os(Linux)
    let system = "linux"
    #else
    let system = "macos"
    #endif
    #if arch(x86_64)
    let architecture = "x86_64"
    #else
    let architecture = "arm64"
    #endif
    return "ecgs \(ecgsRelease) (\(system) \(architecture))"
}()

/// Reads the workspace at `url` (all variables, or `names`) into the session: `load "w.h5" a, b`.
/// Everything is read and converted before any variable is assigned, so a bad file changes nothing.
func loadWorkspace(_ url: URL, given: String, names: [String], interpreter: Interpreter) throws {
    let loaded: LoadedWorkspace
    do {
        loaded = try Workspace.load(from: url, names: names.isEmpty ? nil : names, registry: WorkspaceConversion.registry)
    } catch let error as WorkspaceError {
        throw ScriptError(error.description, argument: "path")
    }
    let values = try loaded.variables.map { (name: $0.name, value: try WorkspaceConversion.value($0.value)) }
    for (name, value) in values {
        interpreter.variables[name] = value
    }
    let shown = values.map(\.name).joined(separator: ", ")
    interpreter.output.writeLine("loaded \(plural(values.count, "variable")) from \(given)"
                                 + (values.isEmpty ? "" : ": \(shown)"))
}

/// Replays `url`'s script in a fresh interpreter and prints one line per stored variable; true when
/// every variable was rebuilt bit-identically.
private func replay(_ url: URL, given: String, interpreter: Interpreter) throws -> Bool {
    let stored: LoadedWorkspace
    do {
        stored = try Workspace.load(from: url, registry: WorkspaceConversion.registry)
    } catch let error as WorkspaceError {
        throw ScriptError(error.description, argument: "path")
    }
    let seed = stored.session.seed.map { UInt64(bitPattern: $0) } ?? Interpreter.defaultSeed
    let fresh = Interpreter(registry: interpreter.registry, output: CapturedOutput(), seed: seed,
                            interruption: interpreter.interruption)
    do {
        try fresh.run(Source(name: "\(given):/session/script", text: stored.session.script))
    } catch let failure as ScriptFailure {
        throw ScriptError("the workspace's script failed when replayed:\n\(failure.description)", argument: "path")
    }
    var rebuilt: [(name: String, value: WorkspaceValue)] = []
    for (name, _) in stored.variables {
        if let value = fresh.variables[name] {
            rebuilt.append((name, try WorkspaceConversion.workspaceValue(value, name: name)))
        }
    }
    let scratch = FileManager.default.temporaryDirectory
        .appendingPathComponent("ecgs-replay-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).h5")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let differences: [String: [String]]
    do {
        try Workspace.save(rebuilt, session: stored.session, to: scratch)
        differences = try Workspace.differences(between: url, and: scratch, names: rebuilt.map(\.name),
                                                ignoring: ["training_state/history/seconds"])
    } catch let error as WorkspaceError {
        throw ScriptError("cannot compare the rebuilt variables: \(error.description)")
    }
    let width = stored.variables.map(\.name.count).max() ?? 0
    var identical = 0
    for (name, _) in stored.variables {
        let verdict: String
        switch differences[name] {
        case nil: verdict = "not rebuilt (the script does not assign it)"
        case let found? where found.isEmpty:
            verdict = "identical"
            identical += 1
        case let found?:
            let shown = found.prefix(4).joined(separator: ", ") + (found.count > 4 ? ", ..." : "")
            verdict = "differs: \(shown)"
        }
        interpreter.output.writeLine(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + verdict)
    }
    let count = stored.variables.count
    interpreter.output.writeLine("replay: \(identical) of \(plural(count, "variable")) bit-identical")
    return identical == count
}

/// The `workspace` listing: a header line, then name, type, shape, bytes and summary per variable.
private func listingText(_ listing: WorkspaceListing, file: String) -> String {
    let session = listing.session
    var header = "\(file): ecgs workspace \(listing.formatVersion), \(plural(listing.entries.count, "variable"))"
    if let seed = session.seed { header += ", seed \(UInt64(bitPattern: seed))" }
    if !session.createdUTC.isEmpty { header += ", saved \(session.createdUTC)" }
    if !session.ecgsVersion.isEmpty { header += " by ecgs \(session.ecgsVersion)" }
    let scriptLines = session.script.split(separator: "\n").count
    header += ", script of \(plural(scriptLines, "statement"))"
    guard !listing.entries.isEmpty else { return header }
    var rows = [["Name", "Type", "Shape", "Bytes", "Summary"]]
    for entry in listing.entries {
        rows.append([entry.name, entry.typeName, entry.shape.map(describeShape) ?? "", String(entry.bytes), entry.summary])
    }
    var widths = [Int](repeating: 0, count: 5)
    for row in rows {
        for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    let lines = rows.map { row in
        row.enumerated().map { column, cell in
            switch column {
            case 4: cell
            case 3: String(repeating: " ", count: widths[3] - cell.count) + cell
            default: cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
        }.joined(separator: "  ")
    }
    return ([header] + lines).joined(separator: "\n")
}

/// `help workspace`.
private let workspaceTopic = HelpTopic(name: "workspace", summary: "HDF5 files holding variables and the script that made them.",
                                       text: """
    workspace: an HDF5 file (.h5) holding session variables, the seed and the statements that made
    them. save "w.h5" saves every variable (save "w.h5" a, b only those); load "w.h5" reads every
    variable into the session (load "w.h5" a, b only those), replacing variables of the same names;
    a bad file leaves the session as it was. workspace "w.h5" lists a file without loading it;
    replay "w.h5" re-runs its script in a fresh session and checks that every variable comes back
    bit for bit. The files are plain HDF5 that h5py, HDFView and MATLAB read: each variable is a
    group /variables/<name> with a 'type' attribute (number, string, bool, none, list, tensor,
    record, dataset, model, score_result, dataset_scores, metric_table, threshold); model
    parameters are datasets named by their PyTorch state_dict keys. Layout: docs/workspace-format.md.
    """, isType: false)
