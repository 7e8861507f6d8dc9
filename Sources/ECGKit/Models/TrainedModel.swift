// TrainedModel: a model together with what a user needs to keep with it — how it was trained
// (options, resumable state, history), the data it saw and its chosen threshold.
import Evaluation
import Models

/// A model and its life so far: the value behind the language's `model`, and what a workspace stores
/// as a `model` group.
///
/// A reference type on purpose: `fit(m, data)` trains `m` in place, as in the language sketch, and a
/// score keeps describing the model it came from. It is used from one thread at a time (the
/// interpreter's), which is why the unchecked `Sendable` conformance is sound here: the layers it holds
/// are classes with mutable parameters.
public final class TrainedModel: @unchecked Sendable {
    /// The network (CAE, VAE-BiLSTM, VAE-BiLSTM-MHA or MA-VAE), with its current weights.
    public let model: any AnomalyModel
    /// The size preset it was made with ("reference", "small"), or "custom" for explicit sizes.
    public var sizeName: String
    /// Where the weights came from: "model(\"cae\", size=\"small\", seed=42)", "import_torch(\"x.pth\")", ….
    public var origin: String
    /// The options of the last `fit` (nil before training).
    public var trainingOptions: TrainingOptions?
    /// Where training stopped: epochs, history, Adam moments, scheduler, best weights (nil before training).
    public var trainingState: TrainingState?
    /// A description of the data it was trained on, e.g. "ptbxl NORM: 800 records (640 train, 160 val)".
    public var trainingData: String?
    /// The decision threshold chosen for it (with its method), nil until one is set.
    public var threshold: Threshold?
    /// The window-score formula its threshold was set with, which scoring then uses by default;
    /// nil: the kind's default (`ScoringOptions.defaultMethod`).
    public var scoreMethod: WindowScoreMethod?

    /// Wraps `model`; everything else starts empty.
    public init(_ model: any AnomalyModel, sizeName: String, origin: String,
                trainingOptions: TrainingOptions? = nil, trainingState: TrainingState? = nil,
                trainingData: String? = nil, threshold: Threshold? = nil, scoreMethod: WindowScoreMethod? = nil) {
        self.model = model
        self.sizeName = sizeName
        self.origin = origin
        self.trainingOptions = trainingOptions
        self.trainingState = trainingState
        self.trainingData = trainingData
        self.threshold = threshold
        self.scoreMethod = scoreMethod
    }

    /// The model's configuration (kind, leads, sizes).
    public var configuration: ModelConfiguration { model.configuration }

    /// The model's kind.
    public var kind: ModelKind { model.configuration.kind }

    /// Per-epoch history of every `fit` so far (empty before training).
    public var history: TrainingHistory { trainingState?.history ?? [] }
}
