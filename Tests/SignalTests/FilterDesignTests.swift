// Butterworth (ba and sos) and notch designs against scipy.signal.butter / iirnotch fixtures.
import Testing
@testable import Signal

@Suite struct FilterDesignTests {
    @Test func butterworthMatchesSciPy() throws {
        let fixture = try SignalFixtures.json("design.json")
        let cases = try fixture.objects("butter")
        #expect(cases.count == 22)
        for entry in cases {
            let order = Int(try entry.number("order"))
            let typeName = try #require(entry["type"] as? String)
            let type = try #require(BandType(rawValue: typeName))
            let cutoffs = try entry.doubles("cutoffs")
            let rate = (entry["fs"] as? Double)
            let label = "butter(\(order), \(cutoffs), \(type), fs=\(rate.map { "\($0)" } ?? "None"))"
            let ba = try Butterworth.transferFunction(order: order, cutoffs: cutoffs, type: type, samplingRate: rate)
            // Bit for bit: the same zeros/poles arithmetic, pairing and convolution order as SciPy.
            expectClose(ba.numerator, try entry.doubles("b"), rtol: 0, atol: 0, "\(label) b")
            expectClose(ba.denominator, try entry.doubles("a"), rtol: 0, atol: 0, "\(label) a")
            let sos = try Butterworth.secondOrderSections(order: order, cutoffs: cutoffs, type: type, samplingRate: rate)
            let expectedSections = try entry.rows("sos")
            #expect(sos.count == expectedSections.count, "\(label) section count")
            expectClose(sos.sections.flatMap { $0 }, expectedSections.flatMap { $0 }, rtol: 0, atol: 0, "\(label) sos")
        }
    }

    @Test func notchMatchesSciPy() throws {
        for entry in try SignalFixtures.json("design.json").objects("iirnotch") {
            let notch = try Notch.design(frequency: try entry.number("frequency"), quality: try entry.number("quality"),
                                         samplingRate: try entry.number("fs"))
            expectClose(notch.numerator, try entry.doubles("b"), rtol: 0, atol: 0, "iirnotch b (bitwise)")
            expectClose(notch.denominator, try entry.doubles("a"), rtol: 0, atol: 0, "iirnotch a (bitwise)")
        }
    }

    @Test func badDesignsThrow() {
        #expect(throws: SignalError.self) { try Butterworth.design(order: 0, cutoffs: [0.2], type: .lowpass) }
        #expect(throws: SignalError.self) { try Butterworth.design(order: 2, cutoffs: [1.2], type: .lowpass) }
        #expect(throws: SignalError.self) { try Butterworth.design(order: 2, cutoffs: [300], type: .lowpass, samplingRate: 500) }
        #expect(throws: SignalError.self) { try Butterworth.design(order: 2, cutoffs: [0.4, 0.2], type: .bandpass) }
        #expect(throws: SignalError.self) { try Butterworth.design(order: 2, cutoffs: [0.4], type: .bandstop) }
        #expect(throws: SignalError.self) { try Notch.design(frequency: 300, quality: 30, samplingRate: 500) }
    }

    @Test func analogPrototypePolesLieOnTheLeftUnitHalfCircle() {
        let prototype = Butterworth.analogPrototype(order: 5)
        #expect(prototype.poles.count == 5)
        for pole in prototype.poles {
            #expect(abs(pole.magnitude - 1) < 1e-15)
            #expect(pole.real < 0)
        }
    }
}
