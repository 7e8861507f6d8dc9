// HelpTopic: documentation for a type or a language topic, looked up by `help NAME`.

/// The documentation `help NAME` shows for a value type (`tensor`, `record`) or a topic (`language`).
public struct HelpTopic: Sendable {
    public var name: String
    /// One line for listings.
    public var summary: String
    /// The full text.
    public var text: String
    /// True for value types (what `type(x)` returns), false for language topics.
    public var isType: Bool

    public init(name: String, summary: String, text: String, isType: Bool = true) {
        self.name = name
        self.summary = summary
        self.text = text
        self.isType = isType
    }
}
