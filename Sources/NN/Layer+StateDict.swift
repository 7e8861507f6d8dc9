// State dicts: export every parameter under its PyTorch key, import with strict key and shape checks.
import TensorCore

extension Layer {
    /// Every parameter's current value under its state_dict key, in `state_dict()` order
    /// (values detached from autodiff).
    public func stateDict() -> [(key: String, value: Tensor)] {
        namedParameters.map { (key: $0.key, value: $0.parameter.value.detached()) }
    }

    /// Loads parameter values by key, like `module.load_state_dict(dict, strict=strict)`.
    ///
    /// Shapes must match exactly. With `strict`, missing and unexpected keys are errors too.
    /// Every problem is collected and thrown together as `NNError.stateDict` (naming the keys and
    /// the expected vs actual shapes) before anything is assigned, so a failed load changes nothing.
    /// Returns the problems that `strict: false` tolerated (missing and unexpected keys).
    @discardableResult
    public func loadStateDict(_ dict: [String: Tensor], strict: Bool = true) throws -> StateDictProblems {
        let named = namedParameters
        let known = Set(named.map(\.key))
        var problems = StateDictProblems(
            missingKeys: named.map(\.key).filter { dict[$0] == nil },
            unexpectedKeys: dict.keys.filter { !known.contains($0) }.sorted(),
            shapeMismatches: [])
        for (key, parameter) in named {
            if let tensor = dict[key], tensor.shape != parameter.shape {
                problems.shapeMismatches.append(.init(key: key, expected: parameter.shape, actual: tensor.shape))
            }
        }
        let fatal = !problems.shapeMismatches.isEmpty
            || (strict && (!problems.missingKeys.isEmpty || !problems.unexpectedKeys.isEmpty))
        if fatal { throw NNError.stateDict(problems) }
        for (key, parameter) in named {
            if let tensor = dict[key] { try parameter.assign(tensor) }
        }
        return problems
    }
}
