// Reverse-mode autodiff: graph nodes, the no-grad scope, custom-op registration and backward().

/// One node of the autodiff graph.
///
/// A leaf node (made by `requiresGrad = true`) accumulates `grad`; an op node holds the op's
/// pullback and its inputs' nodes. Nodes are shared by all copies of the tensor that owns them.
/// `backward()` mutates `grad`: do not run two backward passes over one graph concurrently.
public final class GradNode: @unchecked Sendable {
    /// Op name (for diagnostics), `"leaf"` for leaves.
    public let name: String
    /// Shape of the tensor this node belongs to; gradients must have this shape.
    public let shape: [Int]
    let inputs: [GradNode?]
    let pullback: ((Tensor) throws -> [Tensor?])?
    /// Accumulated gradient (leaves only; op nodes release theirs during backward).
    public internal(set) var grad: Tensor?

    init(leafShape shape: [Int]) {
        name = "leaf"
        self.shape = shape
        inputs = []
        pullback = nil
    }

    init(name: String, shape: [Int], inputs: [GradNode?], pullback: @escaping (Tensor) throws -> [Tensor?]) {
        self.name = name
        self.shape = shape
        self.inputs = inputs
        self.pullback = pullback
    }

    /// True for leaves (tensors created with `requiresGrad = true`).
    public var isLeaf: Bool { pullback == nil }
}

/// Whether ops record the graph. Task-local (and thread-local outside tasks), so a no-grad scope
/// on one thread or task never affects another.
public enum GradMode {
    /// True unless inside `withNoGrad`.
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording any op: results carry no node and keep no activations alive
/// (inference memory), like `torch.no_grad()`.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false) { try body() }
}

extension Tensor {
    /// Whether this tensor takes part in differentiation. Setting it to true on an untracked tensor
    /// makes it a leaf whose `grad` accumulates in `backward()`; setting it to false detaches it.
    public var requiresGrad: Bool {
        get { node != nil }
        set {
            if newValue {
                if node == nil { node = GradNode(leafShape: shape) }
            } else {
                node = nil
            }
        }
    }

    /// The gradient accumulated on this leaf by `backward()`, nil before the first backward or after
    /// `zeroGrad()`. Nil for non-leaf tensors (their gradients are released during backward).
    public var grad: Tensor? { node?.grad }

    /// Clears this leaf's accumulated gradient.
    public func zeroGrad() { node?.grad = nil }

    /// Registers a custom differentiable op: the public extension point for fused kernels.
    ///
    /// Compute `output` yourself (any way: raw buffers, BLAS, a fused kernel), then call
    /// ```swift
    /// let y = Tensor.recordOp(name: "lstm", output: raw, inputs: [x, wIH, wHH, bias]) { gradY in
    ///     // gradY has y's shape; return one gradient per input, in order, each shaped like
    ///     // that input (or nil when the input needs none). Runs under no-grad.
    ///     return [gradX, gradWIH, gradWHH, gradBias]
    /// }
    /// ```
    /// When grad mode is off (`withNoGrad`) or no input requires grad, `output` comes back untracked
    /// and the closure (with whatever it captured) is dropped at once. Otherwise the result carries a
    /// node that keeps the closure, and with it any activations it captured, until the graph dies.
    /// The closure must not mutate captured tensors; it may throw (backward rethrows).
    public static func recordOp(name: String, output: Tensor, inputs: [Tensor],
                                pullback: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
        var result = output
        result.node = nil
        guard GradMode.isEnabled, inputs.contains(where: { $0.node != nil }) else { return result }
        result.node = GradNode(name: name, shape: output.shape, inputs: inputs.map(\.node), pullback: pullback)
        return result
    }

    /// Backpropagates from this tensor: accumulates d(self)/d(leaf) into every reachable leaf's `grad`.
    ///
    /// `seed` is the gradient of the final objective with respect to `self` (same shape); it defaults
    /// to one when `self` has a single element. Gradients add onto existing leaf gradients (call
    /// `zeroGrad()` between steps). The graph is kept, so backward may run again.
    public func backward(_ seed: Tensor? = nil) throws {
        _ = try propagate(seed: seed, collecting: [])
    }

    /// Gradients of `output` with respect to `inputs` (tensors with `requiresGrad`, leaves or not),
    /// without touching any leaf's `grad`: e.g. saliency `d loss / d x` while the model's parameters
    /// also require grad. An input that `output` does not depend on gets zeros. `seed` as in `backward`.
    public static func gradients(of output: Tensor, withRespectTo inputs: [Tensor], seed: Tensor? = nil) throws -> [Tensor] {
        var targets: [GradNode] = []
        for (index, input) in inputs.enumerated() {
            guard let node = input.node else {
                throw TensorError.invalidArgument(op: "gradients", message: "input \(index) does not require grad (set requiresGrad before the forward pass)")
            }
            targets.append(node)
        }
        let collected = try output.propagate(seed: seed, collecting: Set(targets.map(ObjectIdentifier.init)))
        return zip(inputs, targets).map { input, node in collected[ObjectIdentifier(node)] ?? Tensor.zeros(input.shape) }
    }

    /// The reverse pass. With an empty `targets` set it accumulates into leaves (`backward`); otherwise it
    /// leaves leaves alone and returns the total gradient reaching each target node.
    private func propagate(seed: Tensor?, collecting targets: Set<ObjectIdentifier>) throws -> [ObjectIdentifier: Tensor] {
        guard let root = node else {
            throw TensorError.invalidArgument(op: "backward", message: "the tensor does not require grad (no leaf with requiresGrad reaches it)")
        }
        let start: Tensor
        if let seed {
            guard seed.shape == shape else {
                throw TensorError.shapeMismatch(op: "backward", expected: "seed of shape \(describe(shape))", actual: describe(seed.shape))
            }
            start = seed.detached()
        } else {
            guard count == 1 else {
                throw TensorError.invalidArgument(op: "backward", message: "an implicit seed needs a one-element tensor, got shape \(describe(shape)); pass a seed")
            }
            start = Tensor.ones(shape)
        }
        let order = topologicalOrder(from: root)
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): start]
        var collected: [ObjectIdentifier: Tensor] = [:]
        try withNoGrad {
            for current in order.reversed() {
                let key = ObjectIdentifier(current)
                guard let gradient = pending.removeValue(forKey: key) else { continue }
                if !targets.isEmpty {
                    if targets.contains(key) { collected[key] = gradient.contiguousData().detached() }
                    if current.isLeaf { continue }
                }
                guard let pullback = current.pullback else {
                    if var existing = current.grad {
                        current.grad = nil
                        existing.addInPlace(gradient)
                        current.grad = existing
                    } else {
                        current.grad = gradient.contiguousData().detached()
                    }
                    continue
                }
                let inputGradients = try pullback(gradient)
                guard inputGradients.count == current.inputs.count else {
                    throw TensorError.invalidArgument(op: current.name, message: "pullback returned \(inputGradients.count) gradients for \(current.inputs.count) inputs")
                }
                for (inputNode, inputGradient) in zip(current.inputs, inputGradients) {
                    guard let inputNode, let inputGradient else { continue }
                    guard inputGradient.shape == inputNode.shape else {
                        throw TensorError.shapeMismatch(op: "\(current.name) pullback", expected: "gradient of shape \(describe(inputNode.shape))",
                                                        actual: describe(inputGradient.shape))
                    }
                    let inputKey = ObjectIdentifier(inputNode)
                    if var existing = pending.removeValue(forKey: inputKey) {
                        existing.addInPlace(inputGradient)
                        pending[inputKey] = existing
                    } else {
                        pending[inputKey] = inputGradient.detached()
                    }
                }
            }
        }
        return collected
    }
}

/// Nodes reachable from `root`, each after all of its inputs (iterative depth-first post-order, so
/// deep graphs such as 500-step recurrences cannot overflow the stack).
private func topologicalOrder(from root: GradNode) -> [GradNode] {
    var order: [GradNode] = []
    var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
    var stack: [(node: GradNode, nextInput: Int)] = [(root, 0)]
    while !stack.isEmpty {
        let top = stack.count - 1
        let (current, nextInput) = stack[top]
        if nextInput < current.inputs.count {
            stack[top].nextInput += 1
            if let input = current.inputs[nextInput], visited.insert(ObjectIdentifier(input)).inserted {
                stack.append((input, 0))
            }
        } else {
            order.append(current)
            stack.removeLast()
        }
    }
    return order
}
