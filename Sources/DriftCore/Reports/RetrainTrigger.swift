/// A CloudEvents 1.0 event in structured JSON mode, as published to `retrain.triggers` (type
/// `dev.driftwatch.retrain.requested`) when a rule with the retrain action fires. The id is deterministic
/// from (model, version, window end, rule): a consumer that de-duplicates by id sees a replayed trigger once.
public struct RetrainTrigger: Codable, Sendable, Equatable {
    public static let eventType = "dev.driftwatch.retrain.requested"

    public var specversion = "1.0"
    public var id: String
    public var source = "driftwatch"
    public var type = RetrainTrigger.eventType
    public var subject: String
    public var time: String
    public var datacontenttype = "application/json"
    public var data: FiringDetails

    /// The trigger of a rule that fired on a window; the training range is the lookback before its end.
    public init(report: WindowReport, evidence: RuleEvidence, windowEnd: Int64, trainingLookbackMilliseconds: Int64) {
        let from = EventTime(millisecondsSinceEpoch: windowEnd - trainingLookbackMilliseconds)
        id = "\(report.model)/\(report.modelVersion)/\(report.window.end)/\(evidence.rule)"
        subject = report.model
        time = report.window.end
        data = FiringDetails(
            report: report, evidence: evidence,
            suggestedTrainingRange: .init(from: from.rfc3339, to: report.window.end))
    }

    public func json() -> [UInt8] { CanonicalJSON.encode(self) }
}
