// Bessel I0, Kaiser window, firwin and resample_poly against SciPy fixtures.
import Testing
@testable import Signal

@Suite struct ResamplingTests {
    @Test func besselI0MatchesSciPySpecial() throws {
        let fixture = try SignalFixtures.json("resample.json").object("i0")
        expectClose(try fixture.doubles("x").map(besselI0), try fixture.doubles("y"), rtol: 1e-15, "i0")
    }

    @Test func kaiserWindowAndFirwinMatchSciPy() throws {
        let fixture = try SignalFixtures.json("resample.json")
        let kaiser = try fixture.object("kaiser")
        expectClose(Resampling.kaiserWindow(count: Int(try kaiser.number("count")), beta: try kaiser.number("beta")),
                    try kaiser.doubles("window"), rtol: 1e-14, atol: 1e-16, "kaiser(101, 5)")
        let designs = try fixture.objects("firwin")
        #expect(designs.count == 4)
        for entry in designs {
            let taps = try Resampling.firwin(tapCount: Int(try entry.number("numtaps")), cutoff: try entry.number("cutoff"), kaiserBeta: 5)
            expectClose(taps, try entry.doubles("taps"), rtol: 1e-13, atol: 1e-16, "firwin(\(try entry.number("numtaps")), \(try entry.number("cutoff")))")
        }
        #expect(throws: SignalError.self) { try Resampling.firwin(tapCount: 11, cutoff: 1.0, kaiserBeta: 5) }
    }

    @Test func resamplePolyMatchesSciPy() throws {
        let fixture = try SignalFixtures.json("resample.json")
        let x = try fixture.doubles("x")
        let cases = try fixture.objects("cases")
        #expect(cases.count == 8)
        for entry in cases {
            let up = Int(try entry.number("up")), down = Int(try entry.number("down"))
            let expected = try entry.doubles("y")
            let output = try Resampling.resamplePoly(x, up: up, down: down)
            #expect(output.count == expected.count, "resample_poly \(up)/\(down) length")
            // Outputs are O(1) sums of up to 20 * max(up, down) products: 1e-12 absolute covers the
            // different summation order of SciPy's polyphase loop.
            expectClose(output, expected, rtol: 1e-9, atol: 1e-12, "resample_poly \(up)/\(down)")
        }
        #expect(throws: SignalError.self) { try Resampling.resamplePoly(x, up: 0, down: 2) }
        // [L, T] form: each row resampled on its own; 360 Hz -> 500 Hz is up 25, down 18 after the gcd.
        let record = x + x.reversed()
        let both = try Resampling.resamplePoly(record: record, leads: 2, up: 500, down: 360)
        let first = try Resampling.resamplePoly(x, up: 500, down: 360)
        #expect(both.count == 2 * first.count && first.count == 334)
        #expect(Array(both[0..<first.count]) == first)
        #expect(Array(both[first.count...]) == (try Resampling.resamplePoly(Array(x.reversed()), up: 25, down: 18)))
    }
}
