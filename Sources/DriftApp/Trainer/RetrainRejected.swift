import DriftCore

/// The alert a trainer raises when a retraining produced no deployable version (type
/// `dev.driftwatch.retrain.rejected`, id = the trigger's id + `/rejected`, on `driftwatch.alerts`).
typealias RetrainRejected = CloudEvent<RetrainRejectedKind>

enum RetrainRejectedKind: CloudEventKind {
    struct Data: Codable, Sendable, Equatable {
        var model: String
        var modelVersion: String
        var triggerID: String
        var severity = PolicyRule.Severity.critical
        var reason: String

        enum CodingKeys: String, CodingKey {
            case model, severity, reason
            case modelVersion = "model_version"
            case triggerID = "trigger_id"
        }
    }

    static let type = "dev.driftwatch.retrain.rejected"
    static let source = "driftwatch-trainer"
}

extension CloudEvent where Kind == RetrainRejectedKind {
    init(trigger: RetrainTrigger, reason: String) {
        self.init(
            id: trigger.id + "/rejected", subject: trigger.data.model, time: trigger.data.window.end,
            data: .init(
                model: trigger.data.model, modelVersion: trigger.data.modelVersion, triggerID: trigger.id,
                reason: reason))
    }
}
