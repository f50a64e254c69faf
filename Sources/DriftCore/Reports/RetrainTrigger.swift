/// The event published to `retrain.triggers` (type
/// `dev.driftwatch.retrain.requested`) when a rule with the retrain action fires. The id is deterministic
/// from (model, version, window end, rule): a consumer that de-duplicates by id sees a replayed trigger once.
public typealias RetrainTrigger = CloudEvent<RetrainTriggerKind>

public enum RetrainTriggerKind: CloudEventKind {
    public typealias Data = FiringDetails
    public static let type = "dev.driftwatch.retrain.requested"
    public static let source = "driftwatch"
}

extension CloudEvent where Kind == RetrainTriggerKind {
    /// The trigger of a rule that fired on a window; the training range is the lookback before its end.
    public init(report: WindowReport, evidence: RuleEvidence, windowEnd: Int64, trainingLookbackMilliseconds: Int64) {
        self.init(
            FiringDetails(report: report, evidence: evidence), windowEnd: windowEnd,
            lookback: trainingLookbackMilliseconds)
    }

    /// The trigger of a performance rule (accuracy below a floor, …) that fired on a window's labels.
    public init(
        performance report: PerformanceReport, evidence: RuleEvidence, windowEnd: Int64,
        trainingLookbackMilliseconds: Int64
    ) {
        self.init(
            FiringDetails(performance: report, evidence: evidence), windowEnd: windowEnd,
            lookback: trainingLookbackMilliseconds)
    }

    init(_ details: FiringDetails, windowEnd: Int64, lookback: Int64) {
        var data = details
        data.suggestedTrainingRange = .init(
            from: EventTime(millisecondsSinceEpoch: windowEnd - lookback).rfc3339, to: details.window.end)
        self.init(id: details.eventID, subject: details.model, time: details.window.end, data: data)
    }
}
