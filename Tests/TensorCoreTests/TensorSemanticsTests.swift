// Value semantics (copy-on-write, shared views), broadcasting rules, shape errors and the no-grad scope.
import Foundation
import Testing
import TensorCore

@Test func copyOnWriteKeepsTheOriginal() throws {
    let original = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    var copy = original
    copy[0, 1] = 20
    #expect(original.scalars == [1, 2, 3, 4])
    #expect(copy.scalars == [1, 20, 3, 4])
    var view = try original.transposed()
    view[1, 0] = -1
    #expect(original.scalars == [1, 2, 3, 4])
    #expect(view.scalars == [1, 3, -1, 4])
}

@Test func viewsShareStorage() throws {
    let base = try Tensor(shape: [3, 4], scalars: (0..<12).map(Float.init))
    let transposed = try base.transposed()
    let slice = try base.sliced(axis: 1, start: 1, end: 4, step: 2)
    let reshaped = try base.reshaped(to: [2, 6])
    let expanded = try Tensor([1, 2, 3]).expanded(to: [4, 3])
    #expect(transposed.storage === base.storage && slice.storage === base.storage && reshaped.storage === base.storage)
    #expect(!transposed.isContiguous && transposed.strides == [1, 4])
    #expect(slice.shape == [3, 2] && slice.strides == [4, 2] && slice.offset == 1)
    #expect(slice.scalars == [1, 3, 5, 7, 9, 11])
    #expect(transposed.scalars == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
    #expect(expanded.strides == [0, 1] && expanded.scalars == [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3])
    let dense = transposed.contiguous()
    #expect(dense.isContiguous && dense.storage !== base.storage && dense.scalars == transposed.scalars)
    // Negative indices count from the end, as in Python.
    #expect(try base.sliced(axis: 0, start: -1).scalars == [8, 9, 10, 11])
    let permuted = try Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init)).permuted([2, 0, 1])
    #expect(permuted.shape == [4, 2, 3] && permuted[1, 1, 2] == 21)
}

@Test func broadcastingFollowsNumPyRules() throws {
    #expect(try Tensor.broadcastShape([2, 1, 3], [4, 1]) == [2, 4, 3])
    #expect(try Tensor.broadcastShape([], [5]) == [5])
    #expect(try Tensor.broadcastShape([3, 1], [1, 4]) == [3, 4])
    #expect(throws: TensorError.self) { try Tensor.broadcastShape([2, 3], [4]) }
    let column = try Tensor(shape: [2, 1], scalars: [10, 20])
    let row = Tensor([1, 2, 3])
    let sum = try column + row
    #expect(sum.shape == [2, 3] && sum.scalars == [11, 12, 13, 21, 22, 23])
    let strided = try (try Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]).transposed()) * Tensor([1, 10, 100])
    #expect(strided.scalars == [1, 30, 500, 2, 40, 600])
}

@Test func shapeErrorsNameTheOpAndShapes() throws {
    let a = Tensor.zeros([2, 3]), b = Tensor.zeros([4, 5])
    do {
        _ = try Tensor.matmul(a, b)
        Issue.record("matmul of [2, 3] and [4, 5] must throw")
    } catch let error as TensorError {
        #expect(error.description == "matmul: expected [..., M, K] x [..., K, N], got [2, 3] x [4, 5]")
    }
    #expect(throws: TensorError.self) { try a.reshaped(to: [4, 2]) }
    #expect(throws: TensorError.self) { try a.softmax(axis: 2) }
    #expect(throws: TensorError.self) { try Tensor.conv1d(Tensor.zeros([1, 3, 8]), weight: Tensor.zeros([2, 4, 3])) }
    #expect(throws: TensorError.self) { try Tensor(shape: [2, 2], scalars: [1, 2, 3]) }
}

@Test func noGradRecordsNothing() throws {
    var weight = Tensor([1, 2, 3])
    weight.requiresGrad = true
    let tracked = try weight * weight
    #expect(tracked.requiresGrad)
    let untracked = try withNoGrad { try weight * weight }
    #expect(!untracked.requiresGrad && untracked.node == nil)
    #expect(GradMode.isEnabled)
    #expect(throws: TensorError.self) { try untracked.sum().backward() }
    // Recording resumes after the scope, and gradients accumulate until zeroed.
    try (try weight * weight).sum().backward()
    try (try weight * weight).sum().backward()
    #expect(weight.grad?.scalars == [4, 8, 12])
    weight.zeroGrad()
    #expect(weight.grad == nil)
}

@Test func gradientsReachInputsForSaliency() throws {
    var input = try Tensor(shape: [1, 2, 5], scalars: [0.1, -0.2, 0.3, 0.5, -0.4, 0.2, 0.0, -0.1, 0.6, 0.2])
    input.requiresGrad = true
    let weight = Tensor.full([3, 2, 3], 0.5)
    let output = try Tensor.conv1d(input, weight: weight, padding: 1)
    try Tensor.squaredDifference(output, Tensor.zeros(output.shape)).sum().backward()
    let gradient = try #require(input.grad)
    #expect(gradient.shape == [1, 2, 5])
    #expect(gradient.scalars.contains { $0 != 0 })
}

@Test func sharedSubgraphGradientsAccumulate() throws {
    var x = Tensor([2, -3])
    x.requiresGrad = true
    let y = x.exp()
    let z = try y * y + y
    try z.sum().backward()
    let expected = x.scalars.map { 2 * expf($0) * expf($0) + expf($0) }
    #expect(zip(x.grad?.scalars ?? [], expected).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * Swift.abs($1) })
}

@Test func reductionsAndViewsComputeTheRightValues() throws {
    let x = try Tensor(shape: [2, 3], scalars: [1, 5, 3, -2, 0, 4])
    #expect(try x.sum(axis: 0).scalars == [-1, 5, 7])
    #expect(try x.sum(axis: 1, keepingDimensions: true).shape == [2, 1])
    #expect(try x.max(axis: 1).scalars == [5, 4])
    #expect(try x.min().item == -2)
    #expect(try x.mean().item == 11.0 / 6.0)
    let long = Tensor((0..<1000).map { Float($0) })
    #expect(try long.sum().item == 499_500)
    let joined = try Tensor.concatenate([x, Tensor.ones([1, 3])], axis: 0)
    #expect(joined.shape == [3, 3] && joined.scalars.suffix(3) == [1, 1, 1])
    #expect(try x.padded(axis: 1, before: 1, after: 0).scalars == [0, 1, 5, 3, 0, -2, 0, 4])
    #expect(try x.indexSelect(axis: 1, indices: [2, 0]).scalars == [3, 1, 4, -2])
    #expect(try x.chunked(2, axis: 1).map(\.shape) == [[2, 2], [2, 1]])
}

@Test func descriptionShowsShapeAndValues() throws {
    let small = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4.5])
    #expect(small.description == "Tensor([2, 2]) [[1.0, 2.0], [3.0, 4.5]]")
    #expect(Tensor(3).description == "Tensor([]) 3.0")
    #expect(Tensor((0..<10).map(Float.init)).description == "Tensor([10]) [0.0, 1.0, 2.0, ..., 7.0, 8.0, 9.0]")
}

@Test func creationHelpersAndViewsOfViews() throws {
    #expect(Tensor.arange(0, 2, step: 0.5).scalars == [0, 0.5, 1, 1.5])
    #expect(Tensor.full([2], 7).scalars == [7, 7] && Tensor.zeros(like: Tensor.ones([3, 1])).shape == [3, 1])
    let permuted = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).transposed()
    let unsqueezed = try permuted.unsqueezed(axis: 1)
    #expect(unsqueezed.shape == [3, 1, 2] && unsqueezed.storage === permuted.storage)
    #expect(unsqueezed.scalars == [1, 4, 2, 5, 3, 6])
    #expect(try unsqueezed.squeezed(axis: 1).strides == permuted.strides)
    #expect(try Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], axis: 1).scalars == [1, 3, 2, 4])
    var values = Tensor([1, 2, 3])
    values.withUnsafeMutableBufferPointer { buffer in buffer[0] = 10 }
    #expect(values.scalars == [10, 2, 3])
    #expect(values.withUnsafeBufferPointer { $0.reduce(0, +) } == 15)
}

@Test func noGradKeepsNoActivationsAlive() throws {
    weak var trackedInput: TensorStorage?
    weak var untrackedInput: TensorStorage?
    var weight = Tensor([2])
    weight.requiresGrad = true
    func logOfScaled(_ values: [Float], record: (TensorStorage) -> Void) throws -> Tensor {
        let scaled = try Tensor(values) * weight
        record(scaled.storage)
        return scaled.log()
    }
    let tracked = try logOfScaled([1, 2, 3]) { trackedInput = $0 }
    let untracked = try withNoGrad { try logOfScaled([1, 2, 3]) { untrackedInput = $0 } }
    // log's pullback needs its input: the graph keeps it alive; without grad it is freed at once.
    #expect(trackedInput != nil)
    #expect(untrackedInput == nil)
    #expect(tracked.scalars == untracked.scalars)
}

@Test func customOpsAreCheckedAndSkippedWithoutGrad() throws {
    var x = Tensor([1, 2, 3])
    x.requiresGrad = true
    let wrongShape = Tensor.recordOp(name: "bad kernel", output: Tensor([6]), inputs: [x]) { _ in [Tensor.ones([2])] }
    do {
        try wrongShape.backward()
        Issue.record("a pullback returning the wrong shape must throw")
    } catch let error as TensorError {
        #expect(error.description == "bad kernel pullback: expected gradient of shape [3], got [2]")
    }
    let wrongCount = Tensor.recordOp(name: "bad arity", output: Tensor([6]), inputs: [x]) { g in [g, g] }
    #expect(throws: TensorError.self) { try wrongCount.backward() }
    #expect(throws: TensorError.self) { try (try x * x).backward(Tensor.ones([2])) }
    let skipped = withNoGrad { Tensor.recordOp(name: "sum", output: Tensor([6]), inputs: [x]) { g in [g] } }
    #expect(skipped.node == nil)
    let summed = Tensor.recordOp(name: "sum kernel", output: Tensor([6]), inputs: [x, Tensor([0, 0, 0])]) { g in
        [try g.expanded(to: [3]), nil]
    }
    try summed.backward()
    #expect(x.grad?.scalars == [1, 1, 1])
}

@Test func gradientsWithRespectToInputsLeaveParameterGradientsAlone() throws {
    var x = Tensor([0.5, -1, 2])
    x.requiresGrad = true
    var weight = Tensor([3])
    weight.requiresGrad = true
    let hidden = try x * weight
    let loss = try hidden.pow(2).sum()
    let gradients = try Tensor.gradients(of: loss, withRespectTo: [x, hidden])
    // d/dx sum((w x)^2) = 2 w^2 x; d/dhidden = 2 hidden.
    #expect(gradients[0].scalars == [9, -18, 36])
    #expect(gradients[1].scalars == [3, -6, 12])
    #expect(weight.grad == nil && x.grad == nil)
    var unrelated = Tensor([1])
    unrelated.requiresGrad = true
    #expect(try Tensor.gradients(of: loss, withRespectTo: [unrelated])[0].scalars == [0])
    #expect(throws: TensorError.self) { try Tensor.gradients(of: loss, withRespectTo: [Tensor([1])]) }
}
