import DriftCore
import Foundation
import GRDB

/// The model registry: versions with their status, training range and validation metrics, and the triggers
/// (and what became of each) that led to them. Reference profiles live in `reference_profile`.
extension StateStore {
    public enum VersionStatus: String, Sendable, Codable {
        case candidate, deployed, rejected, retired
    }

    public struct VersionRecord: Sendable, Equatable {
        public var model: String
        public var version: String
        public var status: VersionStatus
        public var parentVersion: String?
        public var triggerID: String?
        public var trainingFrom: String?
        public var trainingTo: String?
        /// Validation metrics as JSON (holdout accuracy of the candidate and of the deployed version, rows).
        public var metrics: String
        public var createdAt: String

        public init(
            model: String, version: String, status: VersionStatus, parentVersion: String?, triggerID: String?,
            trainingFrom: String?, trainingTo: String?, metrics: String, createdAt: String
        ) {
            self.model = model
            self.version = version
            self.status = status
            self.parentVersion = parentVersion
            self.triggerID = triggerID
            self.trainingFrom = trainingFrom
            self.trainingTo = trainingTo
            self.metrics = metrics
            self.createdAt = createdAt
        }
    }

    public struct TriggerRecord: Sendable, Equatable {
        public var id: String
        public var model: String
        public var version: String
        public var windowEnd: String
        public var rule: String
        /// `retrained`, `rejected`, `coalesced`, `insufficient-data`.
        public var outcome: String
        public var resultVersion: String?
        public var receivedAt: String

        public init(
            id: String, model: String, version: String, windowEnd: String, rule: String, outcome: String,
            resultVersion: String?, receivedAt: String
        ) {
            self.id = id
            self.model = model
            self.version = version
            self.windowEnd = windowEnd
            self.rule = rule
            self.outcome = outcome
            self.resultVersion = resultVersion
            self.receivedAt = receivedAt
        }
    }

    static func registerRegistryMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("registry") { db in
            try db.create(table: "model_version") { table in
                table.column("model", .text).notNull()
                table.column("version", .text).notNull()
                table.column("status", .text).notNull()
                table.column("parent_version", .text)
                table.column("trigger_id", .text)
                table.column("training_from", .text)
                table.column("training_to", .text)
                table.column("metrics", .text).notNull()
                table.column("created_at", .text).notNull()
                table.primaryKey(["model", "version"])
            }
            try db.create(table: "trigger_log") { table in
                table.column("id", .text).primaryKey()
                table.column("model", .text).notNull()
                table.column("version", .text).notNull()
                table.column("window_end", .text).notNull()
                table.column("rule", .text).notNull()
                table.column("outcome", .text).notNull()
                table.column("result_version", .text)
                table.column("received_at", .text).notNull()
            }
        }
    }

    /// Registers a version; a deployed one retires the model's previously deployed version.
    public func register(_ record: VersionRecord) throws {
        try write("register \(record.model) version \(record.version)") { db in
            if record.status == .deployed {
                try db.execute(
                    sql: "UPDATE model_version SET status = 'retired' WHERE model = ? AND status = 'deployed'",
                    arguments: [record.model])
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO model_version
                    (model, version, status, parent_version, trigger_id, training_from, training_to, metrics, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.model, record.version, record.status.rawValue, record.parentVersion, record.triggerID,
                    record.trainingFrom, record.trainingTo, record.metrics, record.createdAt,
                ])
        }
    }

    public func versions(model: String? = nil) throws -> [VersionRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM model_version WHERE ? IS NULL OR model = ? ORDER BY model, created_at, version",
                arguments: [model, model]
            ).map { row in
                VersionRecord(
                    model: row["model"], version: row["version"],
                    status: VersionStatus(rawValue: row["status"]) ?? .candidate, parentVersion: row["parent_version"],
                    triggerID: row["trigger_id"], trainingFrom: row["training_from"], trainingTo: row["training_to"],
                    metrics: row["metrics"], createdAt: row["created_at"])
            }
        }
    }

    /// Records what became of a trigger; false when its id was recorded already (a duplicate).
    public func record(trigger: TriggerRecord) throws -> Bool {
        try write("record trigger \(trigger.id)") { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO trigger_log (id, model, version, window_end, rule, outcome, result_version, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    trigger.id, trigger.model, trigger.version, trigger.windowEnd, trigger.rule, trigger.outcome,
                    trigger.resultVersion, trigger.receivedAt,
                ])
            return db.changesCount > 0
        }
    }

    public func hasTrigger(id: String) throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM trigger_log WHERE id = ?", arguments: [id]) ?? false
        }
    }

    /// What became of each recorded trigger, by trigger id (the newest record of an id).
    public func triggerOutcomes() throws -> [String: TriggerRecord] {
        Dictionary(try triggers().map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func triggers(model: String? = nil) throws -> [TriggerRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM trigger_log WHERE ? IS NULL OR model = ? ORDER BY received_at, id",
                arguments: [model, model]
            ).map { row in
                TriggerRecord(
                    id: row["id"], model: row["model"], version: row["version"], windowEnd: row["window_end"],
                    rule: row["rule"], outcome: row["outcome"], resultVersion: row["result_version"],
                    receivedAt: row["received_at"])
            }
        }
    }
}
