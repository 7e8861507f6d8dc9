// The header parser's own line splitting and blank trimming (byte-level, no NSString) against the
// Character-level split and Foundation's CharacterSet.whitespaces trimming they replace.
import Foundation
import Testing
@testable import Formats

@Suite("WFDB header lines and trimming")
struct WFDBHeaderLinesTests {
    @Test("LF, CRLF and lone CR end lines exactly as a Character split does", arguments: [
        "", "a", "a\n", "a\r\nb", "a\rb\r", "a\n\rb", "a\r\r\nb\n\n", "\r\n\r\n", "é\u{301}\r\nx\u{301}\ny",
    ])
    func lines(_ text: String) throws {
        let expected = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        #expect(WFDBHeader.lines(of: text) == expected)
    }

    @Test("comments and descriptions are trimmed of the characters Foundation's whitespace set holds")
    func trimming() throws {
        let header = try WFDBHeader.parse("r 1 500 10\nr.dat 16 200 12 0 0 0 0 \t lead\u{00A0}II \u{3000}\n#\u{2003} Dx: 1 \t\n", file: "r.hea")
        #expect(header.signals[0].description == " \t lead\u{00A0}II \u{3000}".trimmingCharacters(in: .whitespaces))
        #expect(header.signals[0].description == "lead\u{00A0}II")
        #expect(header.comments == ["Dx: 1"])
    }
}
