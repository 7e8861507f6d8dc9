// Tensor commands (topic `tensor`): tensor zeros ones randn arange linspace shape reshape
// transpose stats, and the `help tensor` type documentation.
import Script
import TensorCore

/// Commands that create, reshape and summarise float32 tensors (topic `tensor`).
public func tensorCommands() -> CommandLibrary {
    let shapeParameter = Parameter("shape", .oneOf([.integer, .list]), .variadic, "sizes, as 2, 3 or [2, 3]")
    return CommandLibrary(name: "tensor", commands: [
        CommandSpec(
            name: "tensor", topic: "tensor", summary: "A float32 tensor from a number or nested lists of numbers.",
            details: "The shape comes from the nesting: [[1, 2], [3, 4]] is [2, 2]. Every list at one depth\n"
                + "must have the same length; a ragged list is an error naming the item.",
            example: "t = tensor([[1, 2, 3], [4, 5, 6]])\ntensor(2.5)",
            parameters: [Parameter("values", .oneOf([.number, .list, .object("tensor")]), .required,
                                   "number, nested list of numbers, or tensor")],
            returns: "tensor",
            handler: { arguments, _ in
                let values = arguments["values"]
                if case .object = values { return values }
                return .object(TensorValue(try tensorFromNestedList(values)))
            }),
        CommandSpec(
            name: "zeros", topic: "tensor", summary: "A tensor of zeros of the given shape.",
            example: "zeros(2, 3)\nzeros([12, 5000])",
            parameters: [shapeParameter], returns: "tensor",
            handler: { arguments, _ in .object(TensorValue(Tensor.zeros(try shapeArgument(arguments, "shape")))) }),
        CommandSpec(
            name: "ones", topic: "tensor", summary: "A tensor of ones of the given shape.",
            example: "ones(3)\nones([2, 2])",
            parameters: [shapeParameter], returns: "tensor",
            handler: { arguments, _ in .object(TensorValue(Tensor.ones(try shapeArgument(arguments, "shape")))) }),
        CommandSpec(
            name: "randn", topic: "tensor", summary: "Standard normal samples of the given shape, from the session seed.",
            details: "Each call draws its own random stream from the session seed, so two calls give\n"
                + "different samples and a replayed script gives the same ones ('help seed').",
            example: "seed 42\nx = randn(12, 5000)",
            parameters: [shapeParameter], returns: "tensor",
            handler: { arguments, interpreter in
                let shape = try shapeArgument(arguments, "shape")
                var stream = RandomStream(seed: interpreter.nextRandomSeed(), stream: "randn")
                return .object(TensorValue(Tensor.randn(shape, using: &stream)))
            }),
        CommandSpec(
            name: "arange", topic: "tensor", summary: "Evenly spaced values from start up to (not including) stop.",
            details: "arange(n) is 0, 1, ..., n-1; with a step the count is ceil((stop - start) / step)\n"
                + "(numpy.arange). Values are start + i * step computed in double precision.",
            example: "arange(5)\narange(0, 1, 0.25)",
            parameters: [
                Parameter("start", .number, .required, "first value, or the stop when alone"),
                Parameter("stop", .number, .optional(defaultValue: .none), "end, not included"),
                Parameter("step", .number, .optional(defaultValue: .number(1)), "spacing, not 0"),
            ],
            returns: "tensor",
            handler: { arguments, _ in
                var start = try arguments.number("start")
                var stop = 0.0
                if arguments.isGiven("stop") { stop = try arguments.number("stop") } else { swap(&start, &stop) }
                let step = try arguments.number("step")
                guard step != 0, step.isFinite else { throw ScriptError("step must be finite and not 0", argument: "step") }
                guard start.isFinite, stop.isFinite else { throw ScriptError("start and stop must be finite") }
                let count = max(0, ((stop - start) / step).rounded(.up))
                try checkElementCount([count < 9e15 ? Int(count) : Int.max])
                let values = (0..<Int(count)).map { Float(start + Double($0) * step) }
                return .object(TensorValue(Tensor(values)))
            }),
        CommandSpec(
            name: "linspace", topic: "tensor", summary: "n evenly spaced values from start to stop, both included.",
            details: "numpy.linspace: the i-th value is start + i * (stop - start) / (n - 1) and the last is stop.",
            example: "linspace(0, 1, 5)",
            parameters: [
                Parameter("start", .number, .required, "first value"),
                Parameter("stop", .number, .required, "last value"),
                Parameter("n", .integer, .optional(defaultValue: .number(50)), "how many values, 0 or more"),
            ],
            returns: "tensor",
            handler: { arguments, _ in
                let start = try arguments.number("start"), stop = try arguments.number("stop")
                let n = try arguments.integer("n")
                guard n >= 0 else { throw ScriptError("n must be 0 or more, got \(n)", argument: "n") }
                try checkElementCount([n], argument: "n")
                let step = n > 1 ? (stop - start) / Double(n - 1) : 0
                let values = (0..<n).map { Float($0 == n - 1 && n > 1 ? stop : start + Double($0) * step) }
                return .object(TensorValue(Tensor(values)))
            }),
        CommandSpec(
            name: "shape", topic: "tensor", summary: "The sizes of a tensor's axes as a list (the same as t.shape).",
            example: "shape(zeros(2, 3))   # [2, 3]",
            parameters: [Parameter("t", .object("tensor"), .required, "the tensor")],
            returns: "list",
            handler: { arguments, _ in try arguments.object("t", as: TensorValue.self).field(named: "shape") }),
        CommandSpec(
            name: "reshape", topic: "tensor", summary: "The same elements in C order with a new shape (one size may be -1).",
            details: "A view when the tensor is contiguous, else a copy (numpy.reshape). -1 stands for\n"
                + "the size that keeps the number of elements.",
            example: "reshape(arange(6), 2, 3)\nreshape(t, [-1, 2])",
            parameters: [
                Parameter("t", .object("tensor"), .required, "the tensor"),
                Parameter("shape", .oneOf([.integer, .list]), .variadic, "new sizes, as 2, 3 or [2, 3]"),
            ],
            returns: "tensor",
            handler: { arguments, _ in
                let value = try arguments.object("t", as: TensorValue.self)
                let shape = try shapeArgument(arguments, "shape", allowingInferred: true)
                do {
                    return .object(TensorValue(try value.tensor.reshaped(to: shape)))
                } catch {
                    throw ScriptError("cannot reshape \(value.shapeDescription) (\(value.tensor.count) elements) "
                                      + "into \(describeShape(shape))", argument: "shape")
                }
            }),
        CommandSpec(
            name: "transpose", topic: "tensor", summary: "Swap two axes (by default the last two, as t.T). A view.",
            example: "transpose(zeros(2, 3))\ntranspose(x, 0, 2)",
            parameters: [
                Parameter("t", .object("tensor"), .required, "the tensor"),
                Parameter("a", .integer, .optional(defaultValue: .number(-2)), "first axis (negative from the end)"),
                Parameter("b", .integer, .optional(defaultValue: .number(-1)), "second axis"),
            ],
            returns: "tensor",
            handler: { arguments, _ in
                let value = try arguments.object("t", as: TensorValue.self)
                let rank = value.tensor.rank
                if !arguments.isGiven("a"), !arguments.isGiven("b"), rank < 2 { return .object(value) }
                for name in ["a", "b"] {
                    let axis = try arguments.integer(name)
                    guard axis >= -rank, axis < rank else {
                        throw ScriptError("axis \(axis) is out of range for tensor \(value.shapeDescription)", argument: name)
                    }
                }
                let swapped = try value.tensor.transposed(try arguments.integer("a"), try arguments.integer("b"))
                return .object(TensorValue(swapped))
            }),
        CommandSpec(
            name: "stats", topic: "tensor",
            summary: "Print shape, size, min, max, mean, std, NaN and inf counts of a tensor, or per lead of a record.",
            details: "min, max, mean and std (population, numpy.std) describe the finite elements; nan and inf\n"
                + "count the others. Computed in double precision. A list of numbers is taken as a tensor.\n"
                + "A record gets one row per lead (its samples in double precision, as the record holds them).",
            example: "stats(randn(1000))\nstats s.lead_weights\nstats r",
            parameters: [Parameter("t", .oneOf([.object("tensor"), .object("record"), .list]), .required,
                                   "tensor, record or nested list of numbers")],
            hasCommandForm: true, isReplayable: false,
            handler: { arguments, interpreter in
                let values = arguments["t"]
                let tensor: Tensor
                if case .object(let object) = values, let record = object as? RecordValue {
                    interpreter.output.writeLine(RecordStatistics(record.record).table)
                    return .none
                }
                if case .object(let object) = values, let value = object as? TensorValue {
                    tensor = value.tensor
                } else {
                    tensor = try tensorFromNestedList(values)
                }
                interpreter.output.writeLine(TensorStatistics(tensor).table)
                return .none
            }),
    ], topics: [tensorTopic])
}

/// `help tensor`.
private let tensorTopic = HelpTopic(name: "tensor", summary: "An n-d array of float32 numbers.", text: """
    tensor: an n-d array of float32 numbers (tensor, zeros, ones, randn, arange, linspace).
    At the prompt it prints as 'tensor [2, 3] float32', followed by its values when it has
    at most 6 elements: 'tensor [2, 2] float32 [[1, 2], [3, 4]]'. 'show t' prints it in full.
    Fields: t.shape (list of sizes), t.ndim (number of axes), t.size (number of elements),
    t.T (last two axes swapped; a 0-d or 1-d tensor itself).
    Indexing: t[0, :, 2:5], t[-1], t[::2], t[::-1]; an integer drops its axis, a slice keeps
    it (a view; a negative step copies); integers on every axis give a number. len(t) is the
    first size.
    Arithmetic: + - * / % ^ element-wise with numbers, lists and tensors, broadcasting as
    NumPy (sizes equal or 1 per axis, aligned from the right); -t. < <= > >= give 1 or 0 per
    element; == and != compare whole tensors and give a bool.
    Functions: abs sqrt exp log round floor ceil element-wise; sum mean min max of all
    elements (a number), or along one axis with axis=k (a tensor); stats(t) prints a summary.
    show: NumPy-like, one format for all elements (integers, fixed point with 5 significant
    digits for the largest magnitude, or scientific); above 1000 elements only the first
    and last 3 entries of each axis are shown around '...'.
    """)
