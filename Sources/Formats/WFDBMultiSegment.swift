// WFDBMultiSegmentReader: reads multi-segment records (fixed and variable layout) by reading the
// overlapping part of each segment and placing it in the output; null segments (`~`) and signals
// a segment lacks read as NaN (digital: the channel's invalid sentinel).
//
// Layout rules (WFDB spec v10 HEADERS.md, wfdb-python `MultiRecord.multi_to_single`):
// fixed layout = every segment has the same signals in the same order (matched by index);
// variable layout = segment 0 has length 0 and is a layout header (signal files `~`) naming the
// output signals; each segment's signals are matched by name (first match). Segments may not nest.
import Foundation

struct WFDBMultiSegmentReader {
    let header: WFDBHeader
    let headerPath: String
    let directory: String

    func segmentHeader(_ name: String) throws -> WFDBHeader {
        let path = (directory as NSString).appendingPathComponent(name + ".hea")
        let segment = try WFDBHeader.read(contentsOf: path)
        guard !segment.isMultiSegment else {
            throw WFDBError(.segment, file: path, "segment '\(name)' is itself multi-segment (segments cannot nest)")
        }
        return segment
    }

    func read(from: Int, to: Int?, channels: [Int]?, expanded: Bool) throws -> WFDBRecord {
        let segments = header.segments
        let isVariable = segments.first.map { $0.sampleCount == 0 && !$0.isNull } ?? false
        // The output signals: the layout header's, or those of the first real segment.
        let layoutSignals: [WFDBSignalSpec]
        if isVariable {
            layoutSignals = try segmentHeader(segments[0].name).signals
        } else if let first = segments.first(where: { !$0.isNull }) {
            layoutSignals = try segmentHeader(first.name).signals
        } else {
            layoutSignals = []
        }
        let total = header.sampleCount ?? segments.reduce(0) { $0 + $1.sampleCount }
        let end = to ?? total
        guard from >= 0, from <= end, end <= total else {
            throw WFDBError(.request, file: headerPath, "sample range \(from)..<\(end) is outside the record (0..<\(total))")
        }
        let wanted = channels ?? Array(layoutSignals.indices)
        try WFDBSingleSegmentReader.checkChannels(wanted, signalCount: layoutSignals.count, headerPath: headerPath)
        let outputSpecs = wanted.map { layoutSignals[$0] }
        let count = end - from
        var physical = outputSpecs.map { _ in [Double](repeating: .nan, count: count) }
        var digital = outputSpecs.map { _ in [Int32](repeating: 0, count: count) }
        var expandedPhysical = outputSpecs.map { [Double](repeating: .nan, count: expanded ? count * $0.samplesPerFrame : 0) }
        var expandedDigital = outputSpecs.map { [Int32](repeating: 0, count: expanded ? count * $0.samplesPerFrame : 0) }
        // Gaps are filled with the channel's invalid sentinel once the channel's format is known.
        var gapFormat = [Int?](repeating: nil, count: wanted.count)
        var covered = outputSpecs.map { _ in [Bool](repeating: false, count: count) }
        var warnings: [WFDBWarning] = []

        var segmentStart = 0
        for segment in segments {
            let segmentEnd = segmentStart + segment.sampleCount
            defer { segmentStart = segmentEnd }
            let lower = max(from, segmentStart), upper = min(end, segmentEnd)
            guard lower < upper, !segment.isNull else { continue }
            let segmentHeader = try segmentHeader(segment.name)
            // Map output channels to this segment's signals.
            var mapping: [(output: Int, segmentChannel: Int)] = []
            for (position, channel) in wanted.enumerated() {
                if isVariable {
                    let name = layoutSignals[channel].description
                    if let index = segmentHeader.signals.firstIndex(where: { $0.description == name }) {
                        mapping.append((position, index))
                    }
                } else if segmentHeader.signals.indices.contains(channel) {
                    mapping.append((position, channel))
                }
            }
            guard !mapping.isEmpty else { continue }
            let segmentPath = (directory as NSString).appendingPathComponent(segment.name + ".hea")
            let part = try WFDBSingleSegmentReader(header: segmentHeader, headerPath: segmentPath, directory: directory)
                .read(from: lower - segmentStart, to: upper - segmentStart,
                      channels: mapping.map(\.segmentChannel), expanded: expanded)
            warnings += part.warnings.map {
                WFDBWarning(signalName: $0.signalName, message: "segment \(segment.name): \($0.message)")
            }
            for (partIndex, entry) in mapping.enumerated() {
                let offset = lower - from
                let spec = part.signals[partIndex]
                if gapFormat[entry.output] == nil { gapFormat[entry.output] = spec.format }
                physical[entry.output].replaceSubrange(offset..<offset + part.sampleCount, with: part.physical[partIndex])
                digital[entry.output].replaceSubrange(offset..<offset + part.sampleCount, with: part.digital[partIndex])
                for t in offset..<offset + part.sampleCount { covered[entry.output][t] = true }
                if expanded, let partPhysical = part.expandedPhysical?[partIndex], let partDigital = part.expandedDigital?[partIndex] {
                    let spf = outputSpecs[entry.output].samplesPerFrame
                    guard spec.samplesPerFrame == spf else {
                        throw WFDBError(.segment, file: segmentPath,
                                        "signal '\(spec.description)' has \(spec.samplesPerFrame) samples per frame, the record's layout has \(spf)")
                    }
                    expandedPhysical[entry.output].replaceSubrange(offset * spf..<(offset + part.sampleCount) * spf, with: partPhysical)
                    expandedDigital[entry.output].replaceSubrange(offset * spf..<(offset + part.sampleCount) * spf, with: partDigital)
                }
            }
        }
        for position in wanted.indices {
            let sentinel = WFDBSignalFormat.invalidSample(format: gapFormat[position] ?? 16) ?? Int32(Int16.min)
            let spf = outputSpecs[position].samplesPerFrame
            for t in 0..<count where !covered[position][t] {
                digital[position][t] = sentinel
                if expanded { for j in 0..<spf { expandedDigital[position][t * spf + j] = sentinel } }
            }
        }
        var record = WFDBRecord(header: header, signals: outputSpecs, startSample: from, endSample: end,
                                physical: physical, digital: digital, warnings: warnings, totalSampleCount: total)
        if expanded {
            record.expandedPhysical = expandedPhysical
            record.expandedDigital = expandedDigital
        }
        return record
    }
}
