// Tensor: an n-d float32 array as shape/strides/offset over copy-on-write storage, plus its autodiff node.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An n-dimensional float32 array with value semantics.
///
/// A tensor is a view: `shape`, `strides` (in elements) and `offset` over a shared `TensorStorage`.
/// Copies and views (reshape of contiguous data, permute, transpose, slice, expand) share storage;
/// writing through a mutating method copies the storage first unless this value is its only owner
/// (copy-on-write), so mutating a copy never changes the original.
///
/// Tensors that take part in differentiation carry a `GradNode` (see `Tensor+Autograd.swift`):
/// leaves created with `requiresGrad = true` accumulate gradients there, op results record a pullback.
public struct Tensor: @unchecked Sendable {
    /// The shared buffer this tensor views.
    public private(set) var storage: TensorStorage
    /// Sizes per dimension; `[]` is a scalar.
    public private(set) var shape: [Int]
    /// Element step per dimension (0 for broadcast dimensions).
    public private(set) var strides: [Int]
    /// Index of the first element in `storage`.
    public private(set) var offset: Int
    /// Autodiff node: a leaf holding `grad`, or the op that produced this tensor. Nil when untracked.
    public internal(set) var node: GradNode?

    /// Wraps existing storage (e.g. a buffer a fused kernel filled); `strides` default to C order.
    /// Every addressed element must lie inside `storage` (checked: a violation is a programming error).
    public init(storage: TensorStorage, shape: [Int], strides: [Int]? = nil, offset: Int = 0) {
        self.storage = storage
        self.shape = shape
        self.strides = strides ?? Tensor.contiguousStrides(for: shape)
        self.offset = offset
        self.node = nil
        precondition(Tensor.fits(shape: shape, strides: self.strides, offset: offset, in: storage.count),
                     "Tensor(storage:): shape \(shape) with strides \(self.strides) at offset \(offset) exceeds storage of \(storage.count)")
    }

    /// Whether every element of the view lies in `0..<capacity`.
    private static func fits(shape: [Int], strides: [Int], offset: Int, in capacity: Int) -> Bool {
        if shape.contains(0) { return true }
        var lowest = offset, highest = offset
        for (size, stride) in zip(shape, strides) {
            if stride >= 0 { highest += (size - 1) * stride } else { lowest += (size - 1) * stride }
        }
        return lowest >= 0 && highest < Swift.max(capacity, 1)
    }

    /// Uninitialised contiguous tensor; package-only because callers (TensorCore and NN's fused
    /// kernels) must fill every element.
    package init(uninitializedShape shape: [Int]) {
        self.init(storage: TensorStorage(uninitializedCount: Tensor.elementCount(shape)), shape: shape)
    }

    /// `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(storage: TensorStorage(count: Tensor.elementCount(shape), repeating: value), shape: shape)
    }

    /// A tensor of `shape` holding `scalars` in C (row-major) order.
    /// Throws when `scalars.count` differs from the product of `shape`.
    public init(shape: [Int], scalars: [Float]) throws {
        let count = Tensor.elementCount(shape)
        guard scalars.count == count, shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(op: "Tensor(shape:scalars:)", expected: "\(count) scalars for shape \(describe(shape))",
                                            actual: "\(scalars.count) scalars")
        }
        self.init(uninitializedShape: shape)
        let destination = storage.pointer
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { destination.update(from: base, count: count) }
        }
    }

    /// A 1-d tensor holding `scalars`.
    public init(_ scalars: [Float]) {
        self.init(uninitializedShape: [scalars.count])
        let destination = storage.pointer
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { destination.update(from: base, count: scalars.count) }
        }
    }

    /// A scalar (rank-0) tensor.
    public init(_ scalar: Float) {
        self.init(repeating: scalar, shape: [])
    }

    /// Zeros of `shape`.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// Ones of `shape`.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }
    /// `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor { Tensor(repeating: value, shape: shape) }
    /// Zeros shaped like `other`.
    public static func zeros(like other: Tensor) -> Tensor { Tensor(repeating: 0, shape: other.shape) }
    /// `[start, start + step, ...]` below `end` (like `torch.arange`).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        let result = Tensor(uninitializedShape: [count])
        let destination = result.storage.pointer
        for i in 0..<count { destination[i] = start + Float(i) * step }
        return result
    }

    // MARK: - Geometry

    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Number of elements (product of `shape`).
    public var count: Int { Tensor.elementCount(shape) }

    /// True when the elements are laid out in C order without gaps starting at `offset`.
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// C-order strides for `shape`.
    public static func contiguousStrides(for shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Product of `shape` (1 for a scalar).
    public static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    // MARK: - Element access

    /// The elements in C order (copies).
    public var scalars: [Float] {
        let dense = contiguousData()
        defer { withExtendedLifetime(dense) {} }
        return Array(UnsafeBufferPointer(start: dense.storage.pointer + dense.offset, count: dense.count))
    }

    /// The single element of a one-element tensor.
    public var item: Float {
        get throws {
            guard count == 1 else {
                throw TensorError.shapeMismatch(op: "item", expected: "one element", actual: describe(shape))
            }
            return storage.pointer[offset]
        }
    }

    /// Element at a full index (one entry per dimension, no negatives). Traps on a bad index: use
    /// it for tests and small data, not in loops.
    public subscript(_ index: Int...) -> Float {
        get { storage.pointer[flatIndex(index)] }
        set {
            makeStorageUnique()
            storage.pointer[flatIndex(index)] = newValue
        }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == rank, "Tensor subscript: expected \(rank) indices, got \(index.count)")
        var position = offset
        for axis in 0..<rank {
            precondition(index[axis] >= 0 && index[axis] < shape[axis], "Tensor subscript: index out of range")
            position += index[axis] * strides[axis]
        }
        return position
    }

    /// Calls `body` with the elements in C order: directly when contiguous, else on a dense copy.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let dense = contiguousData()
        defer { withExtendedLifetime(dense) {} }
        return try body(UnsafeBufferPointer(start: dense.storage.pointer + dense.offset, count: dense.count))
    }

    /// Calls `body` with writable elements in C order. Makes this tensor contiguous and its storage
    /// uniquely owned first, so writes never show through other tensors (copy-on-write).
    /// The autodiff node is kept: use it to update parameters in place (optimisers) under `withNoGrad`.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isContiguous || offset != 0 || storage.count != count {
            let keptNode = node
            self = contiguousCopy()
            node = keptNode
        } else {
            makeStorageUnique()
        }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Copies the storage when another tensor shares it.
    mutating func makeStorageUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            let keptNode = node
            let dense = contiguousCopy()
            storage = dense.storage
            shape = dense.shape
            strides = dense.strides
            offset = 0
            node = keptNode
        }
    }

    /// This tensor in C order: itself when already contiguous, else a dense copy. Shares the node
    /// only when no copy is made; use `contiguous()` from `Tensor+Views` for a differentiable version.
    func contiguousData() -> Tensor {
        isContiguous ? self : contiguousCopy()
    }

    /// A dense C-order copy without autodiff node.
    func contiguousCopy() -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        copyStrided(from: self, to: result.storage.pointer)
        result.node = nil
        return result
    }

    /// Pointer to the first element (valid for `count` elements only when contiguous).
    package var basePointer: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// A view over the same storage with other geometry and no autodiff node.
    func viewing(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// This tensor without its autodiff node (same storage): gradients stop here.
    public func detached() -> Tensor {
        var result = self
        result.node = nil
        return result
    }
}

/// Copies the elements of `source` in C order into `destination` (which must hold `source.count`).
func copyStrided(from source: Tensor, to destination: UnsafeMutablePointer<Float>) {
    let total = source.count
    if total == 0 { return }
    let src = source.storage.pointer
    if source.isContiguous {
        destination.update(from: src + source.offset, count: total)
        return
    }
    let (shape, strides) = coalesce(shape: source.shape, strides: [source.strides])
    let innerSize = shape.last ?? 1
    let innerStride = strides[0].last ?? 1
    let outerShape = Array(shape.dropLast())
    let outerStrides = Array(strides[0].dropLast())
    var counter = [Int](repeating: 0, count: outerShape.count)
    var sourcePosition = source.offset
    var written = 0
    while written < total {
        let s = src + sourcePosition
        let d = destination + written
        if innerStride == 1 {
            d.update(from: s, count: innerSize)
        } else if innerStride == 0 {
            d.update(repeating: s[0], count: innerSize)
        } else {
            for i in 0..<innerSize { d[i] = s[i * innerStride] }
        }
        written += innerSize
        var axis = outerShape.count - 1
        while axis >= 0 {
            counter[axis] += 1
            sourcePosition += outerStrides[axis]
            if counter[axis] < outerShape[axis] { break }
            sourcePosition -= outerStrides[axis] * outerShape[axis]
            counter[axis] = 0
            axis -= 1
        }
    }
}

/// Merges adjacent dimensions that are contiguous with each other in every stride list and drops
/// size-1 dimensions, so strided loops run over as few, as long rows as possible.
func coalesce(shape: [Int], strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
    var outShape: [Int] = []
    var outStrides = [[Int]](repeating: [], count: strides.count)
    for axis in 0..<shape.count where shape[axis] != 1 {
        if let lastSize = outShape.last,
           (0..<strides.count).allSatisfy({ k in outStrides[k].last == strides[k][axis] * shape[axis] }) {
            outShape[outShape.count - 1] = lastSize * shape[axis]
            for k in 0..<strides.count { outStrides[k][outStrides[k].count - 1] = strides[k][axis] }
        } else {
            outShape.append(shape[axis])
            for k in 0..<strides.count { outStrides[k].append(strides[k][axis]) }
        }
    }
    if outShape.isEmpty {
        outShape = [1]
        for k in 0..<strides.count { outStrides[k] = [1] }
    }
    return (outShape, outStrides)
}
