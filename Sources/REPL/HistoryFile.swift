// HistoryFile: the REPL's history across sessions, a plain UTF-8 file with one entry per
// line, appended with O_APPEND as each entry is accepted (never rewritten, so concurrent
// sessions cannot clobber each other). Newlines and backslashes in entries are escaped.
import Foundation

/// The append-only history file.
public struct HistoryFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `$ECGS_HISTORY`, else `$XDG_STATE_HOME/ecgs/history`, else `~/.local/state/ecgs/history`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["ECGS_HISTORY"], !explicit.isEmpty { return explicit }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/ecgs/history" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/ecgs/history"
    }

    /// `a\nb` stored as `a\\nb`; a literal backslash as `\\\\`.
    public static func escape(_ entry: String) -> String {
        entry.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// The inverse of `escape`.
    public static func unescape(_ line: String) -> String {
        var result = ""
        var escaping = false
        for character in line {
            if escaping {
                result.append(character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The last `limit` entries, oldest first; empty when the file does not exist.
    public func load(limit: Int = 1000) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(limit).map { Self.unescape(String($0)) }
    }

    /// Appends one entry in a single `write` (creating the folder and file as needed).
    /// History is a convenience: failures are ignored rather than interrupting the session.
    public func append(_ entry: String) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array((Self.escape(entry) + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
