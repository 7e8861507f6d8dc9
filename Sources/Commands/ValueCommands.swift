// Value commands: type, len, range, str.
import Script

/// Commands about values themselves (topic `values`).
public func valueCommands() -> CommandLibrary {
    CommandLibrary(name: "values", commands: [
        CommandSpec(
            name: "type", topic: "values", summary: "The type name of a value; 'help TYPE' explains it.",
            example: "type(3)          # \"number\"\ntype([1, 2])     # \"list\"",
            parameters: [Parameter("value", .any)], returns: "string",
            handler: { arguments, _ in .string(arguments["value"].typeName) }),
        CommandSpec(
            name: "len", topic: "values", summary: "The number of items of a list, characters of a string, or rows of an object.",
            example: "len([1, 2, 3])   # 3\nlen(\"abc\")       # 3",
            parameters: [Parameter("value", .any)], returns: "number",
            handler: { arguments, _ in
                switch arguments["value"] {
                case .list(let items): return .number(Double(items.count))
                case .string(let text): return .number(Double(text.count))
                case .object(let object):
                    if let length = object.length { return .number(Double(length)) }
                    throw ScriptError("\(object.typeName) has no length", argument: "value")
                case let other:
                    throw ScriptError("bad argument #1 to 'len' (list, string or object expected, got \(other.typeName))",
                                      argument: "value", namesCommand: true)
                }
            }),
        CommandSpec(
            name: "range", topic: "values", summary: "Whole numbers from start up to (not including) stop, by step.",
            details: "range(n) is [0, 1, ..., n-1]; range(a, b) starts at a; a negative step counts down (Python's range).",
            example: "range(4)          # [0, 1, 2, 3]\nrange(1, 10, 3)   # [1, 4, 7]",
            parameters: [
                Parameter("start", .integer, .required, "first value, or the stop when alone"),
                Parameter("stop", .integer, .optional(defaultValue: .none), "end, not included"),
                Parameter("step", .integer, .optional(defaultValue: .number(1)), "increment, not 0"),
            ],
            returns: "list",
            handler: { arguments, interpreter in
                var start = try arguments.integer("start")
                var stop = 0
                if arguments.isGiven("stop") { stop = try arguments.integer("stop") } else { swap(&start, &stop) }
                let step = try arguments.integer("step")
                guard step != 0 else { throw ScriptError("step cannot be 0", argument: "step") }
                let count = step > 0 ? max(0, (stop - start + step - 1) / step) : max(0, (start - stop - step - 1) / -step)
                guard count <= 100_000_000 else {
                    throw ScriptError("range of \(count) values is too long (at most 100000000)")
                }
                var items: [Value] = []
                items.reserveCapacity(count)
                for value in stride(from: start, to: stop, by: step) {
                    if items.count % 65_536 == 0 { try interpreter.interruption.check() }
                    items.append(.number(Double(value)))
                }
                return .list(items)
            }),
        CommandSpec(
            name: "str", topic: "values", summary: "A value as text: numbers as the REPL prints them, strings unchanged.",
            example: "str(0.5) + \" s\"   # \"0.5 s\"",
            parameters: [Parameter("value", .any)], returns: "string",
            handler: { arguments, _ in .string(arguments["value"].printed) }),
    ])
}
