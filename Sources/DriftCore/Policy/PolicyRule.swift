import DriftStats

/// One rule of a policy: conditions on statistics, how many features must breach them, how often (k of the
/// last n evaluated windows), how long to stay quiet after firing, how severe it is and what it does.
/// `above` means value ≥ threshold, `below` means value < threshold. Feature conditions are checked per
/// feature (p-values after the policy's multiple-testing correction); a rule with window conditions breaches
/// when any of them holds. A rule on performance metrics (accuracy, …) is evaluated on a window's
/// performance report, once its labels are in, and never mixes with feature or window conditions.
public struct PolicyRule: Sendable, Equatable {
    public enum Statistic: String, Sendable, CaseIterable {
        // Per feature. `drift` is the decision mode's verdict: 1 when the feature drifted, else 0.
        case drift, psi
        case ksStatistic = "ks_statistic"
        case ksPValue = "ks_p_value"
        case chi2PValue = "chi2_p_value"
        case jensenShannon = "jensen_shannon"
        case unseenRate = "unseen_rate"
        case missingRate = "missing_rate"
        case wrongTypeRate = "wrong_type_rate"
        // Per window.
        case latencyP50 = "latency_p50"
        case latencyP95 = "latency_p95"
        case latencyP99 = "latency_p99"
        case lateEvents = "late_events"
        case deadLettered = "dead_lettered"
        case predictionPSI = "prediction_psi"
        /// Changes the detectors flagged in the window's prediction scores.
        case predictionChange = "prediction_change"
        /// Estimated before labels (CBPE; the estimate, not its band).
        case estimatedAccuracy = "estimated_accuracy"
        case estimatedPrecision = "estimated_precision"
        case estimatedRecall = "estimated_recall"
        case estimatedF1 = "estimated_f1"
        case estimatedROCAUC = "estimated_roc_auc"
        /// The reference's realised accuracy minus the window's estimate.
        case estimatedAccuracyDrop = "estimated_accuracy_drop"
        /// Multivariate: the mean reconstruction error, 1 when it is outside the reference's bounds (else 0),
        /// the domain classifier's AUC.
        case reconstructionError = "reconstruction_error"
        case reconstructionAlert = "reconstruction_alert"
        case domainClassifierAUC = "domain_classifier_auc"
        // Per performance report (labels joined), scikit-learn's definitions; `error_change`: changes the
        // detectors flagged in the per-prediction errors.
        case accuracy, precision, recall, f1
        case rocAUC = "roc_auc"
        case logLoss = "log_loss"
        case mae, rmse, mape
        case errorChange = "error_change"

        public var isPerFeature: Bool {
            switch self {
            case .latencyP50, .latencyP95, .latencyP99, .lateEvents, .deadLettered, .predictionPSI, .predictionChange,
                .estimatedAccuracy, .estimatedPrecision, .estimatedRecall, .estimatedF1, .estimatedROCAUC,
                .estimatedAccuracyDrop,
                .reconstructionError, .reconstructionAlert, .domainClassifierAUC:
                false
            default: !isPerformance
            }
        }

        public var isPerformance: Bool {
            switch self {
            case .accuracy, .precision, .recall, .f1, .rocAUC, .logLoss, .mae, .rmse, .mape, .errorChange: true
            default: false
            }
        }

        public var isPValue: Bool { self == .ksPValue || self == .chi2PValue }
    }

    public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
        case info, warning, critical

        public static func < (a: Severity, b: Severity) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public struct Condition: Sendable, Equatable {
        public var statistic: Statistic
        public var threshold: Double
        /// True: breached when value ≥ threshold; false: when value < threshold.
        public var above: Bool

        public init(_ statistic: Statistic, above threshold: Double) {
            self.statistic = statistic
            self.threshold = threshold
            self.above = true
        }

        public init(_ statistic: Statistic, below threshold: Double) {
            self.statistic = statistic
            self.threshold = threshold
            self.above = false
        }

        func breached(by value: Double) -> Bool { above ? value >= threshold : value < threshold }
    }

    public var name: String
    public var conditions: [Condition]
    /// Feature conditions: the rule breaches when at least this many features breach one of them.
    public var minimumFeatures = 1
    /// Fires when the rule breached in at least `k` of the last `n` evaluated windows (this one included).
    public var k = 1
    public var n = 1
    /// Event time after a firing during which the rule does not fire again.
    public var cooldown: Int64 = 0
    public var severity = Severity.warning
    public var alert = true
    public var retrain = false

    public init(name: String, conditions: [Condition]) {
        self.name = name
        self.conditions = conditions
    }

    /// Whether the rule is about model performance (evaluated on performance reports).
    public var isPerformance: Bool { conditions.contains { $0.statistic.isPerformance } }
}

/// A rule's memory across the windows of one (model, version): which of the last `n` evaluated windows
/// breached (newest in the lowest bit) and when it last fired. Part of the monitor's checkpoint.
public struct RuleState: Sendable, Equatable, Codable {
    public var history: UInt64 = 0
    public var evaluated = 0
    /// The end (epoch ms) of the window in which the rule last fired.
    public var lastFired: Int64?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case history, evaluated
        case lastFired = "last_fired"
    }
}
