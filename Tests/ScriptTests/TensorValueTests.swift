// TensorValue: printing against numpy.array2string and hand-written strings, slicing and
// broadcasting arithmetic against NumPy, reductions, stats, and randn replay determinism.
import Commands
import Script
import TensorCore
import Testing
import TestSupport

/// Runs `statements` in a fresh interpreter (default seed) and returns the interpreter.
private func session(_ statements: String, seed: UInt64 = Interpreter.defaultSeed) throws -> Interpreter {
    let interpreter = Interpreter(registry: makeCommandRegistry(), output: CapturedOutput(), seed: seed)
    try interpreter.run(Source(name: "test", text: statements))
    return interpreter
}

/// The value of one expression after `setup`.
private func evaluate(_ expression: String, after setup: String = "") throws -> Value {
    let interpreter = try session(setup + "\nresult__ = " + expression)
    return try #require(interpreter.variables["result__"])
}

private func tensor(_ value: Value) throws -> Tensor {
    guard case .object(let object) = value, let tensor = object as? TensorValue else {
        Issue.record("expected a tensor, got \(value.summary)")
        throw ScriptError("not a tensor")
    }
    return tensor.tensor
}

/// The message of the error `expression` raises after `setup`; nil when it succeeds.
private func errorMessage(_ expression: String, after setup: String = "") -> String? {
    do {
        _ = try evaluate(expression, after: setup)
        return nil
    } catch let failure as ScriptFailure {
        return failure.diagnostics.first?.message
    } catch {
        return "\(error)"
    }
}

private func shown(_ scalars: [Float], _ shape: [Int]) throws -> String {
    TensorValue(try Tensor(shape: shape, scalars: scalars)).show()
}

// MARK: Printing

@Test("integer layouts match numpy.array2string", arguments: TensorNumPyReference.layouts.indices)
func layoutMatchesNumPy(_ index: Int) throws {
    let (shape, offset, text) = TensorNumPyReference.layouts[index]
    let count = shape.reduce(1, *)
    let value = TensorValue(try Tensor.arange(0, Float(count)).reshaped(to: shape) - Float(offset))
    #expect(value.show() == text)
}

@Test func fixedPointGivesTheLargestMagnitudeFiveSignificantDigits() throws {
    #expect(try shown([1, 2, 3, 4, 5, 6].map { $0 / 3 }, [2, 3]) == """
        [[0.3333, 0.6667, 1.0000],
         [1.3333, 1.6667, 2.0000]]
        """)
    // Trailing zeros common to all elements are dropped, but one decimal always stays.
    #expect(try shown([0.5, -0.25, 2], [3]) == "[ 0.50, -0.25,  2.00]")
    #expect(try shown([1.5, 2, -3], [3]) == "[ 1.5,  2.0, -3.0]")
    #expect(try shown([0.015033, -0.0015613, 0.004], [3]) == "[ 0.015033, -0.001561,  0.004000]")
    #expect(try shown([12345.67, -1], [2]) == "[12345.7,    -1.0]")
}

@Test func scientificBelowOneTenThousandthAndFromAMillion() throws {
    #expect(try shown([1e-6, 2e-7, -1e-5], [3]) == "[ 1.0e-06,  2.0e-07, -1.0e-05]")
    #expect(try shown([1.5e9, 1, 0.25], [3]) == "[1.5e+09, 1.0e+00, 2.5e-01]")
    #expect(try shown([123456.78, 1234567], [2]) == "[1.2346e+05, 1.2346e+06]")
}

@Test func nonFiniteValuesPrintByNameAndAlign() throws {
    #expect(try shown([1, .nan, .infinity, -.infinity], [2, 2]) == """
        [[   1,  nan],
         [ inf, -inf]]
        """)
    #expect(try shown([.nan, .nan], [2]) == "[nan, nan]")
    #expect(try shown([0.5, .infinity], [2]) == "[0.5, inf]")
}

@Test func zeroDimensionalAndEmptyTensors() throws {
    #expect(TensorValue(Tensor(Float(2.5))).show() == "2.5")
    #expect(TensorValue(Tensor(Float(-3))).show() == "-3")
    #expect(TensorValue(Tensor.zeros([0])).show() == "[]")
    #expect(TensorValue(Tensor.zeros([2, 0, 3])).show() == "[]")
}

@Test func elidedFloatTensorShowsOnlyEdgesAndFormatsFromThem() throws {
    // 1001 elements: elided; the middle element 1e6 is not shown, so it does not force scientific.
    var scalars = (0..<1001).map { Float($0) / 4 }
    scalars[500] = 1e6
    #expect(try shown(scalars, [1001]) == "[  0.00,   0.25,   0.50, ..., 249.50, 249.75, 250.00]")
}

@Test func showOfAStridedViewReadsThroughTheStrides() throws {
    let value = try evaluate("t[1, ::2, 3:0:-1]", after: "t = reshape(arange(60), 3, 4, 5)")
    #expect(value.show() == """
        [[23, 22, 21],
         [33, 32, 31]]
        """)
}

@Test func summaryShowsValuesOfSmallTensorsOnly() throws {
    #expect(TensorValue(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4.5])).summary == "tensor [2, 2] float32 [[1, 2], [3, 4.5]]")
    #expect(TensorValue(Tensor(Float(1) / 3)).summary == "tensor [] float32 0.3333333")
    #expect(TensorValue(Tensor.zeros([7])).summary == "tensor [7] float32")
    #expect(TensorValue(Tensor.zeros([2, 0])).summary == "tensor [2, 0] float32")
    #expect(TensorValue(Tensor.zeros([12, 5000])).shapeDescription == "[12, 5000]")
    #expect(TensorValue(Tensor.zeros([12, 5000])).byteCount == 240_000)
}

// MARK: Slicing and arithmetic against NumPy

@Test("slicing matches numpy basic indexing", arguments: TensorNumPyReference.slices.indices)
func slicingMatchesNumPy(_ index: Int) throws {
    let (expression, shape, values) = TensorNumPyReference.slices[index]
    let value = try evaluate(expression, after: "t = reshape(arange(60), 3, 4, 5)")
    if shape.isEmpty {
        #expect(value.isEqual(to: .number(Double(values[0]))), "\(expression) gave \(value.summary)")
        return
    }
    let result = try tensor(value)
    #expect(result.shape == shape, "\(expression)")
    #expect(result.scalars == values, "\(expression)")
}

@Test func slicesAreViewsOfTheSameStorage() throws {
    let interpreter = try session("t = reshape(arange(60), 3, 4, 5)\nv = t[1:, ::2, 1]")
    let whole = try tensor(try #require(interpreter.variables["t"]))
    let view = try tensor(try #require(interpreter.variables["v"]))
    #expect(view.storage === whole.storage)
    #expect(view.shape == [2, 2])
    #expect(view.strides == [20, 10])
    #expect(view.offset == 21)
}

@Test func indexingErrorsNameTheAxis() throws {
    let setup = "t = zeros(2, 3)"
    #expect(errorMessage("t[0, -4]", after: setup) == "index -4 out of range for axis 1 of length 3")
    #expect(errorMessage("t[2]", after: setup) == "index 2 out of range for axis 0 of length 2")
    #expect(errorMessage("t[0, 0, 0]", after: setup) == "tensor [2, 3] takes at most 2 subscripts, got 3")
    #expect(errorMessage("t[::0]", after: setup) == "slice step cannot be zero")
}

@Test("broadcasting arithmetic matches numpy float32", arguments: TensorNumPyReference.operations.indices)
func arithmeticMatchesNumPy(_ index: Int) throws {
    let (expression, shape, values) = TensorNumPyReference.operations[index]
    let setup = TensorNumPyReference.operands.map { "\($0.name) = \($0.expression)" }.joined(separator: "\n")
    let result = try tensor(try evaluate(expression, after: setup))
    #expect(result.shape == shape, "\(expression)")
    // + - * / and comparisons are single IEEE float32 operations: bit-identical to NumPy.
    // powf and the floored remainder may differ from NumPy's in the last place.
    let exact = !expression.contains("^") && !expression.contains("%")
    let tolerance: Float = exact ? 0 : 1e-6
    let scalars = result.scalars
    #expect(scalars.count == values.count)
    for (got, want) in zip(scalars, values) {
        #expect(got == want || (got.isNaN && want.isNaN) || abs(got - want) <= tolerance * max(1, abs(want)), "\(expression): \(got) vs \(want)")
    }
}

@Test func shapesThatDoNotBroadcastNameBothShapes() throws {
    #expect(errorMessage("zeros(2, 3) + ones(4)") == "cannot broadcast [2, 3] with [4]")
    #expect(errorMessage("[1, 2] * zeros(3, 1, 3)") == "cannot broadcast [2] with [3, 1, 3]")
    #expect(errorMessage("ones(2) ^ ones(3)") == "cannot broadcast [2] with [3]")
}

// MARK: Reductions and stats

@Test func reductionsOverAllElementsAndAlongAnAxis() throws {
    let setup = "t = tensor([[1, 2, 3], [4, 5, 6]])"
    #expect(try evaluate("sum(t)", after: setup).isEqual(to: .number(21)))
    #expect(try evaluate("mean(t)", after: setup).isEqual(to: .number(3.5)))
    #expect(try evaluate("min(t)", after: setup).isEqual(to: .number(1)))
    #expect(try evaluate("max(-t)", after: setup).isEqual(to: .number(-1)))
    #expect(try tensor(try evaluate("sum(t, axis=1)", after: setup)).scalars == [6, 15])
    #expect(try tensor(try evaluate("mean(t, axis=0)", after: setup)).scalars == [2.5, 3.5, 4.5])
    #expect(try tensor(try evaluate("max(t, axis=-1)", after: setup)).scalars == [3, 6])
    #expect(try evaluate("min(t[1], axis=0)", after: setup).isEqual(to: .number(4)))
}

@Test func statsOfFiniteElementsWithNonFiniteCounts() throws {
    // numpy: x = [1, 2, 3, 4, 10]; x.mean() = 4, x.std() = sqrt(10) = 3.16227766.
    let output = CapturedOutput()
    let interpreter = Interpreter(registry: makeCommandRegistry(), output: output)
    interpreter.variables["x"] = .object(TensorValue(Tensor([1, 2, .nan, 3, .infinity, 4, -.infinity, 10])))
    try interpreter.run(Source(name: "test", text: "stats x"))
    #expect(output.text == """
        shape  [8]
        size   8
        min    1
        max    10
        mean   4
        std    3.162278
        nan    1
        inf    2

        """)
}

// MARK: Randomness

@Test func randnReplaysBitForBitFromTheSessionSeed() throws {
    let script = "seed 7\na = randn(4, 5)\nb = randn(4, 5)"
    let first = try session(script), second = try session(script)
    for name in ["a", "b"] {
        let x = try tensor(try #require(first.variables[name]))
        let y = try tensor(try #require(second.variables[name]))
        #expect(x.scalars.map(\.bitPattern) == y.scalars.map(\.bitPattern))
    }
    let a = try tensor(try #require(first.variables["a"]))
    let b = try tensor(try #require(first.variables["b"]))
    #expect(a.scalars != b.scalars)
    let other = try tensor(try #require(try session("seed 8\na = randn(4, 5)").variables["a"]))
    #expect(other.scalars != a.scalars)
}

@Test func randnDrawsTheNextSeededStream() throws {
    // The first random stream after `seed 7` is RandomStream(seed: nextRandomSeed(), stream: "randn").
    let reference = Interpreter(registry: makeCommandRegistry(), output: CapturedOutput(), seed: 7)
    var stream = RandomStream(seed: reference.nextRandomSeed(), stream: "randn")
    let expected = Tensor.randn([1000], using: &stream)
    let drawn = try tensor(try #require(try session("seed 7\nx = randn(1000)").variables["x"]))
    #expect(drawn.scalars == expected.scalars)
    // Standard normal: mean and standard deviation of 1000 draws within 4 standard errors.
    let mean = drawn.scalars.reduce(0, +) / 1000
    let variance = drawn.scalars.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 1000
    #expect(abs(mean) < 4 / Float(1000).squareRoot())
    #expect(abs(variance.squareRoot() - 1) < 4 * 0.0224)
}
