// Math commands on numbers, lists and numeric objects: abs sqrt exp log round floor
// ceil (element-wise) and min max sum mean (reductions, along one tensor axis with axis=k).
import Foundation
import Script

/// Numeric functions (topic `math`). Element-wise ones map over lists and over objects
/// that implement `ScriptObject.map`; reductions use `ScriptObject.numericElements`.
public func mathCommands() -> CommandLibrary {
    let elementWise: [(String, String, String, (Double) -> Double)] = [
        ("abs", "Absolute value.", "abs(-3)    # 3", { Swift.abs($0) }),
        ("sqrt", "Square root (nan below 0).", "sqrt(16)   # 4", { $0.squareRoot() }),
        ("exp", "e raised to x.", "exp(1)     # 2.718282", { Foundation.exp($0) }),
        ("log", "Natural logarithm (nan below 0, -inf at 0).", "log(exp(2))   # 2", { Foundation.log($0) }),
        ("round", "Round to the nearest whole number, halves away from zero.", "round(2.5)   # 3",
         { $0.rounded(.toNearestOrAwayFromZero) }),
        ("floor", "Largest whole number not above x.", "floor(-1.5)  # -2", { $0.rounded(.down) }),
        ("ceil", "Smallest whole number not below x.", "ceil(1.2)    # 2", { $0.rounded(.up) }),
    ]
    var commands = elementWise.map { name, summary, example, function in
        CommandSpec(
            name: name, topic: "math", summary: summary,
            details: "Applies element-wise to lists and to numeric objects such as tensors.",
            example: example,
            parameters: [Parameter("x", .any, .required, "number, list of numbers or numeric object")],
            returns: "same as x",
            handler: { arguments, _ in try mapNumbers(arguments["x"], name: name, function) })
    }
    let reductions: [(String, String, String, ([Double]) -> Double)] = [
        ("sum", "Sum of the numbers (0 when empty).",
         "sum([1, 2, 3])   # 6\nsum(1, 2, 3)     # 6\nsum(tensor([[1, 2], [3, 4]]), axis=1)   # [3, 7]",
         { $0.reduce(0, +) }),
        ("mean", "Arithmetic mean of the numbers.",
         "mean([1, 2, 3, 4])   # 2.5\nmean(tensor([[1, 2], [3, 4]]), axis=0)   # [2, 3]",
         { $0.reduce(0, +) / Double($0.count) }),
        ("min", "Smallest of the numbers.",
         "min(3, 1, 2)     # 1\nmin([4, 5])      # 4\nmin(tensor([[1, 2], [3, 4]]), axis=1)   # [1, 3]",
         { $0.min() ?? .nan }),
        ("max", "Largest of the numbers.", "max(3, 1, 2)     # 3\nmax(tensor([[1, 2], [3, 4]]), axis=0)   # [3, 4]",
         { $0.max() ?? .nan }),
    ]
    commands += reductions.map { name, summary, example, reduce in
        CommandSpec(
            name: name, topic: "math", summary: summary,
            details: "Takes several numbers, one list of numbers, or one numeric object such as a tensor.\n"
                + "With axis=k (a tensor only) it reduces along that axis and returns a tensor.",
            example: example,
            parameters: [
                Parameter("values", .any, .variadic, "numbers, or one list or numeric object"),
                Parameter("axis", .integer, .optional(defaultValue: .none), "tensor axis to reduce along (negative from the end)"),
            ],
            returns: "number or tensor",
            handler: { arguments, _ in
                var values = try arguments.list("values")
                if arguments.isGiven("axis") {
                    guard values.count == 1, case .object(let object) = values[0], let tensor = object as? TensorValue else {
                        throw ScriptError("axis= needs one tensor, got \(values.map(\.typeName).joined(separator: ", "))",
                                          argument: "axis")
                    }
                    return try tensor.reduced(name, axis: try arguments.integer("axis"))
                }
                if values.count == 1 {
                    switch values[0] {
                    case .list(let items): values = items
                    case .object(let object):
                        guard let elements = object.numericElements else {
                            throw ScriptError("\(object.typeName) has no numeric elements", argument: "values")
                        }
                        return try reduced(name, elements, reduce)
                    default: break
                    }
                }
                var numbers: [Double] = []
                for (position, value) in values.enumerated() {
                    guard case .number(let number) = value else {
                        throw ScriptError("bad argument #\(position + 1) to '\(name)' (number expected, got \(value.typeName))",
                                          argument: "values", namesCommand: true)
                    }
                    numbers.append(number)
                }
                return try reduced(name, numbers, reduce)
            })
    }
    return CommandLibrary(name: "math", commands: commands)
}

private func reduced(_ name: String, _ numbers: [Double], _ reduce: ([Double]) -> Double) throws -> Value {
    if numbers.isEmpty, name != "sum" { throw ScriptError("\(name) of no values", argument: "values") }
    return .number(reduce(numbers))
}

/// Applies `function` to a number, to each number of a (nested) list, or through `ScriptObject.map`.
private func mapNumbers(_ value: Value, name: String, _ function: (Double) -> Double) throws -> Value {
    switch value {
    case .number(let number): return .number(function(number))
    case .list(let items): return .list(try items.map { try mapNumbers($0, name: name, function) })
    case .object(let object):
        if let result = try object.map(name, function) { return result }
        throw ScriptError("bad argument #1 to '\(name)' (number, list or numeric object expected, got \(object.typeName))",
                          argument: "x", namesCommand: true)
    default:
        throw ScriptError("bad argument #1 to '\(name)' (number or list expected, got \(value.typeName))",
                          argument: "x", namesCommand: true)
    }
}
