// Synthetic 12-lead ECGs: a wave-template dipole model with heart-rate variability,
// projected to 12 leads, with labelled injected anomalies (see SyntheticECG+Anomalies).
import Foundation

/// The anomalies `synth` can inject. Raw values are the names users type.
public enum SyntheticAnomaly: String, CaseIterable, Sendable, Codable {
    case stElevation = "st-elevation"
    case stDepression = "st-depression"
    case tInversion = "t-inversion"
    case pvc = "pvc"
    case atrialFibrillation = "af"
    case wideQRS = "wide-qrs"
    case baselineWander = "baseline-wander"
    case noise = "noise"

    /// One line for help texts.
    public var summary: String {
        switch self {
        case .stElevation: "ST elevation in the anterior leads (V1-V4), reciprocal depression inferiorly"
        case .stDepression: "ST depression in the lateral and inferior leads"
        case .tInversion: "T-wave inversion"
        case .pvc: "premature ventricular beats: early, wide, no P wave, compensatory pause"
        case .atrialFibrillation: "irregular rhythm without P waves, fibrillatory f-waves"
        case .wideQRS: "wide QRS with a late R' (bundle-branch-block-like conduction)"
        case .baselineWander: "slow baseline wander (0.05-0.5 Hz)"
        case .noise: "muscle noise and 50 Hz mains interference"
        }
    }
}

/// Settings of the generator; the defaults give a clean 10 s resting ECG at 500 Hz.
public struct SyntheticECGOptions: Sendable {
    public var samplingRate: Double = 500
    public var duration: Double = 10
    /// Mean heart rate, drawn uniformly from this range for each record (beats per minute).
    public var heartRate: ClosedRange<Double> = 55...95
    /// Standard deviation of the white measurement noise added to every lead (mV).
    public var measurementNoise: Double = 0.01
    /// Size of the injected ST shift (mV).
    public var stShift: Double = 0.2

    public init() {}
}

/// One generated record: 12 leads in canonical order, in mV.
public struct SyntheticECG: Sendable {
    /// [12][T] in canonical lead order (I, II, III, aVR, aVL, aVF, V1..V6), mV.
    public var signal: [[Double]]
    public var samplingRate: Double
    /// Sample index of every R peak (ventricular beat) in the record.
    public var rPeaks: [Int]
    /// Sample indices of the premature ventricular beats among `rPeaks`.
    public var prematureBeats: [Int]
    /// The mean heart rate the rhythm was generated with (beats per minute).
    public var heartRate: Double
    public var anomalies: [SyntheticAnomaly]
    /// 0 for a normal record, 1 when any anomaly was injected.
    public var label: Int { anomalies.isEmpty ? 0 : 1 }
}

/// Generates synthetic 12-lead ECGs.
///
/// Model: each beat is a sum of Gaussian waves (P, Q, R, S, T; T asymmetric) of a 3-D
/// cardiac dipole, in the spirit of McSharry et al., "A dynamical model for generating
/// synthetic electrocardiogram signals", IEEE TBME 50(3), 2003, but with explicit wave
/// times instead of an ODE. RR intervals carry respiratory sinus arrhythmia (0.25 Hz),
/// a Mayer-wave component (0.1 Hz) and jitter; the QT interval follows Bazett's sqrt(RR).
/// The dipole is projected onto the 12 leads by `LeadGeometry`.
public enum SyntheticECGGenerator {
    /// Generates one record with the given anomalies, drawing everything from `rng`.
    public static func generate<R: RandomNumberGenerator>(
        anomalies: [SyntheticAnomaly] = [], options: SyntheticECGOptions = SyntheticECGOptions(),
        using rng: inout R
    ) -> SyntheticECG {
        let kinds = Set(anomalies)
        let fs = options.samplingRate
        let count = Int((options.duration * fs).rounded())
        let heartRate = Double.random(in: options.heartRate, using: &rng)
        let beats = BeatSchedule.make(
            duration: options.duration, heartRate: heartRate,
            fibrillation: kinds.contains(.atrialFibrillation),
            premature: kinds.contains(.pvc), using: &rng)

        var dipole = DipoleTrace(count: count, samplingRate: fs)
        let morphology = BeatMorphology(anomalies: kinds, stShift: options.stShift)
        for beat in beats {
            morphology.add(beat: beat, to: &dipole)
        }
        if kinds.contains(.atrialFibrillation) {
            FibrillatoryWaves.add(to: &dipole, using: &rng)
        }
        var leads = LeadGeometry.project(x: dipole.x, y: dipole.y, z: dipole.z)
        Artifacts.addMeasurementNoise(options.measurementNoise, to: &leads, using: &rng)
        if kinds.contains(.baselineWander) {
            Artifacts.addBaselineWander(to: &leads, samplingRate: fs, using: &rng)
        }
        if kinds.contains(.noise) {
            Artifacts.addMuscleAndMainsNoise(to: &leads, samplingRate: fs, using: &rng)
        }
        let ventricular = beats.filter { $0.time * fs < Double(count) }
        return SyntheticECG(
            signal: leads, samplingRate: fs,
            rPeaks: ventricular.map { Int(($0.time * fs).rounded()) },
            prematureBeats: ventricular.filter(\.isPremature).map { Int(($0.time * fs).rounded()) },
            heartRate: heartRate,
            anomalies: SyntheticAnomaly.allCases.filter(kinds.contains))
    }
}

/// A standard normal draw by the Box-Muller transform.
func standardNormal<R: RandomNumberGenerator>(using rng: inout R) -> Double {
    let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng)
    let u2 = Double.random(in: 0..<1, using: &rng)
    return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
}
