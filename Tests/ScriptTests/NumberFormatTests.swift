// How numbers print (see formatNumber): a table of values and their text.
import Script
import Testing

private let cases: [(Double, String)] = [
    (12, "12"), (-3, "-3"), (0, "0"), (-0.0, "0"), (5000, "5000"), (0.1, "0.1"), (0.25, "0.25"),
    (1.0 / 3.0, "0.3333333"), (2.0 / 3.0, "0.6666667"), (3.14159265, "3.141593"), (5e-4, "5e-4"),
    (1.2345678e-5, "1.234568e-5"), (0.001, "0.001"), (1234567.5, "1234568"), (1.5e9 + 0.5, "1.5e9"),
    (1e20, "1e20"), (-2.5e-7, "-2.5e-7"), (123456789, "123456789"), (.infinity, "inf"),
    (-.infinity, "-inf"), (.nan, "nan"), (0.1 + 0.2, "0.3"),
]

@Test("number format", arguments: cases.indices)
func numberFormat(_ index: Int) {
    let (value, text) = cases[index]
    #expect(formatNumber(value) == text)
}

@Test func printedNumbersParseBackToSevenDigits() {
    for value in [0.123456789, 5.5e-9, 98765.4321, 7.25e12] {
        let parsed = Double(formatNumber(value)) ?? .nan
        #expect(abs(parsed - value) <= abs(value) * 1e-6, "\(value) -> \(formatNumber(value))")
    }
}
