// Beat timing (sinus rhythm with variability, atrial fibrillation, premature beats) and
// the dipole trace the beats are drawn into.
import Foundation

/// One ventricular beat: the time of its R peak and how it was conducted.
struct Beat {
    var time: Double
    /// The RR interval that preceded it (s); sets the QT interval.
    var rr: Double
    var isPremature = false
    var hasPWave = true
}

enum BeatSchedule {
    /// Beat times covering [0, duration], starting before 0 so that the first seconds
    /// hold the tail of a beat as a real recording would.
    static func make<R: RandomNumberGenerator>(
        duration: Double, heartRate: Double, fibrillation: Bool, premature: Bool, using rng: inout R
    ) -> [Beat] {
        let base = 60 / heartRate
        let respiratoryPhase = Double.random(in: 0..<(2 * .pi), using: &rng)
        let mayerPhase = Double.random(in: 0..<(2 * .pi), using: &rng)
        func nextInterval(at t: Double) -> Double {
            if fibrillation { return base * Double.random(in: 0.6...1.4, using: &rng) }
            let modulation = 0.04 * sin(2 * .pi * 0.25 * t + respiratoryPhase)
                + 0.02 * sin(2 * .pi * 0.1 * t + mayerPhase)
            return base * (1 + modulation + 0.01 * standardNormal(using: &rng))
        }
        var beats: [Beat] = []
        var t = -Double.random(in: 0.3...1, using: &rng) * base
        var rr = base
        while t < duration + 1 {
            beats.append(Beat(time: t, rr: rr, hasPWave: !fibrillation))
            rr = nextInterval(at: t)
            t += rr
        }
        if premature { insertPrematureBeats(into: &beats, duration: duration, using: &rng) }
        return beats
    }

    /// Turns some beats into premature ventricular beats: the PVC comes at 60% of the RR
    /// interval and the next sinus beat keeps its place (a full compensatory pause).
    /// At least one PVC falls inside the record.
    private static func insertPrematureBeats<R: RandomNumberGenerator>(
        into beats: inout [Beat], duration: Double, using rng: inout R
    ) {
        let inside = beats.indices.filter { i in
            i > 0 && i + 1 < beats.count && beats[i].time > 0.5 && beats[i].time < duration - 1
        }
        guard let forced = inside.randomElement(using: &rng) else { return }
        var i = 1
        while i + 1 < beats.count {
            if i == forced || (inside.contains(i) && Double.random(in: 0..<1, using: &rng) < 0.12) {
                let previous = beats[i - 1]
                let interval = beats[i].time - previous.time
                beats[i] = Beat(time: previous.time + 0.6 * interval, rr: 0.6 * interval,
                                isPremature: true, hasPWave: false)
                i += 2
            } else {
                i += 1
            }
        }
    }
}

/// The 3-D heart vector sampled at the record's rate.
struct DipoleTrace {
    var x: [Double], y: [Double], z: [Double]
    let samplingRate: Double

    init(count: Int, samplingRate: Double) {
        x = [Double](repeating: 0, count: count)
        y = x
        z = x
        self.samplingRate = samplingRate
    }

    /// Adds amplitude * direction * g(t), g a Gaussian with different widths on each side
    /// of `center` (s), drawn over ±5 widths.
    mutating func addWave(center: Double, sigmaBefore: Double, sigmaAfter: Double,
                          amplitude: Double, direction: HeartVector) {
        let first = max(0, Int(((center - 5 * sigmaBefore) * samplingRate).rounded(.down)))
        let last = min(x.count - 1, Int(((center + 5 * sigmaAfter) * samplingRate).rounded(.up)))
        guard first <= last else { return }
        for n in first...last {
            let dt = Double(n) / samplingRate - center
            let sigma = dt < 0 ? sigmaBefore : sigmaAfter
            add(amplitude * exp(-0.5 * dt * dt / (sigma * sigma)), along: direction, at: n)
        }
    }

    /// Adds a smooth plateau (tanh edges of width `edge`) between `start` and `end` (s).
    mutating func addPlateau(start: Double, end: Double, edge: Double,
                             amplitude: Double, direction: HeartVector) {
        let first = max(0, Int(((start - 5 * edge) * samplingRate).rounded(.down)))
        let last = min(x.count - 1, Int(((end + 5 * edge) * samplingRate).rounded(.up)))
        guard first <= last else { return }
        for n in first...last {
            let t = Double(n) / samplingRate
            let shape = 0.5 * (tanh((t - start) / edge) - tanh((t - end) / edge))
            add(amplitude * shape, along: direction, at: n)
        }
    }

    mutating func add(_ value: Double, along d: HeartVector, at n: Int) {
        x[n] += value * d.x
        y[n] += value * d.y
        z[n] += value * d.z
    }
}
