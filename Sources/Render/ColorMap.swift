// A viridis-like colour map: matplotlib's viridis sampled at tenths, interpolated linearly in sRGB.

import Foundation

/// An RGB colour with components in 0...255.
public struct RGBColor: Equatable, Sendable {
    public var red: UInt8, green: UInt8, blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// "#rrggbb".
    public var hex: String { String(format: "#%02x%02x%02x", red, green, blue) }
}

/// A colour map from [0, 1] to colours, linear between equally spaced anchors.
///
/// `viridis` uses the 11 anchors `matplotlib.colormaps["viridis"](k / 10)` for k = 0...10
/// (matplotlib 3.11: #440154 ... #fde725), interpolated per channel in sRGB and rounded; this
/// is within a few units per channel of matplotlib's 256-entry table.
public struct ColorMap: Sendable {
    public let anchors: [RGBColor]

    public init(anchors: [RGBColor]) { self.anchors = anchors }

    public static let viridis = ColorMap(hex: [
        "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
        "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725",
    ])

    init(hex: [String]) {
        anchors = hex.map { code in
            let value = UInt32(code.dropFirst(), radix: 16) ?? 0
            return RGBColor(red: UInt8((value >> 16) & 0xff), green: UInt8((value >> 8) & 0xff), blue: UInt8(value & 0xff))
        }
    }

    /// The colour at `t` (clamped to [0, 1]; NaN maps to 0).
    public func color(at t: Double) -> RGBColor {
        guard anchors.count > 1 else { return anchors.first ?? RGBColor(red: 0, green: 0, blue: 0) }
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        let position = clamped * Double(anchors.count - 1)
        let index = min(Int(position), anchors.count - 2)
        let fraction = position - Double(index)
        let a = anchors[index], b = anchors[index + 1]
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Double(x) + (Double(y) - Double(x)) * fraction).rounded())
        }
        return RGBColor(red: mix(a.red, b.red), green: mix(a.green, b.green), blue: mix(a.blue, b.blue))
    }
}
