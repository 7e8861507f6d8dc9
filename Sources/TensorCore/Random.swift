// Seeded random numbers: xoshiro256** seeded through SplitMix64, named sub-streams, normal draws, shuffles.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic random stream: xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom
/// number generators", 2018; reference code at prng.di.unimi.it/xoshiro256starstar.c).
///
/// Seeding: a SplitMix64 generator starts at `seed XOR fnv1a64(stream)` (FNV-1a 64-bit of the
/// stream name's UTF-8 bytes) and its first four outputs form the xoshiro state, as the xoshiro
/// authors recommend. Different names therefore give independent-looking streams from one seed
/// (`RandomStream(seed: 42, stream: "init")`, `"dropout"`, `"shuffle"`), and the same seed and name
/// always give bit-identical draws on every platform.
///
/// Conversions: `nextFloat()` = top 24 bits * 2^-24 in [0, 1); `nextDouble()` = top 53 bits * 2^-53
/// in [0, 1); `nextNormal()` uses the Box-Muller transform on two doubles, u1 = 1 - nextDouble() in
/// (0, 1] and u2 = nextDouble(): z0 = sqrt(-2 ln u1) cos(2 pi u2) is returned and
/// z1 = sqrt(-2 ln u1) sin(2 pi u2) is kept for the next call.
public struct RandomStream: RandomNumberGenerator, Sendable {
    /// The four 64-bit words of xoshiro256** state.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?

    /// A stream for `seed` and the sub-stream `stream` (see the type's documentation).
    public init(seed: UInt64, stream: String = "") {
        var mixer = SplitMix64(state: seed ^ fnv1a64(stream))
        state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
        if state == (0, 0, 0, 0) { state.0 = 1 }
    }

    /// A stream starting from an explicit xoshiro256** state (not all zero).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
        if state == (0, 0, 0, 0) { self.state.0 = 1 }
    }

    /// The next 64 random bits (xoshiro256** step).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal draw (Box-Muller, see the type's documentation).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1 - nextDouble()
        let u2 = nextDouble()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * sin(angle)
        return radius * cos(angle)
    }

    /// Uniform integer in `0..<bound` without modulo bias (Lemire's multiply-and-reject method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A random permutation of `0..<count` (Fisher-Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var result = Array(0..<count)
        shuffle(&result)
        return result
    }

    /// Shuffles `array` in place (Fisher-Yates from the end, `nextInt(below: i + 1)` per step).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014), used only to expand a seed into xoshiro state.
public struct SplitMix64: Sendable {
    /// Current state; advanced by 0x9E3779B97F4A7C15 per draw.
    public var state: UInt64

    /// A generator starting at `state`.
    public init(state: UInt64) { self.state = state }

    /// The next output.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// FNV-1a 64-bit hash of the UTF-8 bytes of `text` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
public func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

extension Tensor {
    /// Standard normal samples of `shape` (`torch.randn`, but drawn from `generator`).
    public static func randn(_ shape: [Int], using generator: inout RandomStream) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let p = result.storage.pointer
        for i in 0..<result.count { p[i] = Float(generator.nextNormal()) }
        return result
    }

    /// Uniform samples in `[low, high)` of `shape` (`torch.rand` scaled), drawn from `generator`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, using generator: inout RandomStream) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let p = result.storage.pointer
        let width = high - low
        for i in 0..<result.count { p[i] = low + width * generator.nextFloat() }
        return result
    }
}
