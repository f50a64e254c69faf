/// The event published to `driftwatch.alerts` (type `dev.driftwatch.alert`) when a rule with the alert action
/// fires. The id is deterministic from (model, version, window end, rule), like a trigger's. Rules fire on
/// window reports (drift, latency, …) or on performance reports (accuracy, …).
public typealias Alert = CloudEvent<AlertKind>

public enum AlertKind: CloudEventKind {
    public typealias Data = FiringDetails
    public static let type = "dev.driftwatch.alert"
    public static let source = "driftwatch"
}

extension CloudEvent where Kind == AlertKind {
    public init(report: WindowReport, evidence: RuleEvidence) {
        self.init(FiringDetails(report: report, evidence: evidence))
    }

    public init(performance report: PerformanceReport, evidence: RuleEvidence) {
        self.init(FiringDetails(performance: report, evidence: evidence))
    }

    init(_ data: FiringDetails) {
        self.init(id: data.eventID, subject: data.model, time: data.window.end, data: data)
    }
}
