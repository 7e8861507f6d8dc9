// Source text with a name, and the mapping from byte offsets to line and column.
// Offsets are UTF-8 byte offsets; columns count Unicode scalars, so carets line up on screen.

/// A half-open range of UTF-8 byte offsets `[start, end)` in one `Source`.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}

/// A 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One named piece of program text: a script file, a `-c` snippet or one REPL entry.
///
/// `firstLine` lets a REPL entry report the line number it had in the whole input
/// (piped stdin reports `<stdin>:17:3`, not `<stdin>:1:3`).
public final class Source: Sendable {
    /// The name shown in diagnostics, e.g. `prep.ecgs` or `<stdin>`.
    public let name: String
    /// The full text.
    public let text: String
    /// The text as UTF-8 bytes; all ranges index into this.
    public let bytes: [UInt8]
    /// The line number of the first line of `text`.
    public let firstLine: Int
    /// The file the text was read from, if any (`source` resolves relative paths against it).
    public let path: String?
    /// Byte offset where each line starts.
    private let lineStarts: [Int]

    public init(name: String, text: String, firstLine: Int = 1, path: String? = nil) {
        self.name = name
        self.path = path
        self.text = text
        self.firstLine = firstLine
        let bytes = Array(text.utf8)
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// Index into `lineStarts` of the line holding `offset`.
    private func lineIndex(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The line and column of a byte offset (columns count Unicode scalars from 1).
    public func location(of offset: Int) -> SourceLocation {
        let clamped = min(max(offset, 0), bytes.count)
        let index = lineIndex(of: clamped)
        var column = 1
        var position = lineStarts[index]
        while position < clamped {
            if bytes[position] & 0xC0 != 0x80 { column += 1 }
            position += 1
        }
        // A continuation byte at the line start does not begin a character.
        if lineStarts[index] < clamped, bytes[lineStarts[index]] & 0xC0 == 0x80 { column -= 1 }
        return SourceLocation(line: index + firstLine, column: column)
    }

    /// The text of the line holding `offset`, without its newline.
    public func lineText(containing offset: Int) -> String {
        let index = lineIndex(of: min(max(offset, 0), bytes.count))
        let start = lineStarts[index]
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The byte offset where the line holding `offset` ends (before its newline).
    public func lineEnd(containing offset: Int) -> Int {
        var end = min(max(offset, 0), bytes.count)
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return end
    }

    /// The text covered by a range.
    public func text(in range: SourceRange) -> String {
        let start = min(max(range.start, 0), bytes.count)
        let end = min(max(range.end, start), bytes.count)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
