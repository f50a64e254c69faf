import DriftCore
import DriftStore

extension StateStore.HistoryRecord {
    /// The history record of a published report, performance report, alert or trigger (nil for other outputs).
    /// `body` is the JSON that was published.
    public init?(_ output: MonitorOutput, body: [UInt8]) {
        let kind: StateStore.HistoryKind
        let id: String
        let model: String
        let version: String
        let window: WindowReport.Window
        switch output {
        case .report(let report):
            (kind, id, model, version, window) = (.window, report.id, report.model, report.modelVersion, report.window)
        case .performance(let report):
            (kind, id, model, version, window) = (
                .performance, report.id, report.model, report.modelVersion, report.window
            )
        case .alert(let alert):
            (kind, id, model, version, window) = (
                .alert, alert.id, alert.data.model, alert.data.modelVersion, alert.data.window
            )
        case .trigger(let trigger):
            (kind, id, model, version, window) = (
                .trigger, trigger.id, trigger.data.model, trigger.data.modelVersion, trigger.data.window
            )
        case .late, .referenceCaptured:
            return nil
        }
        guard let start = EventTime(rfc3339: window.start), let end = EventTime(rfc3339: window.end) else { return nil }
        self.init(
            id: id, kind: kind, model: model, version: version, windowStart: start.millisecondsSinceEpoch,
            windowEnd: end.millisecondsSinceEpoch, body: body)
    }
}
