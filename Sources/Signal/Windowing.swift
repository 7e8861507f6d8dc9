// Fixed-length windows cut from a [L, T] record, and overlap-averaging of per-window values back
// onto the time axis (the reference scores records this way: window 500, stride 250 -> 19 windows).

/// Memory layout of a batch of windows.
public enum WindowLayout: String, CaseIterable, Sendable {
    /// `[nWindows, L, W]` (the CAE's channels-first input).
    case leadsByTime
    /// `[nWindows, W, L]` (the VAE models' time-major input).
    case timeByLeads
}

/// Windowing of multi-lead records (namespace).
public enum Windowing {
    /// Start offsets `0, S, 2S, ...` of every full window: `range(0, T - W + 1, S)` as in the reference.
    public static func windowStarts(samples: Int, window: Int, stride: Int) -> [Int] {
        guard window > 0, stride > 0, samples >= window else { return [] }
        return Array(Swift.stride(from: 0, through: samples - window, by: stride))
    }

    /// `record: [L, T] -> [nWindows, L, W]` or `[nWindows, W, L]` (see `layout`), row-major.
    /// - Throws: `SignalError` when the buffer does not hold `leads` rows or the window/stride is not positive.
    @inlinable
    public static func extract<Element: BinaryFloatingPoint>(_ record: [Element], leads: Int, window: Int, stride: Int,
                                                          layout: WindowLayout = .leadsByTime) throws -> (windows: [Element], count: Int) {
        guard leads > 0, record.count % leads == 0, window > 0, stride > 0 else {
            throw SignalError("windows", "bad [L, T] buffer (\(record.count) values, \(leads) leads) or window \(window) / stride \(stride)")
        }
        let samples = record.count / leads
        let starts = windowStarts(samples: samples, window: window, stride: stride)
        var output = [Element](repeating: 0, count: starts.count * leads * window)
        for (windowIndex, start) in starts.enumerated() {
            let base = windowIndex * leads * window
            for lead in 0..<leads {
                for offset in 0..<window {
                    let value = record[lead * samples + start + offset]
                    switch layout {
                    case .leadsByTime: output[base + lead * window + offset] = value
                    case .timeByLeads: output[base + offset * leads + lead] = value
                    }
                }
            }
        }
        return (output, starts.count)
    }

    /// `windows: [N, A, B] -> [N, B, A]`, swapping the two inner axes (converts between the two layouts).
    @inlinable
    public static func transposeInner<Element>(_ windows: [Element], count: Int, rows: Int, columns: Int) throws -> [Element] {
        guard windows.count == count * rows * columns, let first = windows.first else {
            if windows.isEmpty && count * rows * columns == 0 { return [] }
            throw SignalError("transposeInner", "buffer of \(windows.count) values is not [\(count), \(rows), \(columns)]")
        }
        var output = [Element](repeating: first, count: windows.count)
        for window in 0..<count {
            let base = window * rows * columns
            for row in 0..<rows {
                for column in 0..<columns { output[base + column * rows + row] = windows[base + row * columns + column] }
            }
        }
        return output
    }

    /// `windows: [nWindows, L, W] (or [nWindows, W, L]) -> [L, T]`: for each time step, the mean of the
    /// values of every window covering it (`sum / count`); uncovered samples get 0, as in the reference
    /// (`tmp[s:s+W] += v; cnt[s:s+W] += 1; cnt[cnt == 0] = 1; tmp / cnt`).
    @inlinable
    public static func overlapAverage<Element: BinaryFloatingPoint>(_ windows: [Element], leads: Int, window: Int, stride: Int,
                                                                 samples: Int, layout: WindowLayout = .leadsByTime) throws -> [Element] {
        let starts = windowStarts(samples: samples, window: window, stride: stride)
        guard windows.count == starts.count * leads * window else {
            throw SignalError("overlapAverage", "expected \(starts.count) windows of [\(leads), \(window)] for \(samples) samples, got \(windows.count) values")
        }
        var sums = [Element](repeating: 0, count: leads * samples)
        var counts = [Int](repeating: 0, count: samples)
        for (windowIndex, start) in starts.enumerated() {
            let base = windowIndex * leads * window
            for offset in 0..<window { counts[start + offset] += 1 }
            for lead in 0..<leads {
                for offset in 0..<window {
                    let value = layout == .leadsByTime ? windows[base + lead * window + offset] : windows[base + offset * leads + lead]
                    sums[lead * samples + start + offset] += value
                }
            }
        }
        for lead in 0..<leads {
            for index in 0..<samples where counts[index] > 1 { sums[lead * samples + index] /= Element(counts[index]) }
        }
        return sums
    }

    /// `scores: [nWindows] -> [T]`: spreads one value per window over the samples it covers and
    /// averages the overlaps (the reference's per-window attention/score strips).
    public static func overlapAverage(windowValues: [Double], window: Int, stride: Int, samples: Int) throws -> [Double] {
        try overlapAverage(windowValues.flatMap { Array(repeating: $0, count: window) }, leads: 1, window: window,
                           stride: stride, samples: samples)
    }
}
