// Models in a workspace: kind and configuration as attributes, every parameter as a float32
// dataset named by its PyTorch state_dict key, and the training options, state and threshold.
import Evaluation
import Formats
import Models
import Optim
import TensorCore

extension TrainedModel: WorkspaceCodable {
    public static let workspaceTypeName = "model"

    /// Attribute and subgroup names of the model layout.
    enum Layout {
        static let kind = "kind"
        static let sizeName = "size_name"
        static let origin = "origin"
        static let parameterCount = "parameter_count"
        static let weightLayout = "weight_layout"
        static let weightLayoutValue = "pytorch-state-dict"
        static let dtype = "dtype"
        static let trainingData = "training_data"
        static let configuration = "configuration"
        static let parameters = "parameters"
        static let parameterOrder = "parameter_order"
        static let trainingOptions = "training_options"
        static let trainingState = "training_state"
        static let threshold = "threshold"
        static let scoreMethod = "score_method"
    }

    /// Attributes `kind` ("cae" | "vae" | "vae-mha" | "ma-vae"), `size_name`, `origin`, `parameter_count`
    /// (int64), `weight_layout = "pytorch-state-dict"`, `dtype = "float32"`, `training_data` (when known);
    /// subgroups `configuration` (attributes, see `ModelConfiguration.encode`), `parameters` (one float32
    /// dataset per parameter named by its state_dict key, PyTorch's shapes, attribute `parameter_order`),
    /// `training_options` and `training_state` (after a fit) and `threshold` (when set); attribute
    /// `score_method` (format 1.1+, when set): the window-score formula the threshold was set with.
    public func encode(into group: HDF5Group) throws {
        try group.setAttribute(Layout.kind, .string(kind.rawValue))
        try group.setAttribute(Layout.sizeName, .string(sizeName))
        try group.setAttribute(Layout.origin, .string(origin))
        try group.setAttribute(Layout.parameterCount, .int64(Int64(model.parameterCount)))
        try group.setAttribute(Layout.weightLayout, .string(Layout.weightLayoutValue))
        try group.setAttribute(Layout.dtype, .string("float32"))
        if let trainingData { try group.setAttribute(Layout.trainingData, .string(trainingData)) }
        if let scoreMethod { try group.setAttribute(Layout.scoreMethod, .string(scoreMethod.rawValue)) }
        try configuration.encode(into: try group.createGroup(Layout.configuration))
        let weights = WeightSnapshots.capture(model)
        try group.writeNamedArrays(Layout.parameters, weights)
        if let trainingOptions {
            try trainingOptions.encode(into: try group.createGroup(Layout.trainingOptions))
        }
        if let trainingState {
            let shapes = Dictionary(weights.map { ($0.key, $0.shape) }, uniquingKeysWith: { first, _ in first })
            try trainingState.encode(into: try group.createGroup(Layout.trainingState), shapes: shapes)
        }
        try group.writeWorkspaceThreshold(Layout.threshold, threshold)
    }

    /// Rebuilds the network with `ModelFactory.make(configuration)` and loads `parameters` with
    /// `loadStateDict(strict: true)`: a missing, extra or misshapen parameter is `.malformed`.
    public static func decode(from group: HDF5Group) throws -> TrainedModel {
        let configuration = try ModelConfiguration.decode(from: try group.workspaceGroup(Layout.configuration))
        let model: any AnomalyModel
        do {
            model = try ModelFactory.make(configuration)
        } catch {
            throw WorkspaceError.malformed(group, "'\(Layout.configuration)' does not describe a model: \(error)")
        }
        let stored = try group.readNamedArrays(Layout.parameters)
        do {
            try model.loadStateDict(try WeightSnapshots.tensors(stored), strict: true)
        } catch {
            throw WorkspaceError.malformed(group, "'\(Layout.parameters)' do not fit a \(configuration.kind.rawValue) "
                                           + "model of this configuration: \(error)")
        }
        let options = try group.kind(of: Layout.trainingOptions) == .group
            ? try TrainingOptions.decode(from: try group.openGroup(Layout.trainingOptions)) : nil
        let state = try group.kind(of: Layout.trainingState) == .group
            ? try TrainingState.decode(from: try group.openGroup(Layout.trainingState)) : nil
        return TrainedModel(model, sizeName: try group.workspaceString(Layout.sizeName, default: "custom"),
                            origin: try group.workspaceString(Layout.origin), trainingOptions: options,
                            trainingState: state,
                            trainingData: try group.hasAttribute(Layout.trainingData)
                                ? try group.stringAttribute(Layout.trainingData) : nil,
                            threshold: try group.readWorkspaceThreshold(Layout.threshold),
                            scoreMethod: try group.hasAttribute(Layout.scoreMethod)
                                ? try group.workspaceChoice(Layout.scoreMethod, WindowScoreMethod.self) : nil)
    }

    /// "vae-mha small, 176138 parameters, trained 5 epochs, threshold p95 = 0.8".
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let count = Int(try group.workspaceInt(Layout.parameterCount))
        var summary = "\(try group.requiredWorkspaceString(Layout.kind)) \(try group.workspaceString(Layout.sizeName)), "
            + "\(count) parameters"
        if try group.kind(of: Layout.trainingState) == .group {
            let epochs = try group.openGroup(Layout.trainingState).workspaceInt(TrainingState.Layout.epoch)
            summary += ", trained \(epochs) epoch\(epochs == 1 ? "" : "s")"
        } else {
            summary += ", untrained"
        }
        if let threshold = try group.readWorkspaceThreshold(Layout.threshold) {
            summary += ", threshold \(threshold.workspaceSummary)"
        }
        return WorkspaceEntryDetails(shape: nil, summary: summary, bytes: count * 4)
    }
}

extension ModelConfiguration {
    /// Attributes `kind`, `leads`, `encoder_hidden` and `decoder_hidden` (int64 [2]), `latent`,
    /// `temporal_heads`, `lead_heads` (int64), `input_noise` ("gaussian" | "dropout" | "none") with
    /// `input_noise_level` (float64: the standard deviation or probability; absent for "none"),
    /// `mlp_dropout` (float64; the Float32 values are exact in float64).
    func encode(into group: HDF5Group) throws {
        try group.setAttribute("kind", .string(kind.rawValue))
        try group.setAttribute("leads", .int64(Int64(leads)))
        try group.setAttribute("encoder_hidden", .int64s(encoderHidden.map(Int64.init)))
        try group.setAttribute("decoder_hidden", .int64s(decoderHidden.map(Int64.init)))
        try group.setAttribute("latent", .int64(Int64(latent)))
        try group.setAttribute("temporal_heads", .int64(Int64(temporalHeads)))
        try group.setAttribute("lead_heads", .int64(Int64(leadHeads)))
        switch inputNoise {
        case .gaussian(let deviation):
            try group.setAttribute("input_noise", .string("gaussian"))
            try group.setAttribute("input_noise_level", .double(Double(deviation)))
        case .dropout(let probability):
            try group.setAttribute("input_noise", .string("dropout"))
            try group.setAttribute("input_noise_level", .double(Double(probability)))
        case .none:
            try group.setAttribute("input_noise", .string("none"))
        }
        try group.setAttribute("mlp_dropout", .double(Double(mlpDropout)))
    }

    static func decode(from group: HDF5Group) throws -> ModelConfiguration {
        func sizes(_ name: String) throws -> [Int] {
            switch try group.hasAttribute(name) ? try group.attribute(name) : nil {
            case .int64s(let values)?: return values.map { Int($0) }
            case .int64(let value)?: return [Int(value)]
            case .doubles(let values)? where values.allSatisfy({ $0.rounded() == $0 }): return values.map { Int($0) }
            default: throw WorkspaceError.malformed(group, "missing the integer array attribute '\(name)'")
            }
        }
        let noise: InputNoise
        switch try group.workspaceString("input_noise", default: "none") {
        case "gaussian": noise = .gaussian(standardDeviation: Float(try group.workspaceDouble("input_noise_level")))
        case "dropout": noise = .dropout(probability: Float(try group.workspaceDouble("input_noise_level")))
        case "none": noise = .none
        case let other:
            throw WorkspaceError.malformed(group, "the attribute 'input_noise' is '\(other)', "
                                           + "expected 'gaussian', 'dropout' or 'none'")
        }
        return ModelConfiguration(kind: try group.workspaceChoice("kind", ModelKind.self),
                                  leads: Int(try group.workspaceInt("leads")),
                                  encoderHidden: try sizes("encoder_hidden"), decoderHidden: try sizes("decoder_hidden"),
                                  latent: Int(try group.workspaceInt("latent")),
                                  temporalHeads: Int(try group.workspaceInt("temporal_heads")),
                                  leadHeads: Int(try group.workspaceInt("lead_heads")), inputNoise: noise,
                                  mlpDropout: Float(try group.workspaceDouble("mlp_dropout")))
    }
}

extension HDF5Group {
    /// The subgroup `name`, required.
    func workspaceGroup(_ name: String) throws -> HDF5Group {
        guard try kind(of: name) == .group else {
            throw WorkspaceError.malformed(self, "missing the group '\(name)'")
        }
        return try openGroup(name)
    }

    /// Writes `arrays` into the new subgroup `name`: one float32 dataset per array named by its key,
    /// with its shape, and the attribute `parameter_order` listing the keys in order.
    func writeNamedArrays(_ name: String, _ arrays: [NamedArray]) throws {
        let group = try createGroup(name)
        try group.setAttribute(TrainedModel.Layout.parameterOrder, .strings(arrays.map(\.key)))
        for array in arrays {
            try group.writeDataset(array.key, StoredArray(shape: array.shape, elements: .float32(array.values)))
        }
    }

    /// The arrays of subgroup `name` in `parameter_order` (when present; else the group's order).
    func readNamedArrays(_ name: String) throws -> [NamedArray] {
        let group = try workspaceGroup(name)
        var keys = try group.childNames()
        if try group.hasAttribute(TrainedModel.Layout.parameterOrder) {
            switch try group.attribute(TrainedModel.Layout.parameterOrder) {
            case .strings(let order): keys = order
            case .string(let single): keys = [single]
            default: throw WorkspaceError.malformed(group, "'\(TrainedModel.Layout.parameterOrder)' must be a string array")
            }
        }
        return try keys.map { key in
            guard try group.kind(of: key) == .dataset else {
                throw WorkspaceError.malformed(group, "'\(TrainedModel.Layout.parameterOrder)' names '\(key)', "
                                               + "which is not a dataset here")
            }
            let array = try group.readDataset(key)
            return NamedArray(key: key, shape: array.shape, values: array.floats())
        }
    }
}
