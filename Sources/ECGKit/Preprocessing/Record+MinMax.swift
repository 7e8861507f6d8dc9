// Per-lead min-max scaling to [0, 1]: the input scaling of the published CAE (models.md, "CAE"), for
// records and datasets.

extension Record {
    /// Every lead scaled to [0, 1]: `(x - min) / (max - min)` per lead, as the published CAE's input
    /// (`shared/data/seed/A3794.npy` is scaled this way). A constant lead becomes zeros. The result is
    /// unit-less. Provenance: `minmax()`.
    /// - Throws: `PreprocessingError` when a lead holds NaN or infinity (run `sanitized()` first).
    public func minMaxScaled() throws -> Record {
        var values = samples
        let count = sampleCount
        for lead in 0..<leadCount {
            let range = (lead * count)..<((lead + 1) * count)
            guard values[range].allSatisfy(\.isFinite) else {
                throw PreprocessingError("minmax", "lead \(leadNames[lead]) of \(name) holds NaN or infinite samples")
            }
            guard let low = values[range].min(), let high = values[range].max() else { continue }
            let span = high - low
            for index in range {
                values[index] = span > 0 ? (values[index] - low) / span : 0
            }
        }
        var result = replacingSamples(values, sampleCount: count, step: ProcessingStep("minmax", []))
        result.units = Array(repeating: "", count: leadCount)
        return result
    }
}

extension Dataset {
    /// Every record scaled per lead to [0, 1] (`Record.minMaxScaled`); windows cut earlier are dropped.
    public func minMaxScaled() throws -> Dataset {
        var copy = self
        copy.records = try records.map { try $0.minMaxScaled() }
        copy.windowSet = nil
        return copy
    }
}
