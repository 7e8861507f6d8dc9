// Designed preprocessing chains kept per parameter set, so loading a dataset designs its Butterworth
// and notch filters (and their filtfilt initial conditions) once instead of once per record.
import Foundation
import Signal

/// Signal `Preprocessor`s by their design parameters (rate, cutoffs, order, form, mains, Q, epsilon).
final class PreprocessorCache: @unchecked Sendable {
    static let shared = PreprocessorCache()
    /// Distinct parameter sets kept; a session uses one or two, so the oldest is simply dropped.
    private static let capacity = 16

    private struct Key: Hashable {
        var samplingRate: Double
        var low: Double
        var high: Double
        var order: Int
        var method: String
        var mains: Double?
        var quality: Double
        var epsilon: Double
    }

    private let lock = NSLock()
    private var entries: [(key: Key, preprocessor: Preprocessor)] = []

    /// The chain for `options` at `samplingRate`, designed on first use.
    /// - Throws: `SignalError` from the filter design (not cached).
    func preprocessor(for options: PreprocessingOptions, samplingRate: Double) throws -> Preprocessor {
        let key = Key(samplingRate: samplingRate, low: options.low, high: options.high, order: options.order,
                      method: options.method.rawValue, mains: options.mains, quality: options.quality, epsilon: options.epsilon)
        lock.lock()
        let cached = entries.first { $0.key == key }?.preprocessor
        lock.unlock()
        if let cached { return cached }
        let designed = try Preprocessor(samplingRate: samplingRate, bandpassCutoffs: (options.low, options.high),
                                        bandpassOrder: options.order, notchFrequency: options.mains,
                                        notchQuality: options.quality,
                                        form: options.method == .filtfilt ? .transferFunction : .secondOrderSections,
                                        zScoreEpsilon: options.epsilon)
        lock.lock()
        if !entries.contains(where: { $0.key == key }) {
            if entries.count == Self.capacity { entries.removeFirst() }
            entries.append((key, designed))
        }
        lock.unlock()
        return designed
    }
}
