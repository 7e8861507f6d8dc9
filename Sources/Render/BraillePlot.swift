// Terminal line plots drawn with braille characters (2 x 4 dots per cell), optionally in ANSI colour.

/// A grid of braille cells, each holding 2 x 4 dots, addressed in dots with (0, 0) at the top left.
///
/// Dot bits follow the Unicode braille block (U+2800 + bits): left column rows 0-2 are
/// 0x01, 0x02, 0x04 and row 3 is 0x40; right column rows 0-2 are 0x08, 0x10, 0x20 and row 3 is 0x80.
public struct BrailleCanvas: Sendable {
    public let columns: Int
    public let rows: Int
    private var bits: [UInt8]
    private var colours: [Int?]

    private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// A blank canvas of `columns` x `rows` cells (2 columns x 4 rows dots each).
    public init(columns: Int, rows: Int) {
        self.columns = max(columns, 1)
        self.rows = max(rows, 1)
        bits = Array(repeating: 0, count: self.columns * self.rows)
        colours = Array(repeating: nil, count: self.columns * self.rows)
    }

    /// Dots across and down.
    public var dotWidth: Int { columns * 2 }
    public var dotHeight: Int { rows * 4 }

    /// Sets the dot at (x, y); dots outside the canvas are ignored. `colour` indexes
    /// `BrailleCanvas.ansiColours`; the last colour set in a cell wins.
    public mutating func set(x: Int, y: Int, colour: Int? = nil) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let cell = (y / 4) * columns + x / 2
        bits[cell] |= Self.dotBits[x % 2][y % 4]
        if let colour { colours[cell] = colour }
    }

    /// Foreground SGR codes cycled through for series: red, green, yellow, blue, magenta, cyan.
    public static let ansiColours = [31, 32, 33, 34, 35, 36]

    /// The canvas as `rows` lines joined by "\n"; empty cells are U+2800 (blank braille) so lines
    /// keep their width. With `ansiColour` each coloured cell is wrapped in "ESC[<code>m ... ESC[0m".
    public func render(ansiColour: Bool = false) -> String {
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let cell = row * columns + column
                let character = Character(Unicode.Scalar(0x2800 + UInt32(bits[cell])) ?? " ")
                if ansiColour, bits[cell] != 0, let colour = colours[cell] {
                    let code = Self.ansiColours[colour % Self.ansiColours.count]
                    line += "\u{1B}[\(code)m\(character)\u{1B}[0m"
                } else {
                    line.append(character)
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// A braille line plot of one or more `series` (each [N_s]) on `width` x `height` cells.
///
/// Each series is stretched across the 2 width dot columns: dot column x shows the sample at index
/// round(x (N - 1) / (2 width - 1)). Values map linearly from `range` (default: the finite minimum
/// and maximum over all series) to dot rows, the top row being the maximum; rows are
/// round((v - lo) / (hi - lo) (4 height - 1)) from the bottom, clamped. Neighbouring columns are
/// joined by a vertical run so steep lines stay connected. NaN samples leave gaps. Series i gets
/// ANSI colour i when `ansiColour` is true (the caller decides whether the output is a terminal).
public func braillePlot(
    _ series: [[Double]], width: Int, height: Int, range: ClosedRange<Double>? = nil, ansiColour: Bool = false
) -> String {
    var canvas = BrailleCanvas(columns: width, rows: height)
    let finite = series.flatMap { $0.filter(\.isFinite) }
    guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else {
        return canvas.render()
    }
    let topRow = canvas.dotHeight - 1
    func row(_ value: Double) -> Int {
        let fraction = high > low ? (value - low) / (high - low) : 0.5
        let fromBottom = min(max(Int((fraction * Double(topRow)).rounded()), 0), topRow)
        return topRow - fromBottom
    }
    for (index, values) in series.enumerated() where !values.isEmpty {
        var previousRow: Int?
        for x in 0..<canvas.dotWidth {
            let sample = canvas.dotWidth > 1
                ? Int((Double(x) * Double(values.count - 1) / Double(canvas.dotWidth - 1)).rounded()) : 0
            let value = values[sample]
            guard value.isFinite else { previousRow = nil; continue }
            let y = row(value)
            canvas.set(x: x, y: y, colour: index)
            if let previousRow, abs(previousRow - y) > 1 {
                // Fill the rows strictly between the two samples, on this column.
                let step = previousRow < y ? 1 : -1
                var fill = previousRow + step
                while fill != y { canvas.set(x: x, y: fill, colour: index); fill += step }
            }
            previousRow = y
        }
    }
    return canvas.render(ansiColour: ansiColour)
}
