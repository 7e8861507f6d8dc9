// CommandRegistry: the one table of commands and help topics, composed from libraries.
// Help listings, `help NAME`, suggestions and docs/commands.md are rendered from it.

import Foundation

/// A group of commands and help topics a layer contributes (`core`, `signal`, `model` …).
public struct CommandLibrary {
    public var name: String
    public var commands: [CommandSpec]
    public var topics: [HelpTopic]

    public init(name: String, commands: [CommandSpec], topics: [HelpTopic] = []) {
        self.name = name
        self.commands = commands
        self.topics = topics
    }
}

/// All commands and help topics of a session, in registration order.
public final class CommandRegistry {
    public private(set) var commands: [CommandSpec] = []
    public private(set) var topics: [HelpTopic] = []
    private var commandIndex: [String: Int] = [:]
    private var topicIndex: [String: Int] = [:]
    /// Names registered twice; the first registration wins. Tests assert this is empty.
    public private(set) var duplicates: [String] = []

    public init(libraries: [CommandLibrary]) {
        for library in libraries { add(library) }
    }

    /// Adds a library's commands and topics; a name seen before is recorded in `duplicates`.
    public func add(_ library: CommandLibrary) {
        for command in library.commands {
            if commandIndex[command.name] != nil {
                duplicates.append(command.name)
                continue
            }
            commandIndex[command.name] = commands.count
            commands.append(command)
        }
        for topic in library.topics {
            if topicIndex[topic.name] != nil {
                duplicates.append(topic.name)
                continue
            }
            topicIndex[topic.name] = topics.count
            topics.append(topic)
        }
    }

    /// The command with this name, if registered.
    public func command(named name: String) -> CommandSpec? { commandIndex[name].map { commands[$0] } }

    /// The type or topic documentation with this name, if registered.
    public func topic(named name: String) -> HelpTopic? { topicIndex[name].map { topics[$0] } }

    /// Names that may be used in command form (`seed 42`); the parser needs them.
    public var commandVerbs: Set<String> { Set(commands.filter(\.hasCommandForm).map(\.name)) }

    /// Command topics in order of first appearance.
    public var commandTopics: [String] {
        var seen: [String] = []
        for command in commands where !seen.contains(command.topic) { seen.append(command.topic) }
        return seen
    }

    // MARK: Help text

    /// `help` without arguments: every command grouped by topic, then the types and topics.
    public func listing() -> String {
        var lines: [String] = []
        let width = ((commands.map(\.name) + topics.map(\.name)).map(\.count).max() ?? 8) + 2
        for topic in commandTopics {
            lines.append("\(topic):")
            for command in commands where command.topic == topic {
                lines.append("  " + command.name.padding(toLength: width, withPad: " ", startingAt: 0) + command.summary)
            }
        }
        let types = topics.filter(\.isType)
        if !types.isEmpty {
            lines.append("types:")
            for topic in types {
                lines.append("  " + topic.name.padding(toLength: width, withPad: " ", startingAt: 0) + topic.summary)
            }
        }
        let guides = topics.filter { !$0.isType }
        if !guides.isEmpty {
            lines.append("topics:")
            for topic in guides {
                lines.append("  " + topic.name.padding(toLength: width, withPad: " ", startingAt: 0) + topic.summary)
            }
        }
        lines.append("Type 'help NAME' for a command, type or topic ('help language' for the syntax).")
        return lines.joined(separator: "\n")
    }

    /// `help NAME`: the command's signature, parameters with defaults and example, and/or the topic text.
    /// Nil when nothing has that name.
    public func help(for name: String) -> String? {
        var parts: [String] = []
        if let command = command(named: name) { parts.append(helpText(for: command)) }
        if let topic = topic(named: name) { parts.append(topic.text) }
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }

    private func helpText(for command: CommandSpec) -> String {
        var lines = [command.signature, "  " + command.summary]
        if !command.details.isEmpty {
            lines.append("")
            lines += command.details.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        if !command.parameters.isEmpty {
            lines.append("Parameters:")
            let nameWidth = (command.parameters.map(\.name.count).max() ?? 0) + 2
            let typeWidth = (command.parameters.map(\.type.displayName.count).max() ?? 0) + 2
            for parameter in command.parameters {
                var line = "  " + parameter.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                    + parameter.type.displayName.padding(toLength: typeWidth, withPad: " ", startingAt: 0)
                switch parameter.arity {
                case .required: break
                case .optional(let value): line += "(default \(value.value.summary)) "
                case .variadic: line += "(zero or more) "
                }
                lines.append(line + parameter.summary)
            }
        }
        if command.hasCommandForm {
            lines.append("Command form: '\(command.name) ARG ...' works without parentheses.")
        }
        lines.append("Example:")
        lines += command.example.split(separator: "\n").map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    /// The nearest command, topic or extra name (e.g. variables) to a misspelt one.
    public func suggestion(for name: String, extra: [String] = []) -> String? {
        nearestName(to: name, in: extra + commands.map(\.name) + topics.map(\.name))
    }

    // MARK: Markdown reference

    /// The command reference as Markdown (`docs/commands.md`), generated so it never drifts.
    public func markdown() -> String {
        var text = "# ecgs command reference\n\n"
        text += "Generated from the command registry by `ecgs --commands-markdown`; do not edit by hand.\n"
        for topic in commandTopics {
            text += "\n## \(topic)\n"
            for command in commands where command.topic == topic {
                text += "\n### `\(command.name)`\n\n`\(command.signature)`\n\n\(command.summary)\n"
                if !command.details.isEmpty { text += "\n\(command.details)\n" }
                if !command.parameters.isEmpty {
                    text += "\n| parameter | type | default | meaning |\n|---|---|---|---|\n"
                    for parameter in command.parameters {
                        let defaultText: String
                        switch parameter.arity {
                        case .required: defaultText = "required"
                        case .optional(let value): defaultText = "`\(value.value.summary)`"
                        case .variadic: defaultText = "zero or more"
                        }
                        let typeText = parameter.type.displayName.replacingOccurrences(of: "|", with: "\\|")
                        text += "| `\(parameter.name)` | \(typeText) | \(defaultText) | \(parameter.summary) |\n"
                    }
                }
                if command.hasCommandForm { text += "\nCommand form: `\(command.name) ARG ...`.\n" }
                text += "\nExample:\n\n```\n\(command.example)\n```\n"
            }
        }
        if !topics.isEmpty {
            text += "\n## Types and topics\n"
            for topic in topics {
                text += "\n### \(topic.name)\n\n\(topic.summary)\n\n```\n\(topic.text)\n```\n"
            }
        }
        return text
    }
}
