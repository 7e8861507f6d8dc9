// Putting the 12 standard leads of a record first in canonical order, and requiring exactly them
// (the models' input is [12, T] in the order I, II, III, aVR, aVL, aVF, V1-V6).

extension Record {
    /// True when every one of the 12 standard leads is present (names compared case-insensitively).
    public var hasStandardLeads: Bool {
        LeadOrder.canonicalIndices(of: leadNames).allSatisfy { $0 != nil }
    }

    /// The 12 standard leads first, in canonical order with canonical names, then any other leads in
    /// their recorded order; the record unchanged when a standard lead is missing. Loading applies it.
    public func standardLeadsFirst() -> Record {
        guard let standard = LeadOrder.standardFirst(leadNames) else { return self }
        if standard.order == Array(0..<leadCount) && Array(leadNames.prefix(12)) == canonicalLeadNames { return self }
        var reordered = selectingLeads(standard.order)
        reordered.leadNames = canonicalLeadNames + standard.others.map { leadNames[$0] }
        return reordered
    }

    /// `[L, T] -> [12, T]`: exactly the 12 standard leads in canonical order, as the models need.
    /// - Throws: `LeadOrderError` naming the missing leads, e.g.
    ///   `100: fewer than 12 standard leads: missing I, II, III, ... (found MLII, V5)`.
    public func requiringStandardLeads() throws -> Record {
        try LeadOrder.canonical(self)
    }
}
