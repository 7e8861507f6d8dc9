// How numbers print: integral values without ".0", others with 7 significant digits,
// scientific notation outside [1e-3, 1e7) written the way it is typed (`5e-4`, `1.5e9`).
import Foundation

/// Formats a number the way the REPL prints it.
///
/// - Integral values below 1e16 in magnitude: plain digits (`12`, `-3`, `5000`).
/// - Otherwise up to 7 significant digits with trailing zeros dropped: `0.1`, `3.141593`.
/// - Magnitudes below 1e-3 or from 1e7 (non-integral or above 1e16) use an exponent
///   without `+` or leading zeros: `5e-4`, `1.234568e-5`, `1e20`.
/// - `inf`, `-inf`, `nan`.
///
/// The printed text parses back to the same number up to the 7th significant digit.
public func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if value == value.rounded(), magnitude < 1e16 { return String(Int64(value)) }
    if magnitude >= 1e-3, magnitude < 1e7 {
        return trimZeros(String(format: "%.*g", 7, value))
    }
    let text = String(format: "%.6e", value)
    guard let e = text.firstIndex(of: "e") else { return text }
    let mantissa = trimZeros(String(text[..<e]))
    var exponent = String(text[text.index(after: e)...])
    var sign = ""
    if exponent.hasPrefix("-") { sign = "-" }
    exponent = String(exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" })
    return mantissa + "e" + sign + (exponent.isEmpty ? "0" : exponent)
}

/// "1.500000" → "1.5", "2.000" → "2"; leaves text without a decimal point alone.
private func trimZeros(_ text: String) -> String {
    guard text.contains("."), !text.contains("e") else { return text }
    var result = Substring(text)
    while result.hasSuffix("0") { result = result.dropLast() }
    if result.hasSuffix(".") { result = result.dropLast() }
    return String(result)
}
