// Matching recorded lead names to the canonical 12-lead order, case-insensitively
// (PTB-XL writes AVR, MIMIC-IV puts aVF before aVL).

/// Errors when a record cannot be put in canonical 12-lead order.
public struct LeadOrderError: Error, CustomStringConvertible, Sendable, Equatable {
    public var record: String
    public var missing: [String]
    public var found: [String]
    public var description: String {
        "\(record): fewer than 12 standard leads: missing \(missing.joined(separator: ", ")) "
            + "(found \(found.joined(separator: ", ")))"
    }
}

public enum LeadOrder {
    /// The key a lead name matches by: lower case, without spaces, "-" and "_".
    static func key(_ name: String) -> String {
        name.lowercased().filter { !" -_".contains($0) }
    }

    /// For each canonical lead, the index of the matching lead in `names`, or nil.
    public static func canonicalIndices(of names: [String]) -> [Int?] {
        let keys = names.map(key)
        return canonicalLeadNames.map { keys.firstIndex(of: key($0)) }
    }

    /// The rows of `names` with the 12 standard leads first, in canonical order, then the `others` in
    /// their recorded order; nil when a standard lead is missing.
    static func standardFirst(_ names: [String]) -> (order: [Int], others: [Int])? {
        let standard = canonicalIndices(of: names).compactMap { $0 }
        guard standard.count == canonicalLeadNames.count else { return nil }
        let others = names.indices.filter { !standard.contains($0) }
        return (standard + others, others)
    }

    /// The record with exactly the 12 standard leads in canonical order and canonical names.
    /// Throws `LeadOrderError` naming the missing leads.
    public static func canonical(_ record: Record) throws -> Record {
        let indices = canonicalIndices(of: record.leadNames)
        let missing = zip(canonicalLeadNames, indices).compactMap { $1 == nil ? $0 : nil }
        guard missing.isEmpty else {
            throw LeadOrderError(record: record.name, missing: missing, found: record.leadNames)
        }
        let order = indices.compactMap { $0 }
        if order == Array(0..<12) && record.leadNames == canonicalLeadNames { return record }
        var reordered = record.selectingLeads(order)
        reordered.leadNames = canonicalLeadNames
        return reordered
    }
}
