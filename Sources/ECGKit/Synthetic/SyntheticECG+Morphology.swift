// Wave templates of a beat (P, Q, R, S, T and the ST segment) and how each injected
// anomaly changes them; fibrillatory waves and recording artifacts.
import Foundation

/// One Gaussian wave of the dipole, timed relative to the R peak.
struct WaveTemplate {
    var offset: Double
    var sigmaBefore: Double
    var sigmaAfter: Double
    var amplitude: Double
    var direction: HeartVector
}

/// The beat shapes for one record, fixed by its anomalies.
struct BeatMorphology {
    var pWave = WaveTemplate(offset: -0.16, sigmaBefore: 0.025, sigmaAfter: 0.025, amplitude: 0.15,
                             direction: .direction(0.6, 0.75, 0.2))
    var qrs = [
        WaveTemplate(offset: -0.025, sigmaBefore: 0.008, sigmaAfter: 0.008, amplitude: 0.12,
                     direction: .direction(-0.6, 0, 0.5)),
        WaveTemplate(offset: 0, sigmaBefore: 0.01, sigmaAfter: 0.01, amplitude: 1.3,
                     direction: .direction(0.7, 0.55, -0.3)),
        WaveTemplate(offset: 0.025, sigmaBefore: 0.01, sigmaAfter: 0.01, amplitude: 0.35,
                     direction: .direction(-0.3, -0.5, -0.6)),
    ]
    /// T-wave peak at `tOffsetAtOneSecond * sqrt(RR)` after R (Bazett).
    var tWave = WaveTemplate(offset: 0.28, sigmaBefore: 0.06, sigmaAfter: 0.04, amplitude: 0.35,
                             direction: .direction(0.6, 0.6, 0.4))
    /// ST-segment shift: amplitude along a direction, zero when normal.
    var stShift: (amplitude: Double, direction: HeartVector)?

    let prematureQRS = WaveTemplate(offset: 0, sigmaBefore: 0.035, sigmaAfter: 0.035, amplitude: 1.6,
                                    direction: .direction(-0.4, -0.5, 0.75))
    let prematureT = WaveTemplate(offset: 0.32, sigmaBefore: 0.07, sigmaAfter: 0.06, amplitude: 0.5,
                                  direction: .direction(0.4, 0.5, -0.75))

    init(anomalies: Set<SyntheticAnomaly>, stShift shift: Double) {
        if anomalies.contains(.tInversion) { tWave.amplitude = -tWave.amplitude }
        if anomalies.contains(.wideQRS) {
            for k in qrs.indices {
                qrs[k].sigmaBefore *= 2.2
                qrs[k].sigmaAfter *= 2.2
            }
            qrs[2].offset = 0.05
            qrs.append(WaveTemplate(offset: 0.075, sigmaBefore: 0.015, sigmaAfter: 0.015, amplitude: 0.6,
                                    direction: .direction(-0.5, 0, 0.85)))
        }
        // Scaled so that the lead that shows it best moves by exactly `shift` mV.
        if anomalies.contains(.stElevation) {
            let d = HeartVector.direction(0, -0.25, 1)
            stShift = (shift / LeadGeometry.project(d, onto: 7), d)          // V2 rises by `shift`
        } else if anomalies.contains(.stDepression) {
            let d = HeartVector.direction(0.6, 0.5, -0.2)
            stShift = (-shift / LeadGeometry.project(d, onto: 10), d)        // V5 falls by `shift`
        }
    }

    func add(beat: Beat, to trace: inout DipoleTrace) {
        if beat.isPremature {
            draw(prematureQRS, at: beat.time, into: &trace)
            var t = prematureT
            t.offset *= beat.rr.squareRoot()
            draw(t, at: beat.time, into: &trace)
            return
        }
        if beat.hasPWave { draw(pWave, at: beat.time, into: &trace) }
        for wave in qrs { draw(wave, at: beat.time, into: &trace) }
        var t = tWave
        t.offset *= beat.rr.squareRoot()
        draw(t, at: beat.time, into: &trace)
        if let st = stShift {
            trace.addPlateau(start: beat.time + 0.05, end: beat.time + t.offset - 0.06, edge: 0.012,
                             amplitude: st.amplitude, direction: st.direction)
        }
    }

    private func draw(_ wave: WaveTemplate, at rPeak: Double, into trace: inout DipoleTrace) {
        trace.addWave(center: rPeak + wave.offset, sigmaBefore: wave.sigmaBefore,
                      sigmaAfter: wave.sigmaAfter, amplitude: wave.amplitude, direction: wave.direction)
    }
}

/// Atrial fibrillatory waves: three close sinusoids around 5-7 Hz, strongest in V1 and the
/// inferior leads.
enum FibrillatoryWaves {
    static func add<R: RandomNumberGenerator>(to trace: inout DipoleTrace, using rng: inout R) {
        let direction = HeartVector.direction(0.1, 0.5, 0.85)
        let base = Double.random(in: 5...7, using: &rng)
        let components = (0..<3).map { _ in
            (frequency: base + Double.random(in: -0.4...0.4, using: &rng),
             phase: Double.random(in: 0..<(2 * .pi), using: &rng),
             amplitude: Double.random(in: 0.02...0.04, using: &rng))
        }
        for n in trace.x.indices {
            let t = Double(n) / trace.samplingRate
            let value = components.reduce(0) { $0 + $1.amplitude * sin(2 * .pi * $1.frequency * t + $1.phase) }
            trace.add(value, along: direction, at: n)
        }
    }
}

/// Recording artifacts added per lead after projection.
enum Artifacts {
    static func addMeasurementNoise<R: RandomNumberGenerator>(
        _ sigma: Double, to leads: inout [[Double]], using rng: inout R
    ) {
        guard sigma > 0 else { return }
        for l in leads.indices {
            for n in leads[l].indices { leads[l][n] += sigma * standardNormal(using: &rng) }
        }
    }

    /// Two slow sinusoids per lead, 0.05-0.5 Hz, 0.1-0.4 mV.
    static func addBaselineWander<R: RandomNumberGenerator>(
        to leads: inout [[Double]], samplingRate: Double, using rng: inout R
    ) {
        for l in leads.indices {
            for _ in 0..<2 {
                let f = Double.random(in: 0.05...0.5, using: &rng)
                let a = Double.random(in: 0.1...0.4, using: &rng)
                let phase = Double.random(in: 0..<(2 * .pi), using: &rng)
                for n in leads[l].indices {
                    leads[l][n] += a * sin(2 * .pi * f * Double(n) / samplingRate + phase)
                }
            }
        }
    }

    /// White muscle noise (0.04 mV) plus 50 Hz mains hum (0.03-0.08 mV) per lead.
    static func addMuscleAndMainsNoise<R: RandomNumberGenerator>(
        to leads: inout [[Double]], samplingRate: Double, using rng: inout R
    ) {
        for l in leads.indices {
            let a = Double.random(in: 0.03...0.08, using: &rng)
            let phase = Double.random(in: 0..<(2 * .pi), using: &rng)
            for n in leads[l].indices {
                leads[l][n] += 0.04 * standardNormal(using: &rng)
                    + a * sin(2 * .pi * 50 * Double(n) / samplingRate + phase)
            }
        }
    }
}
