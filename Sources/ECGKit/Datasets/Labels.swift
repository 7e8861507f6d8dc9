// Normal-vs-anomalous labels from the sources real datasets provide: a labels CSV,
// PTB-XL's scp_codes with scp_statements.csv, and PhysioNet/CinC Challenge `#Dx:` lines.
import Foundation
import SwiftCSV

/// Errors reading label sources; each names the file and what was expected.
public struct LabelError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

/// Labels listed in a CSV file with at least the columns `record` and `label` (0 normal, 1 anomalous).
public struct LabelTable: Sendable {
    /// Record path (as written in the file) -> label.
    public var labels: [String: Int]
    /// Record paths in file order.
    public var records: [String]

    public init(csv url: URL) throws {
        let csv: CSV<Named>
        do {
            csv = try CSV<Named>(url: url, delimiter: .comma)
        } catch {
            throw LabelError(file: url.path, message: "not a readable CSV file (\(error))")
        }
        guard csv.header.contains("record"), csv.header.contains("label") else {
            throw LabelError(file: url.path,
                             message: "expected columns 'record' and 'label', found \(csv.header.joined(separator: ", "))")
        }
        var labels: [String: Int] = [:]
        var records: [String] = []
        for (row, fields) in csv.rows.enumerated() {
            let value = fields["label"]?.trimmingCharacters(in: .whitespaces) ?? ""
            guard let label = Int(value), label == 0 || label == 1 else {
                throw LabelError(file: url.path, message: "line \(row + 2): label must be 0 or 1, got '\(value)'")
            }
            let record = fields["record", default: ""]
            if labels.updateValue(label, forKey: record) == nil { records.append(record) }
        }
        self.labels = labels
        self.records = records
    }

    /// The label of a record, matched by its path or, failing that, by its last path component.
    public func label(for record: String) -> Int? {
        if let l = labels[record] { return l }
        let name = (record as NSString).lastPathComponent
        return labels.first { ($0.key as NSString).lastPathComponent == name }?.value
    }
}

/// PTB-XL's annotation: `ptbxl_database.csv` (scp_codes per ecg_id) and `scp_statements.csv`
/// (which statements are diagnostic and their superclass NORM/MI/STTC/CD/HYP).
/// Wagner et al., "PTB-XL, a large publicly available electrocardiography dataset", Sci Data 2020.
public struct PTBXLAnnotation: Sendable {
    /// ecg_id -> SCP statement codes with their likelihoods.
    public var codes: [Int: [String: Double]]
    /// SCP code -> diagnostic superclass, for diagnostic statements only.
    public var superclassOf: [String: String]

    /// How to call a PTB-XL record normal.
    public enum Rule: String, Sendable {
        /// Its diagnostic superclasses include NORM (the reference training selection).
        case includesNorm = "norm"
        /// Its diagnostic superclasses are exactly {NORM} (the usual benchmark rule).
        case onlyNorm = "only-norm"
        /// All its statements (diagnostic, form and rhythm) are NORM or SR, NORM among them:
        /// "nothing but a normal sinus ECG".
        case strict = "strict"
    }

    public init(database: URL, statements: URL) throws {
        let db: CSV<Named>, st: CSV<Named>
        do {
            db = try CSV<Named>(url: database, delimiter: .comma)
            st = try CSV<Named>(url: statements, delimiter: .comma)
        } catch {
            throw LabelError(file: database.path, message: "not a readable CSV file (\(error))")
        }
        guard db.header.contains("ecg_id"), db.header.contains("scp_codes") else {
            throw LabelError(file: database.path, message: "expected columns 'ecg_id' and 'scp_codes'")
        }
        guard let codeColumn = st.header.first, st.header.contains("diagnostic"),
              st.header.contains("diagnostic_class") else {
            throw LabelError(file: statements.path, message: "expected columns 'diagnostic' and 'diagnostic_class'")
        }
        var superclassOf: [String: String] = [:]
        for row in st.rows where (Double(row["diagnostic"] ?? "") ?? 0) == 1 {
            if let code = row[codeColumn], let cls = row["diagnostic_class"], !cls.isEmpty {
                superclassOf[code] = cls
            }
        }
        var codes: [Int: [String: Double]] = [:]
        for (line, row) in db.rows.enumerated() {
            guard let id = Int(row["ecg_id"] ?? "") ?? Double(row["ecg_id"] ?? "").map({ Int($0) }) else {
                throw LabelError(file: database.path, message: "line \(line + 2): ecg_id is not a number")
            }
            codes[id] = Self.parseCodes(row["scp_codes"] ?? "")
        }
        self.codes = codes
        self.superclassOf = superclassOf
    }

    /// Parses a Python dict literal such as `{'NORM': 100.0, 'SR': 0.0}`.
    static func parseCodes(_ text: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for entry in text.trimmingCharacters(in: CharacterSet(charactersIn: "{} ")).split(separator: ",") {
            let parts = entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
            result[key] = Double(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return result
    }

    /// The diagnostic superclasses of a record.
    public func superclasses(ecgID: Int) -> Set<String> {
        Set((codes[ecgID] ?? [:]).keys.compactMap { superclassOf[$0] })
    }

    /// 0 (normal) or 1 under `rule`; nil when the ecg_id is not in the database.
    public func label(ecgID: Int, rule: Rule = .includesNorm) -> Int? {
        guard codes[ecgID] != nil else { return nil }
        let classes = superclasses(ecgID: ecgID)
        switch rule {
        case .includesNorm: return classes.contains("NORM") ? 0 : 1
        case .onlyNorm: return classes == ["NORM"] ? 0 : 1
        case .strict:
            let statements = Set((codes[ecgID] ?? [:]).keys)
            return statements.contains("NORM") && statements.isSubset(of: ["NORM", "SR"]) ? 0 : 1
        }
    }

    /// The ecg_id of a PTB-XL record name: native `00001_hr`/`00001_lr`, or the Challenge
    /// copies `HR00001`.
    public static func ecgID(recordName name: String) -> Int? {
        let base = (name as NSString).lastPathComponent
        if base.hasPrefix("HR"), let id = Int(base.dropFirst(2)) { return id }
        if let underscore = base.firstIndex(of: "_"), let id = Int(base[..<underscore]) { return id }
        return nil
    }
}

/// PhysioNet/CinC Challenge 2020/2021 diagnoses from a header's `Dx` comment.
public enum ChallengeDiagnosis {
    /// SNOMED CT code of sinus rhythm.
    public static let sinusRhythm = "426783006"

    /// The diagnosis codes or abbreviations of `#Dx: a,b,c`.
    public static func codes(_ record: Record) -> [String]? {
        record.comment("Dx").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    /// 0 when the record is a normal sinus ECG and nothing else (SNOMED {426783006}, or the
    /// 2020 CPSC abbreviation "Normal"), 1 otherwise; nil without a Dx line.
    public static func label(_ record: Record) -> Int? {
        guard let codes = codes(record), !codes.isEmpty else { return nil }
        return codes == [sinusRhythm] || codes == ["Normal"] ? 0 : 1
    }
}
