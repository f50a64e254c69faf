import DriftStats

/// The report published to `driftwatch.reports` for every closed window of a (model, version).
/// `id` is deterministic from (model, version, window), so a replay republishes the same id.
public struct WindowReport: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case ok
        case drift
        /// Fewer events than the policy's minimum: statistics are reported, no verdict is given.
        case insufficientData = "insufficient_data"
    }

    public struct Window: Codable, Sendable, Equatable {
        public var start: String
        public var end: String
        public var kind: String
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var events: Int
        /// Events that arrived for this (model, version) after their windows had closed, since its previous report.
        public var late: Int
        /// Messages of the model's predictions partition that were dead-lettered since its previous report.
        public var deadLettered: Int
        /// Feature events of the model that found no prediction, since the model's previous report.
        public var unmatchedFeatures: Int
        /// Missing feature values (null or absent) in the window, over all features.
        public var missing: Int

        enum CodingKeys: String, CodingKey {
            case events, late
            case deadLettered = "dead_lettered"
            case unmatchedFeatures = "unmatched_features"
            case missing
        }
    }

    public struct Reference: Codable, Sendable, Equatable {
        public var version: String
        public var source: ReferenceProfile.Source
        public var events: Int
        /// True when the reference was captured from the version's first events rather than built or deployed.
        public var bootstrapped: Bool
    }

    /// One feature's (or the prediction's) comparison with the reference. Numeric: PSI (`reference-quantiles`)
    /// and KS; categorical: PSI over categories (`evidently`), χ², Jensen–Shannon and the unseen rate.
    public struct FeatureResult: Codable, Sendable, Equatable {
        public struct PSI: Codable, Sendable, Equatable {
            public var value: Double
            public var convention: String
            public var bins: Int
        }

        /// Two-sample Kolmogorov–Smirnov against the reference sample, as scipy.stats.ks_2samp(method='auto').
        public struct KS: Codable, Sendable, Equatable {
            public var statistic: Double
            public var pValue: Double
            /// `exact` or `asymptotic`.
            public var method: String

            enum CodingKeys: String, CodingKey {
                case statistic
                case pValue = "p_value"
                case method
            }
        }

        /// χ² of current category counts against reference counts scaled to the window (Evidently `chisquare`).
        public struct ChiSquared: Codable, Sendable, Equatable {
            /// Nil when infinite: a category the reference never had.
            public var statistic: Double?
            /// Nil when undefined: a single category.
            public var pValue: Double?

            enum CodingKeys: String, CodingKey {
                case statistic
                case pValue = "p_value"
            }
        }

        public var name: String
        public var type: String
        public var count: Int
        public var missing: Int
        /// Values of the other type (a string for a numeric feature, a number for a categorical one).
        public var wrongType: Int
        public var psi: PSI?
        public var ks: KS?
        public var chi2: ChiSquared?
        public var jensenShannon: Double?
        public var unseenRate: Double?
        /// The decision mode's verdict and its evidence (see `DriftDecision`).
        public var decision: FeatureDecision?
        /// Breached a feature condition of a rule that breached (for the default rule: `decision` says drift).
        public var drifted: Bool

        enum CodingKeys: String, CodingKey {
            case name, type, count, missing
            case wrongType = "wrong_type"
            case psi, ks, chi2
            case jensenShannon = "jensen_shannon"
            case unseenRate = "unseen_rate"
            case decision, drifted
        }
    }

    /// A feature the reference never saw, and in how many of the window's events it appeared.
    public struct UnknownFeature: Codable, Sendable, Equatable {
        public var name: String
        public var count: Int

        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    /// Latency percentiles of the window's events, in milliseconds (HdrHistogram-style, ≤ 1/128 relative error).
    public struct Latency: Codable, Sendable, Equatable {
        public var count: Int
        public var p50: Double
        public var p95: Double
        public var p99: Double
        public var max: Double
    }

    /// `window`; performance reports on the same topic say `performance`.
    public var type = "window"
    public var id: String
    public var model: String
    public var modelVersion: String
    public var window: Window
    public var counts: Counts
    public var reference: Reference
    public var features: [FeatureResult]
    public var unknownFeatures: [UnknownFeature]
    /// The model output compared with the reference's outputs; reported, not part of the drift decision.
    public var prediction: FeatureResult?
    public var latency: Latency?
    /// Changes ADWIN and Page–Hinkley flagged in the prediction scores of this window (numeric predictions;
    /// not for hopping windows, whose events are in several windows).
    public var predictionChanges: [ChangeDetection]?
    /// Performance estimated from the scores before any label (CBPE), when the reference has a calibration.
    public var estimated: Estimated?
    /// Drift of the features taken together: reconstruction error and domain classifier.
    public var multivariate: Multivariate?
    /// Every policy rule's outcome for this window (empty when the window was too small to evaluate).
    public var rules: [RuleOutcome] = []
    public var status: Status
    /// Set when the report was too large for its topic and was published compacted (see `compacted(to:)`).
    public var compacted: Compaction?
    /// Set when the window began before the first event its monitor read after starting without the partition's
    /// earlier state (no checkpoint, yet committed offsets): earlier events of the window are not in it.
    public var partial: Partial?

    public struct Partial: Codable, Sendable, Equatable {
        public var reason: String
    }

    /// How a report too large for its topic was cut. The full report stays in the monitor's history (SQLite,
    /// `/api/models/{model}/windows`).
    public struct Compaction: Codable, Sendable, Equatable {
        /// Features (and the prediction) whose details were left out.
        public var omittedFeatures: Int
        /// The full report's size and the topic's limit, in bytes.
        public var originalBytes: Int
        public var limitBytes: Int

        enum CodingKeys: String, CodingKey {
            case omittedFeatures = "omitted_features"
            case originalBytes = "original_bytes"
            case limitBytes = "limit_bytes"
        }
    }

    /// The report cut down for a topic that refused it: first without the undrifted features' details (the
    /// drifted ones, counts, rules and status stay), then, if `everyFeature`, without any feature's.
    public func compacted(originalBytes: Int, limitBytes: Int, everyFeature: Bool) -> WindowReport {
        var report = self
        report.features = everyFeature ? [] : features.filter(\.drifted)
        report.prediction = nil
        report.unknownFeatures = everyFeature ? [] : unknownFeatures
        report.compacted = Compaction(
            omittedFeatures: features.count - report.features.count + (prediction == nil ? 0 : 1),
            originalBytes: originalBytes, limitBytes: limitBytes)
        return report
    }

    /// What a policy rule made of the window.
    public struct RuleOutcome: Codable, Sendable, Equatable {
        public var name: String
        public var severity: PolicyRule.Severity
        /// The window breached the rule's conditions.
        public var breached: Bool
        /// The rule acted (alert, retraining): breached, k of the last n windows, not in cooldown.
        public var fired: Bool
        /// Why a breach did not fire: `k_of_n` or `cooldown`.
        public var suppressed: String?
        /// The features that breached a feature condition.
        public var features: [String]
    }

    enum CodingKeys: String, CodingKey {
        case type, id, model
        case modelVersion = "model_version"
        case window, counts, reference, features
        case unknownFeatures = "unknown_features"
        case prediction, latency
        case predictionChanges = "prediction_changes"
        case estimated, multivariate
        case rules
        case status, compacted, partial
    }

    /// Estimated binary-classification metrics (NannyML's CBPE): each with its sampling error and the band
    /// value ± 3 sampling errors within [0, 1].
    public struct Estimated: Codable, Sendable, Equatable {
        public struct Metric: Codable, Sendable, Equatable {
            public var value: Double
            /// Nil (and no band) where the reference gives no sampling error for the metric.
            public var samplingError: Double?
            public var lower: Double?
            public var upper: Double?

            public init(_ estimate: PerformanceEstimation.Estimate) {
                value = estimate.value
                samplingError = estimate.samplingError
                lower = estimate.lower
                upper = estimate.upper
            }

            enum CodingKeys: String, CodingKey {
                case value
                case samplingError = "sampling_error"
                case lower, upper
            }
        }

        /// How many scores the estimate is from.
        public var predictions: Int
        /// The reference's realised accuracy; `estimated_accuracy_drop` is it minus the estimate.
        public var referenceAccuracy: Double
        public var accuracy: Metric
        public var precision: Metric
        public var recall: Metric
        public var f1: Metric
        public var rocAUC: Metric?

        enum CodingKeys: String, CodingKey {
            case predictions
            case referenceAccuracy = "reference_accuracy"
            case accuracy, precision, recall, f1
            case rocAUC = "roc_auc"
        }

        /// The metrics estimated, as the performance statistics that realise them.
        public static let statistics: [PolicyRule.Statistic] = [.accuracy, .precision, .recall, .f1, .rocAUC]

        /// The estimate of a metric, by the performance statistic it estimates (nil for the others).
        public func metric(_ statistic: PolicyRule.Statistic) -> Metric? {
            switch statistic {
            case .accuracy: accuracy
            case .precision: precision
            case .recall: recall
            case .f1: f1
            case .rocAUC: rocAUC
            default: nil
            }
        }
    }

    public struct Multivariate: Codable, Sendable, Equatable {
        /// NannyML's data reconstruction drift: the window's mean PCA reconstruction error against the bounds of
        /// the reference's chunks; `alert` when it is not strictly between them.
        public struct Reconstruction: Codable, Sendable, Equatable {
            public var value: Double
            public var samplingError: Double?
            public var lower: Double?
            public var upper: Double?
            public var alert: Bool
            public var components: Int

            enum CodingKeys: String, CodingKey {
                case value
                case samplingError = "sampling_error"
                case lower, upper, alert, components
            }
        }

        /// The cross-validated ROC AUC of a logistic regression telling window rows from reference rows, on the
        /// standardised features and their pairwise products; `separating`: the terms with the largest weights.
        public struct DomainClassifier: Codable, Sendable, Equatable {
            public struct Term: Codable, Sendable, Equatable {
                public var term: String
                public var weight: Double
            }

            public var auc: Double
            public var rows: Int
            public var separating: [Term]
        }

        public var reconstructionError: Reconstruction?
        public var domainClassifier: DomainClassifier?

        enum CodingKeys: String, CodingKey {
            case reconstructionError = "reconstruction_error"
            case domainClassifier = "domain_classifier"
        }
    }

    /// The drifted features, for triggers and summaries.
    public var driftedFeatures: [FeatureResult] { features.filter(\.drifted) }

    /// JSON with sorted keys: the same report always has the same bytes.
    public func json() -> [UInt8] { CanonicalJSON.encode(self) }
}
