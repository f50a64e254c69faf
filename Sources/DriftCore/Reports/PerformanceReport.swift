import DriftStats

/// A window's model performance, published to `driftwatch.reports` (`"type": "performance"`) once the labels
/// of the window's predictions had the label TTL to arrive. The id is the window report's id plus
/// `/performance`: deterministic, so a replay republishes the same id.
public struct PerformanceReport: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case ok
        /// Fewer labels than `labels.min_labels`: metrics are reported, no verdict is given.
        case insufficientLabels = "insufficient_labels"
        /// No labels arrived for the window's predictions.
        case noLabels = "no_labels"
    }

    public struct Labels: Codable, Sendable, Equatable {
        /// Predictions of the window that were waiting for a label.
        public var predictions: Int
        public var labeled: Int
        /// Predictions whose label did not arrive within the TTL.
        public var unlabeled: Int
        /// Labels of the model without a waiting prediction (expired, unknown or never seen), since the
        /// model's previous performance report.
        public var unmatched: Int
    }

    /// scikit-learn's definitions (accuracy_score, precision/recall/f1 with zero_division=0, roc_auc_score,
    /// log_loss; mean_absolute_error, root_mean_squared_error, mean_absolute_percentage_error).
    public struct Metrics: Codable, Sendable, Equatable {
        public var task: String
        public var accuracy: Double?
        public var precision: Double?
        public var recall: Double?
        public var f1: Double?
        public var rocAUC: Double?
        public var logLoss: Double?
        public var mae: Double?
        public var rmse: Double?
        public var mape: Double?

        public init(task: String) { self.task = task }

        enum CodingKeys: String, CodingKey {
            case task, accuracy, precision, recall, f1
            case rocAUC = "roc_auc"
            case logLoss = "log_loss"
            case mae, rmse, mape
        }

        mutating func classification(_ result: ClassificationMetrics.Result) {
            accuracy = result.accuracy
            precision = result.precision
            recall = result.recall
            f1 = result.f1
            rocAUC = result.rocAUC
            logLoss = result.logLoss
        }
    }

    public var type = "performance"
    public var id: String
    public var model: String
    public var modelVersion: String
    public var window: WindowReport.Window
    public var referenceVersion: String
    public var labels: Labels
    public var metrics: Metrics?
    /// The window report's estimate (CBPE) beside the realised metrics, and realised − estimated per metric.
    public var estimated: WindowReport.Estimated?
    public var estimationError: [String: Double]?
    /// Changes ADWIN and Page–Hinkley flagged in the per-prediction errors (0/1, or absolute for regression).
    public var errorChanges: [ChangeDetection]?
    /// The outcome of each performance rule of the policy (none without labels enough for a verdict).
    public var rules: [WindowReport.RuleOutcome] = []
    public var status: Status

    enum CodingKeys: String, CodingKey {
        case type, id, model
        case modelVersion = "model_version"
        case window
        case referenceVersion = "reference_version"
        case labels, metrics, estimated
        case estimationError = "estimation_error"
        case errorChanges = "error_changes"
        case rules, status
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(self) }

    /// Realised − estimated for each metric both have (none without labels enough for a verdict).
    mutating func compareWithEstimate() {
        guard status == .ok, let estimated, let metrics else { return }
        var errors: [String: Double] = [:]
        for statistic in WindowReport.Estimated.statistics {
            if let realised = PolicyEvaluation.performanceValue(of: statistic, metrics),
                let estimate = estimated.metric(statistic)
            {
                errors[statistic.rawValue] = realised - estimate.value
            }
        }
        estimationError = errors.isEmpty ? nil : errors
    }
}
