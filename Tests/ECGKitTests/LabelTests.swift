// Label rules checked against shared/data/labels.csv, which was derived independently
// from the same headers and PTB-XL annotations (see shared/data/README.md).
import Foundation
import Testing
import TestSupport
@testable import ECGKit

/// A record carrying only the `#` comment lines of a WFDB header.
func headerComments(_ relativePath: String) throws -> Record {
    let text = try String(contentsOf: TestPaths.shared(relativePath + ".hea"), encoding: .utf8)
    let comments = text.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("#") }.map(String.init)
    return Record(name: relativePath, samplingRate: 500, leadNames: [], units: [], samples: [],
                  sampleCount: 0, source: relativePath, sourceFormat: "wfdb", comments: comments)
}

@Test func challengeDxRuleMatchesTheLabelsFile() throws {
    let table = try LabelTable(csv: TestPaths.shared("labels.csv"))
    #expect(table.labels.count == 193)
    var checked = 0
    for (record, expected) in table.labels where record.hasPrefix("ecg12/") && !record.contains("ptbxl") {
        let r = try headerComments(record)
        #expect(ChallengeDiagnosis.label(r) == expected, "\(record)")
        checked += 1
    }
    #expect(checked == 171)
}

@Test func ptbxlStrictRuleMatchesTheLabelsFileAndTheLooserRulesDifferWhereDocumented() throws {
    let folder = TestPaths.shared("ecg12/ptbxl")
    let annotation = try PTBXLAnnotation(
        database: folder.appendingPathComponent("ptbxl_database_subset.csv"),
        statements: folder.appendingPathComponent("scp_statements.csv"))
    #expect(annotation.codes.count == 20)
    let table = try LabelTable(csv: TestPaths.shared("labels.csv"))
    var checked = 0
    for (record, expected) in table.labels where record.contains("ptbxl") {
        let id = try #require(PTBXLAnnotation.ecgID(recordName: record))
        #expect(annotation.label(ecgID: id, rule: .strict) == expected, "\(record)")
        checked += 1
    }
    #expect(checked == 21)
    // shared/data/README.md: the superclass-is-exactly-NORM rule also calls these normal.
    for id in [1, 2, 6000, 6003] {
        #expect(annotation.label(ecgID: id, rule: .strict) == 1)
        #expect(annotation.label(ecgID: id, rule: .onlyNorm) == 0)
    }
    #expect(annotation.superclasses(ecgID: 8).contains("MI"))
}

@Test func labelsAreFoundByPathOrName() throws {
    let table = try LabelTable(csv: TestPaths.shared("labels.csv"))
    #expect(table.label(for: "ecg12/cpsc2018/A0001") == 1)
    #expect(table.label(for: "/somewhere/else/A0001") == 1)
    #expect(table.label(for: "nope") == nil)
}

@Test func badLabelFilesNameTheProblem() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-labels-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let noLabel = dir.appendingPathComponent("a.csv")
    try "record,diagnosis\nA0001,1\n".write(to: noLabel, atomically: true, encoding: .utf8)
    #expect { try LabelTable(csv: noLabel) } throws: { "\($0)".contains("expected columns 'record' and 'label'") }
    let badValue = dir.appendingPathComponent("b.csv")
    try "record,label\nA0001,1\nA0002,yes\n".write(to: badValue, atomically: true, encoding: .utf8)
    #expect { try LabelTable(csv: badValue) } throws: { "\($0)".contains("line 3: label must be 0 or 1, got 'yes'") }
}
