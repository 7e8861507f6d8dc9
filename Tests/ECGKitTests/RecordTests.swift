// Record basics: lead access, comments, and canonical lead ordering by name.
import Testing
@testable import ECGKit

func ramp(leads names: [String], samples: Int = 4) -> Record {
    let values = (0..<(names.count * samples)).map(Double.init)
    return Record(name: "r", samplingRate: 500, leadNames: names, units: names.map { _ in "mV" },
                  samples: values, sampleCount: samples, source: "test", sourceFormat: "synthetic",
                  comments: ["Age: 61", "# Dx: 426783006,164889003", "Sex: Female"])
}

@Test func leadsAreRowsOfTheSampleMatrix() {
    let r = ramp(leads: ["I", "II"], samples: 3)
    #expect(Array(r.lead(1)) == [3, 4, 5])
    #expect(r.leads == [[0, 1, 2], [3, 4, 5]])
    #expect(r.duration == 3.0 / 500)
}

@Test func commentsAreFoundByKeyWithOrWithoutSpaces() {
    let r = ramp(leads: ["I"])
    #expect(r.comment("dx") == "426783006,164889003")
    #expect(r.comment("Age") == "61")
    #expect(r.comment("Rx") == nil)
}

@Test func mimicOrderAndUpperCaseNamesAreReordered() throws {
    // MIMIC-IV-ECG order (aVF before aVL) with PTB-XL style upper case.
    let names = ["I", "II", "III", "AVR", "AVF", "AVL", "V1", "V2", "V3", "V4", "V5", "V6"]
    let r = try LeadOrder.canonical(ramp(leads: names, samples: 2))
    #expect(r.leadNames == canonicalLeadNames)
    #expect(Array(r.lead(4)) == [10, 11])   // aVL came from position 5
    #expect(Array(r.lead(5)) == [8, 9])     // aVF came from position 4
}

@Test func missingLeadsAreNamed() {
    #expect(throws: LeadOrderError.self) { try LeadOrder.canonical(ramp(leads: ["MLII", "V5"])) }
    do {
        _ = try LeadOrder.canonical(ramp(leads: ["I", "II", "III"]))
    } catch {
        #expect("\(error)".contains("missing aVR, aVL, aVF, V1"))
    }
}
