// Dataset builders against the counts of shared/data/labels.csv and its README, the seeded split,
// windows, progress and cancellation, and bad input.
import Foundation
import Testing
import TestSupport
import Signal
import TensorCore
@testable import ECGKit

/// Counts of (normal, anomalous, unknown).
func counts(_ dataset: Dataset) -> [Int] {
    let c = dataset.labelCounts
    return [c.normal, c.anomalous, c.unknown]
}

@Test func labelsFileLoadsAllListedRecordsWithTheirLabels() throws {
    var progressCalls: [(Int, Int)] = []
    let options = DatasetLoadOptions(workers: 2, progress: { progressCalls.append(($0, $1)) })
    let dataset = try Dataset.labelsFile(TestPaths.shared("labels.csv").path, options: options)
    #expect(dataset.count == 193)
    #expect(counts(dataset) == [29, 164, 0])
    #expect(dataset.skipped.isEmpty)
    #expect(dataset.names.first == "JS00001")
    // Progress after every batch of two, ending at (193, 193).
    #expect(progressCalls.count == 97)
    #expect(progressCalls.last.map { [$0.0, $0.1] } == [193, 193])
    // Per data set, as in the table of shared/data/README.md.
    let expected: [String: [Int]] = ["cpsc2018/": [15, 105], "cpsc2018_extra/": [0, 10], "ptbxl/": [13, 8],
                                     "chapman_shaoxing/": [1, 9], "ningbo/": [0, 30], "ptb": [0, 2]]
    for (folder, numbers) in expected {
        let indices = dataset.records.indices.filter {
            let source = dataset.records[$0].source
            return folder == "ptb" ? (source.contains("/ptb/") || source.contains("s0010_re")) : source.contains("/\(folder)")
        }
        let labels = indices.map { dataset.labels[$0] }
        #expect([labels.filter { $0 == 0 }.count, labels.filter { $0 == 1 }.count] == numbers, "\(folder)")
    }
    // 106 records are exactly 10 s at 500 Hz with 12 leads (23 normal, 83 abnormal).
    let tenSeconds = dataset.records.indices.filter {
        let r = dataset.records[$0]
        return r.samplingRate == 500 && r.sampleCount == 5000 && r.leadCount == 12
    }
    #expect(tenSeconds.count == 106)
    #expect(tenSeconds.filter { dataset.labels[$0] == 0 }.count == 23)
}

@Test func challengeFoldersAreLabelledFromDx() throws {
    let expected: [String: [Int]] = ["cpsc2018": [15, 105], "cpsc2018_extra": [0, 10], "chapman_shaoxing": [1, 9],
                                     "ningbo": [0, 30], "ptb": [0, 1]]
    for (folder, numbers) in expected {
        let dataset = try Dataset.challenge(TestPaths.shared("ecg12/" + folder).path)
        #expect(counts(dataset) == numbers + [0], "\(folder)")
        #expect(dataset.source.hasSuffix("(labels from #Dx)"))
    }
    let cpsc = try Dataset.challenge(TestPaths.shared("ecg12/cpsc2018").path)
    #expect(try cpsc.filtered(where: "AF").count == 19)   // 15 AF + 4 AF,RBBB among A0001-A0120
    #expect(try cpsc.filtered(where: "normal").names == cpsc.filtered(where: "Normal").names)
    #expect(try cpsc.filtered(where: "abnormal").count == 105)
}

@Test func ptbxlBuilderFollowsTheRules() throws {
    let folder = TestPaths.shared("ecg12/ptbxl").path
    let database = folder + "/ptbxl_database_subset.csv", statements = folder + "/scp_statements.csv"
    let strict = try Dataset.ptbxl(folder, database: database, statements: statements, rule: .strict)
    #expect(strict.count == 21)
    #expect(counts(strict) == [13, 8, 0])
    #expect(strict.names.contains("00001_lr") && strict.names.contains("HR06009"))
    // The README: exactly-{NORM} superclasses also call HR00001 / 00001_lr, HR00002, HR06000, HR06003 normal.
    let onlyNorm = try Dataset.ptbxl(folder, database: database, statements: statements, rule: .onlyNorm)
    #expect(counts(onlyNorm) == [18, 3, 0])
    // "NORM" selects records whose diagnostic superclasses include NORM (the reference training set).
    let includes = try Dataset.ptbxl(folder, database: database, statements: statements, rule: .includesNorm)
    let norm = try includes.filtered(where: "NORM")
    #expect(norm.count == includes.labelCounts.normal)
    #expect(norm.labels.allSatisfy { $0 == 0 })
    #expect(includes.diagnoses[includes.names.firstIndex(of: "HR00001") ?? 0] == ["LVOLT", "NORM", "SR", "NORM"])
    #expect { try Dataset.ptbxl(folder, rule: .strict) } throws: { "\($0)".contains("ptbxl_database.csv: no such file") }
}

@Test func folderBuilderFindsRecordsAndReportsWhatItSkipped() throws {
    let folder = TestPaths.shared("wfdb/sample-data").path
    // 1003 and 12726 are header-only (their signal files were too large for the snapshot).
    #expect { try Dataset.folder(folder) } throws: { "\($0)".hasSuffix("sample-data/1003.dat: signal file not found") }
    let dataset = try Dataset.folder(folder, options: DatasetLoadOptions(skipUnreadable: true))
    #expect(dataset.names.contains("100") && dataset.names.contains("s0010_re"))
    #expect(!dataset.skipped.isEmpty)
    #expect(dataset.skipped.count == 2 && dataset.skipped[0].hasSuffix("1003.hea: \(folder)/1003.dat: signal file not found"), "\(dataset.skipped)")
    #expect(counts(dataset) == [0, 0, dataset.count])
    // With 12 leads required, only the PTB record remains among these.
    let twelve = try Dataset.folder(folder, options: DatasetLoadOptions(skipUnreadable: true, requireStandardLeads: true))
    #expect(twelve.names == ["s0010_re"])
    #expect(twelve.skipped.contains { $0.contains("100.hea: 100: fewer than 12 standard leads: missing I") })
}

@Test func emptyAndMissingFoldersAreErrors() throws {
    let empty = try temporaryFolder("empty")
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect { try Dataset.folder(empty.path) } throws: {
        "\($0)" == "\(empty.path): no records (.hea or .npy files) in this folder (not searched below it; ask for recursive)"
    }
    #expect { try Dataset.folder(empty.path, recursive: true) } throws: { "\($0)".hasSuffix("in this folder or below it") }
    #expect { try Dataset.folder(empty.path + "/nope") } throws: { "\($0)".hasSuffix("nope: no such folder") }
    let csv = empty.appendingPathComponent("labels.csv")
    try "record,label\n".write(to: csv, atomically: true, encoding: .utf8)
    #expect { try Dataset.labelsFile(csv.path) } throws: { "\($0)".hasSuffix("labels.csv: the labels file lists no records") }
    try "record,label\nmissing/X0001,1\n".write(to: csv, atomically: true, encoding: .utf8)
    #expect { try Dataset.labelsFile(csv.path) } throws: { "\($0)".contains("missing/X0001: no such file or record") }
    let cpsc = try Dataset.challenge(TestPaths.shared("ecg12/cpsc2018_extra").path)
    #expect { try cpsc.filtered(where: "NROM") } throws: { "\($0)".hasPrefix("filter 'NROM': no record has this diagnosis") }
}

@Test func cancellationStopsLoadingAndPropagates() throws {
    struct Stop: Error {}
    var checks = 0
    let options = DatasetLoadOptions(checkCancellation: {
        checks += 1
        if checks == 4 { throw Stop() }
    })
    #expect(throws: Stop.self) { try Dataset.challenge(TestPaths.shared("ecg12/cpsc2018").path, options: options) }
    #expect(checks == 4)   // three records were read, then the fourth check stopped it
}

@Test func splitIsSeededDisjointAndRoundsValidationUp() throws {
    let dataset = try Dataset.challenge(TestPaths.shared("ecg12/cpsc2018").path)
    let split = try #require(try dataset.split(validationFraction: 0.2, seed: 42).split)
    #expect(split.validation.count == 24 && split.training.count == 96)
    #expect(Set(split.validation).isDisjoint(with: split.training))
    #expect((split.validation + split.training).sorted() == Array(0..<120))
    #expect(try dataset.split(validationFraction: 0.2, seed: 42).split == split)
    #expect(try dataset.split(validationFraction: 0.2, seed: 7).split?.validation != split.validation)
    // The permutation is RandomStream(seed: 42, stream: "split").permutation(120).
    var generator = RandomStream(seed: 42, stream: "split")
    let permutation = generator.permutation(120)
    #expect(split.validation == permutation.prefix(24).sorted())
    let odd = try dataset.subset(Array(0..<11)).split(validationFraction: 0.2, seed: 1).split
    #expect(odd?.validation.count == 3)   // ceil(2.2)
    let parts = try dataset.split(seed: 42)
    #expect(try parts.validationSet().names == split.validation.map { dataset.names[$0] })
    #expect(try parts.trainingSet().count == 96)
    #expect { try dataset.trainingSet() } throws: { "\($0)".contains("has not been split") }
    #expect { try dataset.split(validationFraction: 1) } throws: { "\($0)" == "split: validation fraction must be in [0, 1), got 1.0" }
    #expect { try dataset.subset([0]).split(validationFraction: 0.5) } throws: { "\($0)".contains("leave no training records") }
}

@Test func windowsHaveTheReferenceCountsAndExactContents() throws {
    let paths = ["ecg12/ptbxl/HR00001", "ecg12/cpsc2018/A0001"]
    let records = try paths.map { try RecordLoader.load(TestPaths.shared($0).path).preprocessed(mains: 50) }
    let dataset = Dataset(source: "test", records: records, labels: [1, 1])
    let scoring = try dataset.windows(length: 500, stride: 250, layout: .timeByLeads)
    #expect(scoring.count == 38 && scoring.shape == [38, 500, 12])
    #expect(scoring.recordIndices == Array(repeating: 0, count: 19) + Array(repeating: 1, count: 19))
    #expect(scoring.starts.prefix(19) == ArraySlice(Array(stride(from: 0, through: 4500, by: 250))))
    let training = try dataset.windows(length: 500, stride: 125, layout: .leadsByTime)
    #expect(training.count == 74 && training.shape == [74, 12, 500])
    #expect(training.leadCount == 12 && scoring.leadCount == 12)
    // Window 40 of the stride-125 set is record 1 (37 windows per record) from sample 375.
    for lead in [0, 5, 11] {
        for offset in [0, 1, 250, 499] {
            let expected = Float(records[1].samples[lead * 5000 + 375 + offset])
            #expect(training.values[40 * 6000 + lead * 500 + offset] == expected)
        }
    }
    let window = 19 + 7   // record 1, start 1750
    for lead in [0, 6] {
        for offset in [0, 123, 499] {
            #expect(scoring.values[window * 6000 + offset * 12 + lead] == Float(records[1].samples[lead * 5000 + 1750 + offset]))
        }
    }
    let stored = try dataset.windowed(length: 500, stride: 250)
    #expect(stored.windowSet == scoring)
    let subset = try dataset.windows(records: [1])
    #expect(subset.values == Array(scoring.values[(19 * 6000)...]))
    #expect { try dataset.windows(length: 0) } throws: { "\($0)".contains("length and stride must be positive") }
    let mixed = Dataset(source: "test", records: [records[0], try RecordLoader.load(TestPaths.shared("wfdb/sample-data/100").path)])
    #expect { try mixed.windows() } throws: { "\($0)".contains("record 100 has 2 leads, the first has 12") }
}

@Test func loadingWithPreprocessingEqualsPreprocessingAfterwards() throws {
    let folder = TestPaths.shared("ecg12/chapman_shaoxing").path
    let raw = try Dataset.challenge(folder)
    let onTheFly = try Dataset.challenge(folder, options: DatasetLoadOptions(preprocessing: .reference, workers: 2))
    let afterwards = try raw.preprocessed(.reference, workers: 2)
    #expect(onTheFly.records == afterwards.records)
    #expect(onTheFly.records.allSatisfy { $0.sampleCount == 5000 && $0.provenance.count == 5 })
    #expect(onTheFly.labels == raw.labels)
}

@Test func folderLabelsCanComeFromATable() throws {
    let table = try LabelTable(csv: TestPaths.shared("labels.csv"))
    let dataset = try Dataset.folder(TestPaths.shared("ecg12/ptbxl").path, recursive: true, labels: .table(table))
    #expect(dataset.count == 21)
    #expect(counts(dataset) == [13, 8, 0])
    #expect(dataset.source.hasSuffix("(recursive) (labels from a table)"))
    // Layout names from Signal and ECGKit are the same type.
    let layout: Signal.WindowLayout = WindowLayout.leadsByTime
    #expect(layout == .leadsByTime)
}
