/// A CloudEvents 1.0 event in structured JSON mode, as published to `driftwatch.alerts` (type
/// `dev.driftwatch.alert`) when a rule with the alert action fires. The id is deterministic from (model,
/// version, window end, rule), like a trigger's. Rules fire on window reports (drift, latency, …) or on
/// performance reports (accuracy, …).
public struct Alert: Codable, Sendable, Equatable {
    public static let eventType = "dev.driftwatch.alert"

    public var specversion = "1.0"
    public var id: String
    public var source = "driftwatch"
    public var type = Alert.eventType
    public var subject: String
    public var time: String
    public var datacontenttype = "application/json"
    public var data: FiringDetails

    public init(report: WindowReport, evidence: RuleEvidence) {
        self.init(FiringDetails(report: report, evidence: evidence))
    }

    public init(performance report: PerformanceReport, evidence: RuleEvidence) {
        self.init(FiringDetails(performance: report, evidence: evidence))
    }

    init(_ data: FiringDetails) {
        id = data.eventID
        subject = data.model
        time = data.window.end
        self.data = data
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(self) }
}
