// Text tables, number formatting, sparklines and braille plots against hand-worked expected strings.

import Testing
@testable import Render

@Suite struct TextRenderingTests {
    @Test func tableAlignsColumnsUnderHeader() {
        var table = TextTable(columns: [.init("name"), .init("kind", alignment: .center), .init("size", alignment: .right)])
        table.append(["x", "Tensor", "12"])
        table.append(["scores", "Array", "1200"])
        #expect(table.render() == """
            name     kind   size
            ------  ------  ----
            x       Tensor    12
            scores  Array   1200
            """)
    }

    @Test func numberFormatting() {
        #expect(NumberFormatting.significant(0.123456) == "0.1235")
        #expect(NumberFormatting.significant(123456.0) == "1.235e+05")
        #expect(NumberFormatting.fixed(3.14159, digits: 2) == "3.14")
        #expect(NumberFormatting.compact(12.0) == "12")
        #expect(NumberFormatting.compact(0.5) == "0.5")
        #expect(NumberFormatting.compact(-0.001) == "0")
        #expect(NumberFormatting.compact(-3.256) == "-3.26")
        #expect(NumberFormatting.tickLabel(0.6000000000000001, step: 0.2) == "0.6")
        #expect(NumberFormatting.significant(.nan) == "nan")
    }

    @Test func sparklineOfKnownSeries() {
        #expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        // 16 values averaged in pairs: 0.5, 2.5, ..., 14.5 -> one level each.
        #expect(sparkline((0..<16).map(Double.init), width: 8) == "▁▂▃▄▅▆▇█")
        #expect(sparkline([0, 7, 14, 21], range: 0...14) == "▁▅██")
        #expect(sparkline([0, .nan, 7]) == "▁ █")
        #expect(sparkline([3, 3, 3]) == "▁▁▁")
        #expect(sparkline([]) == "")
    }

    @Test func brailleDiagonal() {
        // 8 x 8 dots; sample x sits at row 7 - x (top row 0). Bottom cells: dots (0,7)=0x40 and
        // (1,6)=0x20 -> U+2860, (2,5)=0x02 and (3,4)=0x08 -> U+280A; the top cells mirror that.
        let plot = braillePlot([[0, 1, 2, 3, 4, 5, 6, 7]], width: 4, height: 2)
        #expect(plot == "\u{2800}\u{2800}⡠⠊\n⡠⠊\u{2800}\u{2800}")
    }

    @Test func brailleJoinsSteepStepsAndColoursSeries() {
        // A step from the bottom to the top row between the two columns of one cell fills rows 1...6.
        let plot = braillePlot([[0, 0, 1, 1]], width: 2, height: 1, range: 0...1)
        // Dots: x0,x1 at y3 (0x40, 0x80); x2 at y0 plus fill y2,y1 (0x01 0x02 0x04); x3 at y0 (0x08).
        #expect(plot == "⣀⠏")
        let coloured = braillePlot([[0, 1], [1, 0]], width: 1, height: 1, ansiColour: true)
        #expect(coloured.hasPrefix("\u{1B}[32m") && coloured.hasSuffix("\u{1B}[0m"))
        #expect(!braillePlot([[0, 1]], width: 1, height: 1).contains("\u{1B}"))
    }
}
