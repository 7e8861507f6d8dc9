// Workspace: saving variables and their session to one HDF5 file atomically, loading all or
// some of them back, and listing a file's contents without loading the data.
import Foundation
import Formats

/// A workspace file read back: the variables in file (or requested) order and the session.
public struct LoadedWorkspace: Sendable {
    public var variables: [(name: String, value: WorkspaceValue)]
    public var session: SessionInfo
    /// The `format_version` the file was written with.
    public var formatVersion: WorkspaceFormatVersion

    public init(variables: [(name: String, value: WorkspaceValue)], session: SessionInfo,
                formatVersion: WorkspaceFormatVersion) {
        self.variables = variables
        self.session = session
        self.formatVersion = formatVersion
    }
}

/// One variable as `Workspace.contents(of:)` lists it.
public struct WorkspaceEntry: Sendable, Equatable {
    public var name: String
    /// The stored `type` attribute ("tensor", "record", "list", ...).
    public var typeName: String
    public var shape: [Int]?
    public var summary: String
    /// Size of the data once loaded, in bytes.
    public var bytes: Int

    public init(name: String, typeName: String, shape: [Int]?, summary: String, bytes: Int) {
        self.name = name
        self.typeName = typeName
        self.shape = shape
        self.summary = summary
        self.bytes = bytes
    }
}

/// A workspace's table of contents.
public struct WorkspaceListing: Sendable {
    public var entries: [WorkspaceEntry]
    public var session: SessionInfo
    public var formatVersion: WorkspaceFormatVersion

    public init(entries: [WorkspaceEntry], session: SessionInfo, formatVersion: WorkspaceFormatVersion) {
        self.entries = entries
        self.session = session
        self.formatVersion = formatVersion
    }
}

/// Reading and writing workspace files (layout: docs/workspace-format.md).
public enum Workspace {
    /// Writes `variables` and `session` to `url` atomically: a temporary file in the same
    /// folder is filled, closed, fsync'ed and renamed over `url`, so a failure or a crash
    /// leaves an existing file untouched.
    ///
    /// Layout: root attributes `format`, `format_version`, `ecgs_version`, `created_utc`,
    /// `seed` (when set); `/session/script`, `/session/ecgs_build`; one group per variable
    /// under `/variables/<name>` in the given order. Names must be non-empty, unique, without
    /// "/" or NUL, and not "." or "..". Equal inputs give byte-identical files.
    public static func save(_ variables: [(name: String, value: WorkspaceValue)], session: SessionInfo,
                            to url: URL) throws {
        try validate(variables.map(\.name), session: session, file: url.path)
        do {
            try HDF5File.saveAtomically(to: url) { root in
                try root.setAttribute(WorkspaceFormat.formatAttribute, .string(WorkspaceFormat.name))
                try root.setAttribute(WorkspaceFormat.versionAttribute, .string(WorkspaceFormat.version.description))
                try root.setAttribute(WorkspaceFormat.ecgsVersionAttribute, .string(session.ecgsVersion))
                try root.setAttribute(WorkspaceFormat.createdAttribute, .string(session.createdUTC))
                if let seed = session.seed {
                    try root.setAttribute(WorkspaceFormat.seedAttribute, .int64(seed))
                }
                let sessionGroup = try root.createGroup(WorkspaceFormat.sessionGroup)
                try sessionGroup.writeString(WorkspaceFormat.scriptDataset, session.script)
                try sessionGroup.writeString(WorkspaceFormat.buildDataset, session.ecgsBuild)
                let group = try root.createGroup(WorkspaceFormat.variablesGroup)
                for (name, value) in variables {
                    try value.encode(into: try group.createGroup(name))
                }
            }
        } catch var error as WorkspaceError {
            // Errors raised inside the writer name the temporary file; report the target.
            error.file = url.path
            throw error
        } catch var error as HDF5Error {
            error.fileName = url.path
            throw WorkspaceError(error)
        }
    }

    /// Reads the workspace at `url`: every variable, or only `names` (in that order).
    ///
    /// Refuses, with a `WorkspaceError` and without returning anything partial: missing,
    /// empty, truncated and non-HDF5 files (`.storage`), HDF5 files without
    /// `format = "ecgs-workspace"` (`.notWorkspace`), a newer major `format_version`
    /// (`.newerFormat`), names the file does not hold (`.unknownVariable`, listing what it
    /// holds), a variable whose `type` is not in `registry` (`.unknownType`) and layout
    /// errors (`.malformed`).
    public static func load(from url: URL, names: [String]? = nil,
                            registry: WorkspaceRegistry = .standard) throws -> LoadedWorkspace {
        try reading(url) { version, session, group in
            let stored = try group.childNames()
            var selected = stored
            if let names {
                let missing = names.filter { !stored.contains($0) }
                guard missing.isEmpty else {
                    let holds = stored.isEmpty ? "it holds no variables" : "it holds \(stored.joined(separator: ", "))"
                    let quoted = missing.map { "'\($0)'" }.joined(separator: ", ")
                    throw WorkspaceError(.unknownVariable, file: url.path,
                                         "no variable\(missing.count == 1 ? "" : "s") \(quoted) in this workspace; \(holds)")
                }
                selected = names.enumerated().filter { names.firstIndex(of: $0.element) == $0.offset }.map(\.element)
            }
            let variables = try selected.map { name in
                (name: name, value: try WorkspaceValue.decode(from: try group.openGroup(name), registry: registry))
            }
            return LoadedWorkspace(variables: variables, session: session, formatVersion: version)
        }
    }

    /// Lists the variables of the workspace at `url` (name, type, shape, summary, size) and
    /// its session, reading metadata and small scalars only. A variable of a type not in
    /// `registry`, or a damaged one, is listed with a summary saying so rather than refused;
    /// file-level problems (not HDF5, not a workspace, newer format) throw as in `load`.
    public static func contents(of url: URL, registry: WorkspaceRegistry = .standard) throws -> WorkspaceListing {
        try reading(url) { version, session, group in
            let entries = try group.childNames().map { name in
                try entry(name, in: group, registry: registry)
            }
            return WorkspaceListing(entries: entries, session: session, formatVersion: version)
        }
    }

    /// Opens the workspace at `url`, checks its header (`readHeader`) and runs `body` on the format
    /// version, the session and the variables group, closing the file afterwards; HDF5 errors become
    /// `WorkspaceError`s.
    private static func reading<T>(_ url: URL,
                                   _ body: (WorkspaceFormatVersion, SessionInfo, HDF5Group) throws -> T) throws -> T {
        try WorkspaceError.wrapping {
            let file = try HDF5File.open(at: url)
            defer { try? file.close() }
            let root = try file.root()
            let (version, session) = try readHeader(root)
            return try body(version, session, try variablesGroup(root))
        }
    }

    /// One listing row; a variable of an unknown type, or a damaged one, is listed with a
    /// summary saying so, because a listing is where people look to find out.
    private static func entry(_ name: String, in group: HDF5Group, registry: WorkspaceRegistry) throws -> WorkspaceEntry {
        let path = group.path + "/" + name
        let child = try group.openGroup(name)
        let typeName = (try? WorkspaceValue.storedType(of: child)) ?? "?"
        do {
            let (typeName, details) = try WorkspaceValue.describe(child, registry: registry)
            return WorkspaceEntry(name: name, typeName: typeName, shape: details.shape,
                                  summary: details.summary, bytes: details.bytes)
        } catch let error as WorkspaceError where error.kind == .unknownType {
            let summary = error.objectPath == path
                ? "type '\(typeName)' unknown to this ecgs"
                : "holds a value of a type unknown to this ecgs at \(error.objectPath ?? path)"
            return WorkspaceEntry(name: name, typeName: typeName, shape: nil, summary: summary, bytes: 0)
        } catch let error as WorkspaceError where error.kind == .malformed {
            let place = error.objectPath.map { $0 == path ? "" : "\($0): " } ?? ""
            return WorkspaceEntry(name: name, typeName: typeName, shape: nil,
                                  summary: "damaged: \(place)\(error.message)", bytes: 0)
        }
    }

    // MARK: Header

    /// Checks `format` and `format_version` and reads the session.
    static func readHeader(_ root: HDF5Group) throws -> (WorkspaceFormatVersion, SessionInfo) {
        let file = root.file.path
        guard try root.hasAttribute(WorkspaceFormat.formatAttribute) else {
            throw WorkspaceError(.notWorkspace, file: file, "not an ecgs workspace: the file has no "
                                 + "'\(WorkspaceFormat.formatAttribute)' attribute (written by another program?)")
        }
        let format = try root.attribute(WorkspaceFormat.formatAttribute)
        guard format == .string(WorkspaceFormat.name) else {
            throw WorkspaceError(.notWorkspace, file: file, "not an ecgs workspace: its "
                                 + "'\(WorkspaceFormat.formatAttribute)' attribute is \(shown(format)), "
                                 + "expected '\(WorkspaceFormat.name)'")
        }
        guard try root.hasAttribute(WorkspaceFormat.versionAttribute),
              case .string(let versionText) = try root.attribute(WorkspaceFormat.versionAttribute) else {
            throw WorkspaceError(.malformed, file: file,
                                 "the workspace has no string attribute '\(WorkspaceFormat.versionAttribute)'")
        }
        let current = WorkspaceFormat.version
        guard let version = WorkspaceFormatVersion(versionText) else {
            throw WorkspaceError(.malformed, file: file, "'\(WorkspaceFormat.versionAttribute)' is '\(versionText)', "
                                 + "expected major.minor such as '\(current)'")
        }
        if version.major > current.major {
            throw WorkspaceError(.newerFormat, file: file, "written by a newer ecgs (format \(version)); "
                                 + "this ecgs reads \(current.major).x")
        }
        if version.major < current.major {
            throw WorkspaceError(.malformed, file: file, "format \(version) is not a released workspace format; "
                                 + "this ecgs reads \(current.major).x")
        }
        let seed: Int64?
        switch try root.hasAttribute(WorkspaceFormat.seedAttribute) ? try root.attribute(WorkspaceFormat.seedAttribute) : nil {
        case nil: seed = nil
        case .int64(let value)?: seed = value
        case let other?:
            throw WorkspaceError(.malformed, file: file,
                                 "'\(WorkspaceFormat.seedAttribute)' must be a scalar int64, found \(shown(other))")
        }
        let sessionGroup = try root.kind(of: WorkspaceFormat.sessionGroup) == .group
            ? try root.openGroup(WorkspaceFormat.sessionGroup) : nil
        func sessionText(_ name: String) throws -> String {
            guard let sessionGroup, try sessionGroup.exists(name) else { return "" }
            return try sessionGroup.readString(name)
        }
        let session = SessionInfo(script: try sessionText(WorkspaceFormat.scriptDataset),
                                  ecgsVersion: try root.workspaceString(WorkspaceFormat.ecgsVersionAttribute),
                                  ecgsBuild: try sessionText(WorkspaceFormat.buildDataset), seed: seed,
                                  createdUTC: try root.workspaceString(WorkspaceFormat.createdAttribute))
        return (version, session)
    }

    private static func variablesGroup(_ root: HDF5Group) throws -> HDF5Group {
        guard try root.kind(of: WorkspaceFormat.variablesGroup) == .group else {
            throw WorkspaceError(.malformed, file: root.file.path,
                                 "the workspace has no '/\(WorkspaceFormat.variablesGroup)' group")
        }
        return try root.openGroup(WorkspaceFormat.variablesGroup)
    }

    private static func shown(_ value: HDF5AttributeValue) -> String {
        switch value {
        case .string(let text): "'\(text)'"
        case .strings(let texts): "a string array \(texts)"
        case .double(let number): "the number \(number)"
        case .doubles(let numbers): "a number array \(numbers)"
        case .int64(let number): "the integer \(number)"
        case .int64s(let numbers): "an integer array \(numbers)"
        }
    }

    // MARK: Names

    /// Refuses names HDF5 cannot hold as a link and duplicates, before anything is written.
    static func validate(_ names: [String], session: SessionInfo, file: String) throws {
        var seen = Set<String>()
        for name in names {
            guard !name.isEmpty, !name.contains("/"), !name.utf8.contains(0), name != ".", name != ".." else {
                throw WorkspaceError(.invalidVariable, file: file, "cannot save a variable named '\(name)': "
                                     + "names must be non-empty, without '/' or NUL, and not '.' or '..'")
            }
            guard seen.insert(name).inserted else {
                throw WorkspaceError(.invalidVariable, file: file, "the variable '\(name)' is given twice")
            }
        }
        for (label, text) in [("script", session.script), ("ecgs build", session.ecgsBuild),
                              ("ecgs version", session.ecgsVersion), ("creation time", session.createdUTC)]
        where text.utf8.contains(0) {
            throw WorkspaceError(.invalidVariable, file: file, "the session \(label) contains a NUL character")
        }
    }
}
