// The 12 standard leads as projections of one cardiac dipole (frontal limb leads
// derived by Einthoven/Goldberger, precordial leads as horizontal-plane directions).
import Foundation


/// The canonical 12-lead order used everywhere in ecgs.
public let canonicalLeadNames = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

/// A 3-D heart vector: x to the patient's left, y inferior (feet), z anterior (chest).
struct HeartVector {
    var x = 0.0, y = 0.0, z = 0.0

    static func direction(_ x: Double, _ y: Double, _ z: Double) -> HeartVector {
        let n = (x * x + y * y + z * z).squareRoot()
        return HeartVector(x: x / n, y: y / n, z: z / n)
    }
}

/// Projects heart-vector samples onto the 12 leads.
///
/// Limb leads: I = x, II = x cos 60° + y sin 60°, III = II - I, aVR = -(I + II)/2,
/// aVL = I - II/2, aVF = II - I/2 (Einthoven's law and Goldberger's augmented leads hold
/// by construction). Precordial leads V1..V6 look along horizontal-plane angles 115°, 94°,
/// 76°, 60°, 30°, 0° from the patient's left towards the front, tilted slightly inferior.
enum LeadGeometry {
    static let precordialAngles: [Double] = [115, 94, 76, 60, 30, 0]

    /// The direction each lead measures along, in canonical order.
    static let leadVectors: [HeartVector] = {
        let s60 = 3.0.squareRoot() / 2
        let limb = [
            HeartVector(x: 1, y: 0, z: 0),            // I
            HeartVector(x: 0.5, y: s60, z: 0),        // II
            HeartVector(x: -0.5, y: s60, z: 0),       // III = II - I
            HeartVector(x: -0.75, y: -s60 / 2, z: 0), // aVR = -(I + II) / 2
            HeartVector(x: 0.75, y: -s60 / 2, z: 0),  // aVL = I - II / 2
            HeartVector(x: 0, y: s60, z: 0),          // aVF = II - I / 2
        ]
        let precordial = precordialAngles.map { angle -> HeartVector in
            let r = angle * .pi / 180
            return .direction(cos(r), 0.15, sin(r))
        }
        return limb + precordial
    }()

    /// The voltage lead `index` reads for a heart vector.
    static func project(_ v: HeartVector, onto index: Int) -> Double {
        let l = leadVectors[index]
        return l.x * v.x + l.y * v.y + l.z * v.z
    }

    /// x, y, z: [T] -> [12][T]
    static func project(x: [Double], y: [Double], z: [Double]) -> [[Double]] {
        leadVectors.map { l in
            (0..<x.count).map { t in l.x * x[t] + l.y * y[t] + l.z * z[t] }
        }
    }
}
