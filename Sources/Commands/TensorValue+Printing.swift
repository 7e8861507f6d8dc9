// `show t`: NumPy-like multi-line printing of a tensor — nested aligned brackets, one number
// format for all shown elements, `...` elision of large tensors, rows wrapped at 75 columns.
import Foundation
import Script
import TensorCore

extension TensorValue {
    /// The tensor laid out as `numpy.array2string(t, separator=", ")` does, with these rules:
    ///
    /// - Tensors with more than `TensorPrinter.threshold` (1000) elements are elided: each
    ///   axis longer than 2 × 3 shows its first and last 3 entries around `...`.
    /// - All shown elements share one format, chosen from the shown finite values:
    ///   whole numbers below 1e6 print as integers (`-3`); largest magnitudes from 1e-4 to
    ///   below 1e6 print in fixed point with the largest given 5 significant digits, and as many
    ///   decimals as the most precise value needs (trailing zeros common to all dropped, at least 1);
    ///   otherwise scientific (`1.2346e-05`). `nan`, `inf` and `-inf` print as such.
    /// - Elements are right-aligned to one width; rows of the last axis wrap at 75 columns;
    ///   blocks of higher axes are separated by one blank line per axis beyond the second.
    /// - A 0-d tensor prints its value alone; a tensor without elements prints `[]`.
    public func show() -> String { TensorPrinter(tensor).render() }
}

/// Renders one tensor; see `TensorValue.show()` for the rules.
struct TensorPrinter {
    /// Element count above which axes are elided (`numpy` threshold).
    static let threshold = 1000
    /// Entries shown at each end of an elided axis (`numpy` edgeitems).
    static let edgeItems = 3
    /// Column at which rows wrap (`numpy` linewidth).
    static let lineWidth = 75
    /// Significant digits of the largest magnitude in fixed-point and scientific formats.
    static let significantDigits = 5

    private let tensor: Tensor
    private let summarise: Bool

    init(_ tensor: Tensor) {
        self.tensor = tensor
        self.summarise = tensor.count > TensorPrinter.threshold
    }

    func render() -> String {
        if tensor.count == 0 { return "[]" }
        let shown = shownElements()
        let format = NumberStyle(values: shown)
        if tensor.rank == 0 { return format.text(shown[0]) }
        let texts = shown.map(format.text)
        let width = texts.map(\.count).max() ?? 0
        var padded = texts.map { String(repeating: " ", count: width - $0.count) + $0 }[...]
        return block(axis: 0, elements: &padded)
    }

    /// The positions shown along `axis`, with nil where `...` stands.
    private func positions(alongAxis axis: Int) -> [Int?] {
        let size = tensor.shape[axis]
        let edge = TensorPrinter.edgeItems
        guard summarise, size > 2 * edge else { return Array(0..<size) }
        return Array(0..<edge) + [nil] + Array(size - edge..<size)
    }

    /// The shown elements in the order `block` consumes them (C order, skipping elided ones).
    private func shownElements() -> [Float] {
        let axes = (0..<tensor.rank).map { positions(alongAxis: $0).compactMap { $0 } }
        var result: [Float] = []
        let base = tensor.storage.pointer
        func walk(_ axis: Int, _ offset: Int) {
            if axis == tensor.rank {
                result.append(base[offset])
                return
            }
            for position in axes[axis] { walk(axis + 1, offset + position * tensor.strides[axis]) }
        }
        withExtendedLifetime(tensor) { walk(0, tensor.offset) }
        return result
    }

    /// One bracketed block of `axis`, taking its formatted elements from the front of `elements`.
    private func block(axis: Int, elements: inout ArraySlice<String>) -> String {
        let shown = positions(alongAxis: axis)
        if axis == tensor.rank - 1 {
            let items = shown.map { position -> String in
                guard position != nil, let text = elements.popFirst() else { return "..." }
                return text
            }
            return wrappedRow(items, column: axis)
        }
        let children = shown.map { position -> String in
            position == nil ? "..." : block(axis: axis + 1, elements: &elements)
        }
        let separator = "," + String(repeating: "\n", count: tensor.rank - axis - 1)
            + String(repeating: " ", count: axis + 1)
        return "[" + children.joined(separator: separator) + "]"
    }

    /// `[a, b, c]` starting at `column`, broken before an item that would pass `lineWidth`;
    /// continuation lines align with the first item.
    private func wrappedRow(_ items: [String], column: Int) -> String {
        let indent = String(repeating: " ", count: column + 1)
        var lines: [String] = []
        var line = "["
        var lineStart = column
        for (position, item) in items.enumerated() {
            let piece = item + (position == items.count - 1 ? "]" : ",")
            if line != "[", lineStart + line.count + 1 + piece.count > TensorPrinter.lineWidth {
                lines.append(line)
                line = indent + piece
                lineStart = 0
            } else {
                line += (line == "[" ? "" : " ") + piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

/// The one number format shared by all shown elements of a tensor.
private enum NumberStyle {
    case integer
    case fixed(decimals: Int)
    case scientific(decimals: Int)

    init(values: [Float]) {
        let magnitudes = values.filter(\.isFinite).map { Swift.abs(Double($0)) }
        let largest = magnitudes.max() ?? 0
        let digits = TensorPrinter.significantDigits
        if magnitudes.allSatisfy({ $0 == $0.rounded() }), largest < 1e6 {
            self = .integer
        } else if largest >= 1e-4, largest < 1e6 {
            let most = max(1, digits - 1 - Int(Foundation.log10(largest).rounded(.down)))
            let needed = magnitudes.map { decimalsNeeded(String(format: "%.*f", most, $0)) }.max() ?? 1
            self = .fixed(decimals: max(1, needed))
        } else {
            let needed = magnitudes.map { magnitude -> Int in
                let text = String(format: "%.*e", digits - 1, magnitude)
                return decimalsNeeded(String(text.prefix { $0 != "e" }))
            }.max() ?? 1
            self = .scientific(decimals: max(1, needed))
        }
    }

    func text(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        switch self {
        case .integer: return String(Int64(value))
        case .fixed(let decimals): return String(format: "%.*f", decimals, Double(value))
        case .scientific(let decimals): return String(format: "%.*e", decimals, Double(value))
        }
    }
}

/// Digits after the point once trailing zeros are dropped: `"1.2500"` → 2, `"3.000"` → 0.
private func decimalsNeeded(_ text: String) -> Int {
    guard let point = text.firstIndex(of: ".") else { return 0 }
    return text[text.index(after: point)...].reversed().drop { $0 == "0" }.count
}
