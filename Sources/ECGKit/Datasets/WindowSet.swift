// Fixed-length windows cut from a dataset's records as one flat Float array with its shape and the
// record each window came from (the model layer turns it into tensors).
import Signal

/// Memory layout of a batch of windows: `.timeByLeads` `[N, T, L]` (the VAE models' input),
/// `.leadsByTime` `[N, L, T]` (the CAE's).
public typealias WindowLayout = Signal.WindowLayout

/// Windows of `length` samples every `stride` samples from each record, `values` row-major with
/// `shape` `[N, length, L]` (`.timeByLeads`) or `[N, L, length]` (`.leadsByTime`).
public struct WindowSet: Sendable, Equatable {
    /// All windows, row-major in `shape`.
    public var values: [Float]
    /// `[N, length, L]` or `[N, L, length]`.
    public var shape: [Int]
    public var layout: WindowLayout
    /// Samples per window, T.
    public var length: Int
    /// Samples between the starts of consecutive windows of a record.
    public var stride: Int
    /// For each window, the index of its record in the dataset.
    public var recordIndices: [Int]
    /// For each window, its first sample in the record.
    public var starts: [Int]

    /// Number of windows, N.
    public var count: Int { recordIndices.count }
    /// Leads per window, L.
    public var leadCount: Int { shape.count == 3 ? (layout == .timeByLeads ? shape[2] : shape[1]) : 0 }
}

extension Dataset {
    /// `records: [L, T] each -> [N, length, L]` or `[N, L, length]` Float32: windows starting at
    /// `0, stride, 2 stride, ...` while they fit (`range(0, T - length + 1, stride)` as the reference;
    /// a 5000-sample record gives 19 windows of 500 at stride 250 and 37 at stride 125; a record shorter
    /// than `length` gives none). Records are taken in order, or only those in `records`.
    /// - Throws: `DatasetError` for a non-positive length or stride, or records with different lead counts.
    public func windows(length: Int = 500, stride: Int = 250, layout: WindowLayout = .timeByLeads,
                        records selection: [Int]? = nil) throws -> WindowSet {
        guard length > 0, stride > 0 else {
            throw DatasetError("windows", "length and stride must be positive, got length \(length), stride \(stride)")
        }
        let indices = selection ?? Array(records.indices)
        if let bad = indices.first(where: { !records.indices.contains($0) }) {
            throw DatasetError("windows", "record index \(bad) is out of range (0..<\(records.count))")
        }
        let leads = indices.first.map { records[$0].leadCount } ?? 0
        if let odd = indices.first(where: { records[$0].leadCount != leads }) {
            throw DatasetError("windows", "record \(records[odd].name) has \(records[odd].leadCount) leads, the first has \(leads); windows need the same leads in every record")
        }
        var starts: [Int] = [], recordIndices: [Int] = []
        for index in indices {
            let recordStarts = Windowing.windowStarts(samples: records[index].sampleCount, window: length, stride: stride)
            starts += recordStarts
            recordIndices += Array(repeating: index, count: recordStarts.count)
        }
        let windowSize = length * leads
        var values = [Float](repeating: 0, count: starts.count * windowSize)
        values.withUnsafeMutableBufferPointer { output in
            for window in starts.indices {
                let record = records[recordIndices[window]]
                let samples = record.sampleCount, start = starts[window], base = window * windowSize
                record.samples.withUnsafeBufferPointer { input in
                    for lead in 0..<leads {
                        let row = lead * samples + start
                        for offset in 0..<length {
                            let value = Float(input[row + offset])
                            switch layout {
                            case .timeByLeads: output[base + offset * leads + lead] = value
                            case .leadsByTime: output[base + lead * length + offset] = value
                            }
                        }
                    }
                }
            }
        }
        let shape = layout == .timeByLeads ? [starts.count, length, leads] : [starts.count, leads, length]
        return WindowSet(values: values, shape: shape, layout: layout, length: length, stride: stride,
                         recordIndices: recordIndices, starts: starts)
    }

    /// The dataset with `windowSet` made by `windows(length:stride:layout:)` over all records.
    public func windowed(length: Int = 500, stride: Int = 250, layout: WindowLayout = .timeByLeads) throws -> Dataset {
        var copy = self
        copy.windowSet = try windows(length: length, stride: stride, layout: layout)
        return copy
    }
}
