import DriftCore

/// The alert a trainer raises when a retraining produced no deployable version (CloudEvents 1.0, type
/// `dev.driftwatch.retrain.rejected`, id = the trigger's id + `/rejected`, on `driftwatch.alerts`).
struct RetrainRejected: Codable, Sendable {
    struct Details: Codable, Sendable {
        var model: String
        var modelVersion: String
        var triggerID: String
        var severity = PolicyRule.Severity.critical
        var reason: String

        enum CodingKeys: String, CodingKey {
            case model, modelVersion = "model_version", triggerID = "trigger_id", severity, reason
        }
    }

    var specversion = "1.0"
    var id: String
    var source = "driftwatch-trainer"
    var type = "dev.driftwatch.retrain.rejected"
    var subject: String
    var time: String
    var datacontenttype = "application/json"
    var data: Details

    init(trigger: RetrainTrigger, reason: String) {
        id = trigger.id + "/rejected"
        subject = trigger.data.model
        time = trigger.data.window.end
        data = Details(model: trigger.data.model, modelVersion: trigger.data.modelVersion, triggerID: trigger.id, reason: reason)
    }

    func json() -> [UInt8] { CanonicalJSON.encode(self) }
}
