/// A CloudEvents 1.0 event in structured JSON mode, as published to `driftwatch.alerts` (type
/// `dev.driftwatch.alert`) when a rule with the alert action fires. The id is deterministic from (model,
/// version, window end, rule), like a trigger's.
public struct Alert: Codable, Sendable, Equatable {
    public static let eventType = "dev.driftwatch.alert"

    public struct Details: Codable, Sendable, Equatable {
        public var model: String
        public var modelVersion: String
        public var referenceVersion: String
        public var window: WindowReport.Window
        public var reportID: String
        public var rule: String
        public var severity: PolicyRule.Severity
        public var features: [RuleEvidence.Feature]
        public var windowBreaches: [RuleEvidence.Breach]

        enum CodingKeys: String, CodingKey {
            case model, modelVersion = "model_version", referenceVersion = "reference_version", window
            case reportID = "report_id", rule, severity, features, windowBreaches = "window_breaches"
        }
    }

    public var specversion = "1.0"
    public var id: String
    public var source = "driftwatch"
    public var type = Alert.eventType
    public var subject: String
    public var time: String
    public var datacontenttype = "application/json"
    public var data: Details

    public init(report: WindowReport, evidence: RuleEvidence) {
        id = "\(report.model)/\(report.modelVersion)/\(report.window.end)/\(evidence.rule)"
        subject = report.model
        time = report.window.end
        data = Details(
            model: report.model, modelVersion: report.modelVersion, referenceVersion: report.reference.version,
            window: report.window, reportID: report.id, rule: evidence.rule, severity: evidence.severity,
            features: evidence.features, windowBreaches: evidence.windowBreaches)
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(self) }
}
