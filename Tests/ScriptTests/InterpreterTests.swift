// Interpreter: transactions, argument checking against parameter lists, the seed streams,
// the history record, and a domain value plugged in through ScriptObject and CommandSpec.
import Commands
import Script
import Testing

/// A small domain value like the ones later layers add (a vector of numbers).
private struct Vector: ScriptObject {
    var elements: [Double]
    var typeName: String { "vector" }
    var summary: String { "vector [\(elements.count)]" }
    var fieldNames: [String] { ["count", "first"] }
    var shapeDescription: String { "[\(elements.count)]" }
    var byteCount: Int { elements.count * 8 }
    var numericElements: [Double]? { elements }
    var length: Int? { elements.count }

    func field(named name: String) throws -> Value {
        switch name {
        case "count": return .number(Double(elements.count))
        case "first": return .number(elements.first ?? .nan)
        default: throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
        }
    }

    func index(_ subscripts: [Subscript]) throws -> Value {
        guard subscripts.count == 1 else { throw ScriptError("vector takes one subscript") }
        switch subscripts[0] {
        case .index(let position): return .number(elements[try Subscript.resolve(index: position, count: elements.count)])
        case .slice(let start, let stop, let step):
            let positions = try Subscript.resolve(start: start, stop: stop, step: step, count: elements.count)
            return .object(Vector(elements: positions.map { elements[$0] }))
        case .key(let name): throw ScriptError("vector has no part named \(name)")
        }
    }

    func binary(_ operation: BinaryOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        guard case .number(let number) = other else { return nil }
        switch operation {
        case .multiply: return .object(Vector(elements: elements.map { $0 * number }))
        case .subtract: return .object(Vector(elements: elements.map { selfOnLeft ? $0 - number : number - $0 }))
        default: return nil
        }
    }

    func map(_ functionName: String, _ function: (Double) -> Double) throws -> Value? {
        .object(Vector(elements: elements.map(function)))
    }

    func show() -> String { elements.map(formatNumber).joined(separator: "\n") }
}

/// A factor that knows how to scale vectors, so `vector * factor` is decided by the right operand.
private struct Factor: ScriptObject {
    var value: Double
    var typeName: String { "factor" }
    var summary: String { "factor \(formatNumber(value))" }
    func binary(_ operation: BinaryOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        guard operation == .multiply, case .object(let object) = other, let vector = object as? Vector else { return nil }
        return .object(Vector(elements: vector.elements.map { $0 * value }))
    }
}

private func vectorLibrary() -> CommandLibrary {
    CommandLibrary(name: "vectors", commands: [
        CommandSpec(
            name: "vec", topic: "vectors", summary: "A vector of n draws from the session's random streams.",
            example: "v = vec(3)",
            parameters: [
                Parameter("n", .integer, .required, "length"),
                Parameter("scale", .number, .optional(defaultValue: .number(1)), "multiplier"),
                Parameter("method", .choice(["uniform", "sequence"]), .optional(defaultValue: .string("sequence")), "how"),
            ],
            returns: "vector",
            handler: { arguments, interpreter in
                let n = try arguments.integer("n")
                let scale = try arguments.number("scale")
                if n < 0 { throw ScriptError("length must be 0 or more, got \(n)", argument: "n") }
                let values: [Double]
                if try arguments.string("method") == "uniform" {
                    values = (0..<n).map { _ in Double(interpreter.nextRandomSeed() >> 11) / Double(1 << 53) * scale }
                } else {
                    values = (0..<n).map { Double($0) * scale }
                }
                return .object(Vector(elements: values))
            }),
        CommandSpec(
            name: "factor", topic: "vectors", summary: "A scaling factor.", example: "f = factor(2)",
            parameters: [Parameter("value", .number)], returns: "factor",
            handler: { arguments, _ in .object(Factor(value: try arguments.number("value"))) }),
    ], topics: [HelpTopic(name: "vector", summary: "A test vector.", text: "vector: numbers in a row.")])
}

private func makeInterpreter() -> (Interpreter, CapturedOutput) {
    let output = CapturedOutput()
    let registry = CommandRegistry(libraries: allCommandLibraries() + [vectorLibrary()])
    return (Interpreter(registry: registry, output: output), output)
}

/// Runs statements; returns printed output, or the first error message prefixed "error: ".
private func run(_ interpreter: Interpreter, _ output: CapturedOutput, _ text: String) -> String {
    do {
        try interpreter.run(Source(name: "t.ecgs", text: text))
        return output.take().trimmingSuffix()
    } catch let failure as ScriptFailure {
        _ = output.take()
        return "error: " + (failure.diagnostics.first?.message ?? "")
    } catch {
        return "error: \(error)"
    }
}

extension String {
    fileprivate func trimmingSuffix() -> String { hasSuffix("\n") ? String(dropLast()) : self }
}

@Test func failingStatementRestoresVariablesAndRandomState() {
    let (interpreter, output) = makeInterpreter()
    _ = run(interpreter, output, "a = 1; v = vec(2, method=\"uniform\")")
    let before = run(interpreter, output, "w = vec(3, method=\"uniform\"); w[0]")
    // The failing statement draws from the random streams before it fails...
    _ = run(interpreter, output, "w = vec(3, method=\"uniform\"); w = [vec(1, method=\"uniform\"), nope]")
    #expect(interpreter.variables["w"] != nil)
    // ...and a replay of the first statement from the same state gives the same draw.
    let interpreter2 = makeInterpreter()
    _ = run(interpreter2.0, interpreter2.1, "a = 1; v = vec(2, method=\"uniform\")")
    let replay = run(interpreter2.0, interpreter2.1, "w = vec(3, method=\"uniform\"); w[0]")
    #expect(before == replay)
    #expect(run(interpreter, output, "a = a + nothing_here") == "error: undefined name 'nothing_here'")
    #expect(run(interpreter, output, "a") == "1")
}

@Test func randomStreamsDependOnlyOnSeedAndOrder() {
    let (first, firstOutput) = makeInterpreter()
    let (second, secondOutput) = makeInterpreter()
    let text = "seed 7; a = vec(2, method=\"uniform\"); b = vec(2, method=\"uniform\"); show a; show b"
    let one = run(first, firstOutput, text)
    #expect(one == run(second, secondOutput, text))
    let lines = one.split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[0] != lines[2], "successive draws must differ")
    #expect(run(first, firstOutput, "seed 8; show vec(2, method=\"uniform\")") != lines[0...1].joined(separator: "\n"))
}

@Test func argumentCheckingMessages() {
    let (interpreter, output) = makeInterpreter()
    let cases: [(String, String)] = [
        ("vec(\"3\")", "error: bad argument #1 to 'vec' (integer expected, got string)"),
        ("vec(3, \"x\")", "error: bad argument #2 to 'vec' (number expected, got string)"),
        ("vec(3, scale=\"x\")", "error: bad argument 'scale' to 'vec' (number expected, got string)"),
        ("vec(3, scael=2)", "error: unknown named argument 'scael' to 'vec'; did you mean 'scale'?"),
        ("vec()", "error: missing argument #1 'n' to 'vec' (vec(n, scale=1, method=\"sequence\") -> vector)"),
        ("vec(1, 2, \"uniform\", 4)", "error: too many arguments to 'vec' (it takes at most 3)"),
        ("vec(3, method=\"unifrom\")",
         "error: bad argument 'method' to 'vec' (\"uniform\"|\"sequence\" expected, got \"unifrom\"; did you mean \"uniform\"?)"),
        ("vec(-1)", "error: vec: length must be 0 or more, got -1"),
        ("vec(3) |> vec", "error: bad argument #1 to 'vec' (integer expected, got vector)"),
    ]
    for (text, expected) in cases {
        #expect(run(interpreter, output, text) == expected, "\(text)")
    }
}

@Test func handlerErrorsPointAtTheirArgument() throws {
    let (interpreter, _) = makeInterpreter()
    let source = Source(name: "t.ecgs", text: "x = vec(-1, scale=2)")
    do {
        try interpreter.run(source)
        Issue.record("expected an error")
    } catch let failure as ScriptFailure {
        let diagnostic = try #require(failure.diagnostics.first)
        #expect(diagnostic.location == "t.ecgs:1:9")
        #expect(diagnostic.render().hasSuffix("x = vec(-1, scale=2)\n        ^~"))
    }
}

@Test func domainObjectsPlugIn() {
    let (interpreter, output) = makeInterpreter()
    let cases: [(String, String)] = [
        ("v = vec(4, scale=0.5); v", "vector [4]"),
        ("v.count", "4"),
        ("v.first", "0"),
        ("v.cuont", "error: no field 'cuont' in vector; did you mean 'count'?"),
        ("v[-1]", "1.5"),
        ("v[1:3] |> show", "0.5\n1"),
        ("(v * 2)[3]", "3"),
        ("(10 - v)[1]", "9.5"),
        ("v + 1", "error: cannot apply '+' to vector and number"),
        ("(v * factor(4))[1]", "2"),
        ("(factor(4) * v)[3]", "6"),
        ("factor(2) + v", "error: cannot apply '+' to factor and vector"),
        ("sum(v)", "3"),
        ("mean(v)", "0.75"),
        ("len(v)", "4"),
        ("sqrt(v * 2)[2]", "1.414214"),
        ("type(v)", "\"vector\""),
        ("whos", "Name  Type    Shape  Bytes\nv     vector  [4]       32\n1 variable, 32 bytes"),
    ]
    for (text, expected) in cases {
        #expect(run(interpreter, output, text) == expected, "\(text)")
    }
}

@Test func historyRecordsOnlySucceededReplayableStatements() {
    let (interpreter, output) = makeInterpreter()
    _ = run(interpreter, output, "a = 1")
    _ = run(interpreter, output, "b = zz")
    _ = run(interpreter, output, "whos")
    _ = run(interpreter, output, "help seed")
    _ = run(interpreter, output, "seed 3; c = a +\n  1")
    #expect(interpreter.history == ["a = 1", "seed 3", "c = a +\n  1"])
}

@Test func helpListsEveryCommandGroupedByTopic() {
    let (interpreter, output) = makeInterpreter()
    let text = run(interpreter, output, "help")
    for command in interpreter.registry.commands {
        #expect(text.contains("  \(command.name) "), "\(command.name) missing from help")
    }
    #expect(text.contains("session:\n"))
    #expect(text.contains("vectors:\n  vec"))
    #expect(text.contains("types:\n"))
    #expect(run(interpreter, output, "help vector") == "vector: numbers in a row.")
}

@Test func editDistanceAndSuggestions() {
    #expect(editDistance("kitten", "sitting") == 3)
    #expect(editDistance("", "abc") == 3)
    #expect(editDistance("cuont", "count") == 1)
    #expect(editDistance("ca", "abc") == 3)
    #expect(nearestName(to: "zq_unii", in: ["zq_uni", "zq"]) == "zq_uni")
    #expect(nearestName(to: "bandpas", in: ["bandpass", "notch"]) == "bandpass")
    #expect(nearestName(to: "xyz", in: ["bandpass"]) == nil)
}

@Test func slicesFollowPythonSemantics() throws {
    func positions(_ start: Int?, _ stop: Int?, _ step: Int?, _ count: Int) throws -> [Int] {
        Array(try Subscript.resolve(start: start, stop: stop, step: step, count: count))
    }
    // Expected values are Python's list(range(n))[start:stop:step].
    #expect(try positions(nil, nil, nil, 5) == [0, 1, 2, 3, 4])
    #expect(try positions(1, -1, nil, 5) == [1, 2, 3])
    #expect(try positions(nil, nil, -1, 5) == [4, 3, 2, 1, 0])
    #expect(try positions(-2, nil, -2, 5) == [3, 1])
    #expect(try positions(10, 2, -3, 8) == [7, 4])
    #expect(try positions(-100, 100, 3, 5) == [0, 3])
    #expect(try positions(3, 1, nil, 5) == [])
    #expect(try Subscript.resolve(index: -1, count: 3) == 2)
}
