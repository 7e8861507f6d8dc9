// The plain input of the HTML report: records with scores and figures, the threshold and a model card.

/// What the report says about the model: kind, size, training data, history and threshold method.
public struct ModelCard: Sendable {
    /// The model kind, e.g. "VAE-BiLSTM-MHA".
    public var kind: String
    /// A size description, e.g. "small: latent 16, hidden 32".
    public var size: String
    public var parameterCount: Int?
    /// The training data, e.g. "PTB-XL normal records, 500 Hz, 8 leads, 1800 windows".
    public var trainingData: String
    /// A one-line history summary, e.g. "40 epochs, best val loss 0.0123 at epoch 31".
    public var historySummary: String
    /// How the threshold was set, e.g. "p95 of 400 normal validation scores".
    public var thresholdMethod: String
    /// Loss curves per epoch, drawn as a training-history figure when not empty.
    public var trainingLosses: [PlotSeries]
    /// Further label/value rows.
    public var notes: [ModelCardNote]

    public init(kind: String, size: String, parameterCount: Int? = nil, trainingData: String, historySummary: String,
                thresholdMethod: String, trainingLosses: [PlotSeries] = [], notes: [ModelCardNote] = []) {
        self.kind = kind
        self.size = size
        self.parameterCount = parameterCount
        self.trainingData = trainingData
        self.historySummary = historySummary
        self.thresholdMethod = thresholdMethod
        self.trainingLosses = trainingLosses
        self.notes = notes
    }
}

/// One extra row of the model card.
public struct ModelCardNote: Sendable {
    public var label: String
    public var value: String
    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }
}

/// One scored record of the report; its verdict is `score > threshold` of the report.
public struct ReportRecord: Sendable {
    public var score: Double
    public var figure: ScoreFigureInput
    public init(score: Double, figure: ScoreFigureInput) {
        self.score = score
        self.figure = figure
    }
}

/// Everything the report shows.
public struct ReportInput: Sendable {
    public var title: String
    /// The record-level threshold tau (a record is anomalous iff score > tau), the slider's start.
    public var threshold: Double
    public var records: [ReportRecord]
    public var modelCard: ModelCard?

    public init(title: String, threshold: Double, records: [ReportRecord], modelCard: ModelCard? = nil) {
        self.title = title
        self.threshold = threshold
        self.records = records
        self.modelCard = modelCard
    }
}
