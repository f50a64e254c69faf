/// How labels are joined with predictions and turned into performance metrics.
public struct LabelSettings: Sendable, Equatable {
    /// What the labels are: classes (accuracy, precision, recall, F1, ROC AUC, log loss) or regression
    /// targets (MAE, RMSE, MAPE). `auto`: classification when the model predicts classes or every label is
    /// 0/1/true/false with scores in [0, 1]; regression otherwise.
    public enum Task: String, Sendable, Equatable, CaseIterable {
        case auto, classification, regression
    }

    /// How long (event time, milliseconds) after a prediction its label may arrive; 0 (the default) turns the
    /// join off. While a window waits for labels, its events stay uncommitted: a restart replays up to a TTL
    /// of predictions, so that the window's performance report comes out the same.
    public var ttl: Int64 = 0
    /// At most this many predictions wait for labels per model; beyond it the oldest expire (bounded memory).
    public var maximumPending = 500_000
    /// A window's performance is computed from at least this many labels; fewer: `insufficient_labels`.
    public var minimumLabels = 30
    public var task = Task.auto
    /// A score at or above this predicts the positive class (binary classification from scores).
    public var threshold = 0.5
    /// A version whose reference has no calibration (bootstrapped, or built without labels) gets one fitted on
    /// the labelled scores of its first performance reports, once this many are in (NannyML's CBPE needs a
    /// labelled reference); 0 turns that off.
    public var calibrationLabels = 1_000

    public init() {}

    public var enabled: Bool { ttl > 0 }
}
