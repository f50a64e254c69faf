/// One output as it is published: which topic (by role; the configuration names the topic), its key, headers
/// and bytes. `run` produces it, `replay` writes its bytes, `verify` expects them and the benchmarks count it:
/// the one encoding of every output.
public struct Publication: Sendable, Equatable {
    /// The output topics, by what they carry.
    public enum Role: String, Sendable, CaseIterable {
        case reports, triggers, alerts, changelog
    }

    public var role: Role
    /// The output's id (window and performance reports, alerts and triggers; the changelog key otherwise).
    public var id: String
    public var key: String
    public var headers: [(key: String, value: String)]
    public var value: [UInt8]

    /// The header that carries a report's id (window and performance reports alike).
    public static let reportIDHeader = "driftwatch.report.id"
    /// The header that says what a changelog record holds.
    public static let changelogKindHeader = "driftwatch.changelog.kind"

    public static func == (a: Publication, b: Publication) -> Bool {
        a.role == b.role && a.id == b.id && a.key == b.key && a.value == b.value
            && a.headers.elementsEqual(b.headers) { $0.key == $1.key && $0.value == $1.value }
    }
}

extension MonitorOutput {
    /// How this output is published; nil for a late event (the pipeline forwards its input to the late topic,
    /// when there is one). `now` (wall-clock milliseconds) dates a captured reference's changelog record.
    public func publication(now: Int64) -> Publication? {
        let cloudEvent = [(key: "content-type", value: "application/cloudevents+json")]
        switch self {
        case .report(let report):
            return Publication(
                role: .reports, id: report.id, key: report.model,
                headers: [(Publication.reportIDHeader, report.id)], value: report.json())
        case .performance(let report):
            return Publication(
                role: .reports, id: report.id, key: report.model,
                headers: [(Publication.reportIDHeader, report.id)], value: report.json())
        case .trigger(let trigger):
            return Publication(
                role: .triggers, id: trigger.id, key: trigger.data.model, headers: cloudEvent, value: trigger.json())
        case .alert(let alert):
            return Publication(
                role: .alerts, id: alert.id, key: alert.data.model, headers: cloudEvent, value: alert.json())
        case .referenceCaptured(let model, let profile):
            let record = DeploymentEvent(
                model: model, modelVersion: profile.modelVersion, deployedAt: EventTime(millisecondsSinceEpoch: now),
                reference: profile)
            let key = "\(model)/\(profile.modelVersion)"
            return Publication(
                role: .changelog, id: key, key: key, headers: [(Publication.changelogKindHeader, "reference")],
                value: record.json())
        case .late:
            return nil
        }
    }

    /// The JSON `driftwatch run` publishes for a report, performance report, alert or trigger (nil for late
    /// events and captured references, which are not outputs of the monitor's own).
    public var publishedJSON: [UInt8]? {
        guard let publication = publication(now: 0), publication.role != .changelog else { return nil }
        return publication.value
    }
}
