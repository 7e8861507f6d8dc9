// Aligned plain-text tables with a header rule, for `whos`, metric tables and training history.

/// A plain-text table: a header row, a rule of dashes, then the rows, each column padded to its
/// widest cell and aligned as asked. Widths count Unicode characters (grapheme clusters).
///
///     name    kind    size
///     ------  ------  ----
///     x       Tensor    12
public struct TextTable: Sendable {
    /// How a column's cells sit in its width.
    public enum Alignment: Sendable { case left, right, center }

    /// A column: its header title and alignment.
    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]]
    /// The text between columns.
    public var separator: String

    public init(columns: [Column], rows: [[String]] = [], separator: String = "  ") {
        self.columns = columns
        self.rows = rows
        self.separator = separator
    }

    /// Appends a row; missing cells are empty and extra cells are dropped.
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as lines joined by "\n" (no trailing newline); trailing spaces are trimmed.
    public func render() -> String {
        let cells = rows.map { row in columns.indices.map { $0 < row.count ? row[$0] : "" } }
        let widths = columns.indices.map { column in
            cells.reduce(columns[column].title.count) { max($0, $1[column].count) }
        }
        func line(_ values: [String]) -> String {
            let padded = values.indices.map { pad(values[$0], to: widths[$0], alignment: columns[$0].alignment) }
            return trimTrailingSpaces(padded.joined(separator: separator))
        }
        var lines = [line(columns.map(\.title)), line(widths.map { String(repeating: "-", count: $0) })]
        lines += cells.map(line)
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, to width: Int, alignment: Alignment) -> String {
        let space = max(width - text.count, 0)
        switch alignment {
        case .left: return text + String(repeating: " ", count: space)
        case .right: return String(repeating: " ", count: space) + text
        case .center:
            let left = space / 2
            return String(repeating: " ", count: left) + text + String(repeating: " ", count: space - left)
        }
    }

    private func trimTrailingSpaces(_ text: String) -> String {
        var result = text
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
