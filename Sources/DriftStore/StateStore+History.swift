import DriftCore
import Foundation
import GRDB

/// What the monitor published, kept for the HTTP API, the dashboard and `driftwatch status`: window and
/// performance reports, alerts and retrain triggers, each in its published JSON form. Ids are the outputs'
/// deterministic ids, so a replay that publishes an output again replaces it with the same bytes.
extension StateStore {
    public enum HistoryKind: String, Sendable, CaseIterable {
        case window, performance, alert, trigger
    }

    public struct HistoryRecord: Sendable, Equatable {
        public var id: String
        public var kind: HistoryKind
        public var model: String
        public var version: String
        /// The window's bounds (epoch milliseconds).
        public var windowStart: Int64
        public var windowEnd: Int64
        /// The published JSON.
        public var body: [UInt8]

        public init(
            id: String, kind: HistoryKind, model: String, version: String, windowStart: Int64, windowEnd: Int64,
            body: [UInt8]
        ) {
            self.id = id
            self.kind = kind
            self.model = model
            self.version = version
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.body = body
        }
    }

    /// The query of `history(_:)`: the newest `limit` records of the kinds, optionally of one model and with
    /// window ends in `from ..< to` (epoch ms); returned oldest first.
    public struct HistoryQuery: Sendable {
        public var kinds: [HistoryKind]
        public var model: String?
        public var from: Int64?
        public var to: Int64?
        public var limit: Int

        public init(kinds: [HistoryKind], model: String? = nil, from: Int64? = nil, to: Int64? = nil, limit: Int = 500)
        {
            self.kinds = kinds
            self.model = model
            self.from = from
            self.to = to
            self.limit = limit
        }
    }

    /// One model's history at a glance.
    public struct ModelHistorySummary: Sendable, Equatable {
        public var model: String
        public var windows: Int
        public var alerts: Int
        public var triggers: Int
        /// The newest window end (epoch ms) of any record.
        public var lastWindowEnd: Int64
    }

    static func registerHistoryMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("output history") { db in
            try db.create(table: "output_history") { table in
                table.column("id", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("model", .text).notNull()
                table.column("version", .text).notNull()
                table.column("window_start", .integer).notNull()
                table.column("window_end", .integer).notNull()
                table.column("body", .blob).notNull()
                // An alert and a trigger of the same firing share their id.
                table.primaryKey(["kind", "id"])
            }
            try db.create(
                index: "output_history_by_model", on: "output_history", columns: ["model", "kind", "window_end"])
            try db.create(index: "output_history_by_kind", on: "output_history", columns: ["kind", "window_end"])
        }
    }

    /// Keeps published outputs (replacing records of the same kind and id).
    public func record(history records: [HistoryRecord]) throws {
        guard !records.isEmpty else { return }
        try write("record \(records.count) published outputs") { db in
            for record in records {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO output_history (id, kind, model, version, window_start, window_end, body)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.id, record.kind.rawValue, record.model, record.version, record.windowStart,
                        record.windowEnd, Data(record.body),
                    ])
            }
        }
    }

    /// Deletes records whose window ended more than `retention` ms (event time) before the newest one's;
    /// returns how many.
    @discardableResult
    public func pruneHistory(keeping retention: Int64) throws -> Int {
        try write("prune the output history") { db in
            try db.execute(
                sql: """
                    DELETE FROM output_history
                    WHERE window_end < (SELECT MAX(window_end) FROM output_history) - ?
                    """,
                arguments: [retention])
            return db.changesCount
        }
    }

    public func history(_ query: HistoryQuery) throws -> [HistoryRecord] {
        let kinds = query.kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT * FROM output_history
                        WHERE kind IN (\(kinds)) AND (? IS NULL OR model = ?)
                          AND (? IS NULL OR window_end >= ?) AND (? IS NULL OR window_end < ?)
                        ORDER BY window_end DESC, id DESC LIMIT ?
                    ) ORDER BY window_end, id
                    """,
                arguments: [query.model, query.model, query.from, query.from, query.to, query.to, max(0, query.limit)]
            ).map { row in
                HistoryRecord(
                    id: row["id"], kind: HistoryKind(rawValue: row["kind"]) ?? .window, model: row["model"],
                    version: row["version"], windowStart: row["window_start"], windowEnd: row["window_end"],
                    body: Array(row["body"] as Data))
            }
        }
    }

    /// The records of `query` decoded as `type` (the published JSON of reports, alerts, triggers); records that
    /// do not decode are left out.
    public func history<Output: Decodable>(_ type: Output.Type, _ query: HistoryQuery) throws -> [Output] {
        let decoder = JSONDecoder()
        return try history(query).compactMap { try? decoder.decode(type, from: Data($0.body)) }
    }

    /// Every model with a history, by name.
    public func historySummaries() throws -> [ModelHistorySummary] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT model,
                           SUM(kind = 'window') AS windows, SUM(kind = 'alert') AS alerts,
                           SUM(kind = 'trigger') AS triggers, MAX(window_end) AS last_window_end
                    FROM output_history GROUP BY model ORDER BY model
                    """
            ).map { row in
                ModelHistorySummary(
                    model: row["model"], windows: row["windows"], alerts: row["alerts"], triggers: row["triggers"],
                    lastWindowEnd: row["last_window_end"])
            }
        }
    }
}
