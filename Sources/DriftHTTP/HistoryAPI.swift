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
        let latest = try latestReports(names)
        let entries = names.map { name in
            let summary = summaries.first { $0.model == name }
            var fields = [
                "\"model\":\(JSONText.string(name))",
                "\"windows\":\(summary?.windows ?? 0)",
                "\"alerts\":\(summary?.alerts ?? 0)",
                "\"triggers\":\(summary?.triggers ?? 0)",
                "\"last_window_end\":\(summary.map { JSONText.string(EventTime(millisecondsSinceEpoch: $0.lastWindowEnd).rfc3339) } ?? "null")",
            ]
            fields.append("\"references\":[" + references.filter { $0.model == name }.map { reference in
                "{\"version\":\(JSONText.string(reference.version)),\"source\":\(JSONText.string(reference.source)),"
                    + "\"events\":\(reference.events),\"features\":\(reference.features),\"stored_at\":\(JSONText.string(reference.storedAt))}"
            }.joined(separator: ",") + "]")
            fields.append("\"versions\":[" + versions.filter { $0.model == name }.map { version in
                "{\"version\":\(JSONText.string(version.version)),\"status\":\(JSONText.string(version.status.rawValue)),"
                    + "\"parent_version\":\(JSONText.optional(version.parentVersion)),\"created_at\":\(JSONText.string(version.createdAt))}"
            }.joined(separator: ",") + "]")
            fields.append("\"latest_report\":\(latest[name].map { String(decoding: $0, as: UTF8.self) } ?? "null")")
            return "{" + fields.joined(separator: ",") + "}"
        }
        return .json("{\"models\":[" + entries.joined(separator: ",") + "]}\n")
    }

    /// `GET /api/models/{model}/windows?from&to&limit`: window and performance reports with window ends in
    /// [from, to) (RFC 3339 or epoch milliseconds), the newest `limit` (default 500).
    func windows(model: String, query: [String: String]) throws -> Response {
        let from = try time(query, "from")
        let to = try time(query, "to")
        let limit = try count(query)
        let windows = try store.history(.init(kinds: [.window], model: model, from: from, to: to, limit: limit))
        let performance = try store.history(.init(kinds: [.performance], model: model, from: from, to: to, limit: limit))
        return .json(
            "{\"model\":\(JSONText.string(model)),\"windows\":\(array(windows)),\"performance\":\(array(performance))}\n")
    }

    /// `GET /api/alerts` and `GET /api/triggers` (`?model&from&to&limit`); triggers carry the training
    /// service's outcome when it recorded one.
    func firings(_ kind: StateStore.HistoryKind, query: [String: String]) throws -> Response {
        let records = try store.history(
            .init(kinds: [kind], model: query["model"], from: try time(query, "from"),
                  to: try time(query, "to"), limit: try count(query)))
        let name = kind == .alert ? "alerts" : "triggers"
        guard kind == .trigger else { return .json("{\"\(name)\":\(array(records))}\n") }
        let outcomes = try store.triggerOutcomes()
        let entries = records.map { record in
            let outcome = outcomes[record.id]
            return "{\"outcome\":\(JSONText.string(outcome?.outcome ?? "pending")),"
                + "\"result_version\":\(JSONText.optional(outcome?.resultVersion)),"
                + "\"event\":\(String(decoding: record.body, as: UTF8.self))}"
        }
        return .json("{\"\(name)\":[" + entries.joined(separator: ",") + "]}\n")
    }

    private func latestReports(_ models: [String]) throws -> [String: [UInt8]] {
        var latest: [String: [UInt8]] = [:]
        for model in models {
            if let record = try store.history(.init(kinds: [.window], model: model, limit: 1)).last { latest[model] = record.body }
        }
        return latest
    }

    private func array(_ records: [StateStore.HistoryRecord]) -> String {
        "[" + records.map { String(decoding: $0.body, as: UTF8.self) }.joined(separator: ",") + "]"
    }

    private func time(_ query: [String: String], _ name: String) throws -> Int64? {
        guard let text = query[name], !text.isEmpty else { return nil }
        if let milliseconds = Int64(text) { return milliseconds }
        if let time = EventTime(rfc3339: text) { return time.millisecondsSinceEpoch }
        throw HTTPError(
            .badRequest, message: "'\(name)' must be an RFC 3339 time (2026-12-01T10:00:00Z) or epoch milliseconds, got '\(text)'")
    }

    private func count(_ query: [String: String]) throws -> Int {
        guard let text = query["limit"] else { return 500 }
        guard let limit = Int(text), (1...10_000).contains(limit) else {
            throw HTTPError(.badRequest, message: "'limit' must be a whole number from 1 to 10000, got '\(text)'")
        }
        return limit
    }
}

/// JSON text for values spliced into responses.
enum JSONText {
    static func string(_ value: String) -> String { CanonicalJSON.quoted(value) }

    static func optional(_ value: String?) -> String { value.map(string) ?? "null" }
}
