import DriftCore
import DriftStore
import Foundation
import Hummingbird

/// The JSON API over the state database. Reports, alerts and triggers are returned exactly as they were
/// published (the event contracts' JSON); bad query parameters are 400s that say what was expected.
struct HistoryAPI: Sendable {
    let store: StateStore

    /// `GET /api/models`: every model with a history, a stored reference or a registered version.
    func models() throws -> Response {
        let summaries = try store.historySummaries()
        let references = try store.summaries()
        let versions = try store.versions()
        let names = Set(summaries.map(\.model) + references.map(\.model) + versions.map(\.model)).sorted()
        let models = try names.map { name in
            let summary = summaries.first { $0.model == name }
            return APIResponses.Model(
                model: name, windows: summary?.windows ?? 0, alerts: summary?.alerts ?? 0,
                triggers: summary?.triggers ?? 0,
                lastWindowEnd: summary.map { EventTime(millisecondsSinceEpoch: $0.lastWindowEnd).rfc3339 },
                references: references.filter { $0.model == name }.map {
                    .init(
                        version: $0.version, source: $0.source, events: $0.events, features: $0.features,
                        storedAt: $0.storedAt)
                },
                versions: versions.filter { $0.model == name }.map {
                    .init(
                        version: $0.version, status: $0.status.rawValue, parentVersion: $0.parentVersion,
                        createdAt: $0.createdAt)
                },
                latestReport: try store.history(WindowReport.self, .init(kinds: [.window], model: name, limit: 1)).last)
        }
        return .json(APIResponses.Models(models: models))
    }

    /// `GET /api/models/{model}/windows?from&to&limit`: window and performance reports with window ends in
    /// [from, to) (RFC 3339 or epoch milliseconds), the newest `limit` (default 500).
    func windows(model: String, query: [String: String]) throws -> Response {
        let from = try time(query, "from")
        let to = try time(query, "to")
        let limit = try count(query)
        return .json(
            APIResponses.Windows(
                model: model,
                windows: try store.history(
                    WindowReport.self, .init(kinds: [.window], model: model, from: from, to: to, limit: limit)),
                performance: try store.history(
                    PerformanceReport.self, .init(kinds: [.performance], model: model, from: from, to: to, limit: limit)
                )))
    }

    /// `GET /api/instance`: the instance's state, partitions and lag (404 before a pipeline ran on this database).
    func instance() throws -> Response {
        guard let status = try store.instanceStatus() else {
            throw HTTPError(.notFound, message: "no instance status yet: the monitor has not run on this database")
        }
        return .json(status)
    }

    /// `GET /api/alerts` (`?model&from&to&limit`).
    func alerts(query: [String: String]) throws -> Response {
        .json(APIResponses.Alerts(alerts: try store.history(Alert.self, try firings(.alert, query))))
    }

    /// `GET /api/triggers` (`?model&from&to&limit`): each with the training service's outcome, when it recorded one.
    func triggers(query: [String: String]) throws -> Response {
        let outcomes = try store.triggerOutcomes()
        let triggers = try store.history(RetrainTrigger.self, try firings(.trigger, query)).map { trigger in
            APIResponses.Trigger(
                outcome: outcomes[trigger.id]?.outcome ?? "pending", resultVersion: outcomes[trigger.id]?.resultVersion,
                event: trigger)
        }
        return .json(APIResponses.Triggers(triggers: triggers))
    }

    private func firings(_ kind: StateStore.HistoryKind, _ query: [String: String]) throws -> StateStore.HistoryQuery {
        .init(
            kinds: [kind], model: query["model"], from: try time(query, "from"), to: try time(query, "to"),
            limit: try count(query))
    }

    private func time(_ query: [String: String], _ name: String) throws -> Int64? {
        guard let text = query[name], !text.isEmpty else { return nil }
        if let milliseconds = Int64(text) { return milliseconds }
        if let time = EventTime(rfc3339: text) { return time.millisecondsSinceEpoch }
        throw HTTPError(
            .badRequest,
            message: "'\(name)' must be an RFC 3339 time (2026-12-01T10:00:00Z) or epoch milliseconds, got '\(text)'")
    }

    private func count(_ query: [String: String]) throws -> Int {
        guard let text = query["limit"] else { return 500 }
        guard let limit = Int(text), (1...10_000).contains(limit) else {
            throw HTTPError(.badRequest, message: "'limit' must be a whole number from 1 to 10000, got '\(text)'")
        }
        return limit
    }
}

extension Response {
    /// A JSON response of an API type, encoded as every output is (`CanonicalJSON`), with a final newline.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value) + [UInt8(ascii: "\n")])))
    }
}
