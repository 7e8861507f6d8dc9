// Number formatting for tables, axis labels and compact SVG/JSON output.

import Foundation

/// Number formatting shared by text tables, axis labels, SVG coordinates and embedded JSON.
public enum NumberFormatting {
    /// `value` with at most `significantDigits` significant digits, like C's `%.<n>g`
    /// ("0.1235", "1.235e+05"); NaN and infinities as "nan", "inf", "-inf".
    public static func significant(_ value: Double, digits significantDigits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(max(significantDigits, 1))g", value)
    }

    /// `value` with exactly `digits` decimals ("3.14"), NaN and infinities as in `significant`.
    public static func fixed(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(max(digits, 0))f", value)
    }

    /// `value` with at most `maximumDecimals` decimals and no trailing zeros ("12", "0.5", "-3.25"):
    /// the compact form for SVG coordinates and tick labels. Never "-0".
    public static func compact(_ value: Double, maximumDecimals: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        var text = String(format: "%.\(max(maximumDecimals, 0))f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A tick label for `value` on an axis whose ticks are `step` apart: just enough decimals
    /// to tell neighbouring ticks apart (step 0.25 -> 2 decimals, step 5 -> 0).
    public static func tickLabel(_ value: Double, step: Double) -> String {
        guard step > 0, step.isFinite else { return compact(value) }
        let decimals = max(0, Int((-log10(step)).rounded(.up) + 0.5))
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-4) {
            return significant(value, digits: 3)
        }
        return compact(value, maximumDecimals: min(decimals + 1, 10))
    }
}
