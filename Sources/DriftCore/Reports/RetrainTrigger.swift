/// A CloudEvents 1.0 event in structured JSON mode, as published to `retrain.triggers` (type
/// `dev.driftwatch.retrain.requested`) when a rule with the retrain action fires. The id is deterministic
/// from (model, version, window end, rule): a consumer that de-duplicates by id sees a replayed trigger once.
public struct RetrainTrigger: Codable, Sendable, Equatable {
    public static let eventType = "dev.driftwatch.retrain.requested"

    public struct Evidence: Codable, Sendable, Equatable {
        public struct TimeRange: Codable, Sendable, Equatable {
            public var from: String
            public var to: String
        }

        public var model: String
        public var modelVersion: String
        public var referenceVersion: String
        public var window: WindowReport.Window
        public var reportID: String
        public var rule: String
        public var severity: PolicyRule.Severity
        /// The features that breached the rule, each with the statistics, values and thresholds.
        public var features: [RuleEvidence.Feature]
        public var windowBreaches: [RuleEvidence.Breach]
        /// Event-time range of recent traffic to retrain on: the lookback before the drifted window's end.
        public var suggestedTrainingRange: TimeRange

        enum CodingKeys: String, CodingKey {
            case model, modelVersion = "model_version", referenceVersion = "reference_version", window
            case reportID = "report_id", rule, severity, features, windowBreaches = "window_breaches"
            case suggestedTrainingRange = "suggested_training_range"
        }
    }

    public var specversion = "1.0"
    public var id: String
    public var source = "driftwatch"
    public var type = RetrainTrigger.eventType
    public var subject: String
    public var time: String
    public var datacontenttype = "application/json"
    public var data: Evidence

    /// The trigger of a rule that fired on a window.
    public init(report: WindowReport, evidence: RuleEvidence, windowEnd: Int64, trainingLookbackMilliseconds: Int64) {
        let from = EventTime(millisecondsSinceEpoch: windowEnd - trainingLookbackMilliseconds)
        id = "\(report.model)/\(report.modelVersion)/\(report.window.end)/\(evidence.rule)"
        subject = report.model
        time = report.window.end
        data = Evidence(
            model: report.model, modelVersion: report.modelVersion, referenceVersion: report.reference.version,
            window: report.window, reportID: report.id, rule: evidence.rule, severity: evidence.severity,
            features: evidence.features, windowBreaches: evidence.windowBreaches,
            suggestedTrainingRange: Evidence.TimeRange(from: from.rfc3339, to: report.window.end))
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(self) }
}
