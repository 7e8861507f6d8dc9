// Synthetic ECG generator: lead algebra, rhythm statistics and each injected anomaly
// checked against what it must do analytically.
import Foundation
import Testing
@testable import ECGKit

/// SplitMix64 (Steele, Lea, Flood 2014): a small seedable generator for these tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func clean(_ anomalies: [SyntheticAnomaly] = [], seed: UInt64 = 7) -> SyntheticECG {
    var options = SyntheticECGOptions()
    options.measurementNoise = 0
    var rng = SplitMix64(state: seed)
    return SyntheticECGGenerator.generate(anomalies: anomalies, options: options, using: &rng)
}

func intervals(_ peaks: [Int], fs: Double) -> [Double] {
    zip(peaks.dropFirst(), peaks).map { Double($0 - $1) / fs }
}

func coefficientOfVariation(_ x: [Double]) -> Double {
    let m = x.reduce(0, +) / Double(x.count)
    let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)
    return v.squareRoot() / m
}

@Test func limbLeadsObeyEinthovenAndGoldberger() {
    let ecg = clean()
    #expect(ecg.signal.count == 12)
    #expect(ecg.signal.allSatisfy { $0.count == 5000 })
    let (i, ii, iii, avr, avl, avf) = (ecg.signal[0], ecg.signal[1], ecg.signal[2],
                                       ecg.signal[3], ecg.signal[4], ecg.signal[5])
    for n in stride(from: 0, to: 5000, by: 7) {
        #expect(abs(iii[n] - (ii[n] - i[n])) < 1e-12)
        #expect(abs(avr[n] + (i[n] + ii[n]) / 2) < 1e-12)
        #expect(abs(avl[n] - (i[n] - ii[n] / 2)) < 1e-12)
        #expect(abs(avf[n] - (ii[n] - i[n] / 2)) < 1e-12)
    }
}

@Test func rhythmMatchesTheDrawnHeartRate() {
    for seed: UInt64 in [1, 2, 3] {
        let ecg = clean(seed: seed)
        let rr = intervals(ecg.rPeaks, fs: ecg.samplingRate)
        let mean = rr.reduce(0, +) / Double(rr.count)
        #expect(abs(60 / mean - ecg.heartRate) / ecg.heartRate < 0.03)
        // Sinus rhythm: variability present but small.
        let cv = coefficientOfVariation(rr)
        #expect(cv > 0.002 && cv < 0.08)
        // Lead II peaks within 4 ms of each reported R peak (the Q and S waves shift it a little).
        for p in ecg.rPeaks where p > 20 && p < 4980 {
            let window = (p - 20)...(p + 20)
            let argmax = window.max { ecg.signal[1][$0] < ecg.signal[1][$1] } ?? -1
            #expect(abs(argmax - p) <= 2)
        }
    }
}

@Test func sameSeedSameRecordOtherSeedOtherRecord() {
    #expect(clean(seed: 11).signal == clean(seed: 11).signal)
    #expect(clean(seed: 11).signal != clean(seed: 12).signal)
}

@Test func stElevationRaisesV2ByTheRequestedShift() {
    let normal = clean(seed: 5), elevated = clean([.stElevation], seed: 5)
    #expect(elevated.label == 1 && normal.label == 0)
    // Same rhythm (the morphology draws no random numbers), so the difference is the plateau.
    #expect(normal.rPeaks == elevated.rPeaks)
    for p in normal.rPeaks where p > 0 && p + 60 < 5000 {
        let mid = p + 45    // 90 ms after R: inside the ST segment at every heart rate here
        #expect(abs(elevated.signal[7][mid] - normal.signal[7][mid] - 0.2) < 1e-3)
        #expect(elevated.signal[2][mid] < normal.signal[2][mid])  // reciprocal in III
    }
}

@Test func stDepressionLowersV5() {
    let normal = clean(seed: 5), depressed = clean([.stDepression], seed: 5)
    for p in normal.rPeaks where p > 0 && p + 60 < 5000 {
        #expect(abs(depressed.signal[10][p + 45] - normal.signal[10][p + 45] + 0.2) < 1e-3)
    }
}

@Test func tInversionFlipsTheTWave() {
    let normal = clean(seed: 9), inverted = clean([.tInversion], seed: 9)
    let rr = intervals(normal.rPeaks, fs: 500)
    for (k, p) in normal.rPeaks.dropLast().enumerated() where p > 0 {
        let tPeak = p + Int((0.28 * rr[k].squareRoot() * 500).rounded())
        guard tPeak < 5000, k > 0 else { continue }
        #expect(normal.signal[1][tPeak] > 0.1)
        #expect(inverted.signal[1][tPeak] < -0.1)
    }
}

@Test func prematureBeatsComeEarlyWithACompensatoryPause() {
    let ecg = clean([.pvc], seed: 21)
    #expect(!ecg.prematureBeats.isEmpty)
    let normalRR = 60 / ecg.heartRate
    for pvc in ecg.prematureBeats {
        guard let k = ecg.rPeaks.firstIndex(of: pvc), k > 0, k + 1 < ecg.rPeaks.count else { continue }
        let before = Double(pvc - ecg.rPeaks[k - 1]) / 500
        let after = Double(ecg.rPeaks[k + 1] - pvc) / 500
        #expect(before < 0.7 * normalRR)
        #expect(after > 1.2 * normalRR)
    }
}

@Test func atrialFibrillationIsIrregularWithoutPWaves() {
    for seed: UInt64 in [3, 4] {
        let af = clean([.atrialFibrillation], seed: seed)
        #expect(coefficientOfVariation(intervals(af.rPeaks, fs: 500)) > 0.1)
    }
    // Without P waves the 100-200 ms before each R carries only f-waves in lead II.
    let sinus = clean(seed: 3), af = clean([.atrialFibrillation], seed: 3)
    func pEnergy(_ e: SyntheticECG) -> Double {
        let p = e.rPeaks.filter { $0 > 100 }
        return p.map { e.signal[1][$0 - 80] }.reduce(0, +) / Double(p.count)
    }
    #expect(pEnergy(sinus) > 0.1)
    #expect(abs(pEnergy(af)) < 0.05)
}

@Test func wideQRSLastsLonger() {
    func qrsWidth(_ e: SyntheticECG) -> Int {
        let p = e.rPeaks.first { $0 > 100 && $0 < 4900 } ?? 0
        // Samples within +-100 ms of R where any precordial lead exceeds 0.2 mV.
        return (p - 50...p + 50).filter { n in (6..<12).contains { abs(e.signal[$0][n]) > 0.2 } }.count
    }
    #expect(Double(qrsWidth(clean([.wideQRS], seed: 2))) > 1.5 * Double(qrsWidth(clean(seed: 2))))
}

@Test func noiseAddsMainsHum() {
    func mainsAmplitude(_ e: SyntheticECG) -> Double {
        var s = 0.0, c = 0.0
        for n in 0..<5000 {
            s += e.signal[6][n] * sin(2 * .pi * 50 * Double(n) / 500)
            c += e.signal[6][n] * cos(2 * .pi * 50 * Double(n) / 500)
        }
        return 2 * (s * s + c * c).squareRoot() / 5000
    }
    #expect(mainsAmplitude(clean(seed: 4)) < 0.005)
    let hum = mainsAmplitude(clean([.noise], seed: 4))
    #expect(hum > 0.025 && hum < 0.09)
}
