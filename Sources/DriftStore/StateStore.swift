import DriftCore
import Foundation
import GRDB

/// The monitor's state in a SQLite database (WAL mode, GRDB's `DatabasePool`, safe for several processes):
/// reference profiles by (model, version), written by `driftwatch reference build`, by deployments and by
/// bootstrap captures; and the latest checkpoint per (consumer group, partition). Both are stored in their
/// JSON forms (ReferenceProfile+JSON, MonitorCheckpoint), the same bytes the changelog topic carries.
public final class StateStore: Sendable {
    /// One stored profile without its data, for listings.
    public struct Summary: Sendable, Equatable {
        public var model: String
        public var version: String
        public var source: String
        public var events: Int
        public var features: Int
        public var storedAt: String
    }

    public let path: String
    private let database: DatabasePool

    /// Opens (creating if needed, with its directory) the database at `path`.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        do {
            // Monitor, trainer and CLI may open the same file at once (the demo does): wait out their locks.
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try Self.open(path: path, configuration: configuration)
        } catch {
            throw StoreError(path: path, "cannot open the state database: \(error)")
        }
    }

    /// Opens the pool and brings the schema up to date. Two processes creating the same new database race:
    /// switching it to WAL takes a lock SQLite does not wait for, and the loser's migration fails on the tables
    /// the winner created. Both succeed when tried again a moment later.
    private static func open(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 1
        while true {
            do {
                let database = try DatabasePool(path: path, configuration: configuration)
                try migrator.migrate(database)
                return database
            } catch  where attempt < 8 {
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
                attempt += 1
            }
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("reference profiles") { db in
            try db.create(table: "reference_profile") { table in
                table.column("model", .text).notNull()
                table.column("version", .text).notNull()
                table.column("source", .text).notNull()
                table.column("events", .integer).notNull()
                table.column("features", .integer).notNull()
                table.column("profile", .blob).notNull()
                table.column("stored_at", .text).notNull()
                table.primaryKey(["model", "version"])
            }
        }
        migrator.registerMigration("checkpoints") { db in
            try db.create(table: "checkpoint") { table in
                table.column("consumer_group", .text).notNull()
                table.column("partition", .integer).notNull()
                table.column("checkpoint", .blob).notNull()
                table.primaryKey(["consumer_group", "partition"])
            }
        }
        registerRegistryMigrations(&migrator)
        registerHistoryMigrations(&migrator)
        registerInstanceMigrations(&migrator)
        return migrator
    }

    /// Stores checkpoints of a consumer group, replacing earlier ones of the same partitions.
    public func save(_ checkpoints: [MonitorCheckpoint], group: String) throws {
        guard !checkpoints.isEmpty else { return }
        do {
            try database.write { db in
                for checkpoint in checkpoints {
                    try db.execute(
                        sql: """
                            INSERT INTO checkpoint (consumer_group, partition, checkpoint) VALUES (?, ?, ?)
                            ON CONFLICT (consumer_group, partition) DO UPDATE SET checkpoint = excluded.checkpoint
                            """,
                        arguments: [group, checkpoint.partition, Data(checkpoint.json())])
                }
            }
        } catch {
            throw StoreError(path: path, "cannot store checkpoints: \(error)")
        }
    }

    /// The stored checkpoint of a group's partition, if any.
    public func checkpoint(group: String, partition: Int32) throws -> MonitorCheckpoint? {
        let data = try read { db in
            try Data.fetchOne(
                db, sql: "SELECT checkpoint FROM checkpoint WHERE consumer_group = ? AND partition = ?",
                arguments: [group, partition])
        }
        guard let data else { return nil }
        do {
            return try JSONDecoder().decode(MonitorCheckpoint.self, from: data)
        } catch {
            throw StoreError(path: path, "the checkpoint of partition \(partition) is unreadable: \(error)")
        }
    }

    /// Stores `profile` as the reference of (model, profile.modelVersion), replacing an earlier one.
    public func save(_ profile: ReferenceProfile, model: String) throws {
        let json = Data(profile.json())
        let storedAt = EventTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)).rfc3339
        do {
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO reference_profile (model, version, source, events, features, profile, stored_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (model, version) DO UPDATE SET
                            source = excluded.source, events = excluded.events, features = excluded.features,
                            profile = excluded.profile, stored_at = excluded.stored_at
                        """,
                    arguments: [
                        model, profile.modelVersion, profile.source.rawValue, profile.eventCount,
                        profile.features.count,
                        json, storedAt,
                    ])
            }
        } catch {
            throw StoreError(
                path: path, "cannot store the reference of \(model) version \(profile.modelVersion): \(error)")
        }
    }

    /// The stored reference of a (model, version), if any.
    public func load(model: String, version: String) throws -> ReferenceProfile? {
        let data = try read { db in
            try Data.fetchOne(
                db, sql: "SELECT profile FROM reference_profile WHERE model = ? AND version = ?",
                arguments: [model, version])
        }
        return try data.map { try decode($0, model: model) }
    }

    /// Every stored reference, by model.
    public func all() throws -> [(model: String, profile: ReferenceProfile)] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT model, profile FROM reference_profile ORDER BY model, version")
        }
        return try rows.map { row in
            let model: String = row["model"]
            return (model, try decode(row["profile"], model: model))
        }
    }

    public func summaries() throws -> [Summary] {
        try read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT model, version, source, events, features, stored_at FROM reference_profile ORDER BY model, version"
            ).map { row in
                Summary(
                    model: row["model"], version: row["version"], source: row["source"], events: row["events"],
                    features: row["features"], storedAt: row["stored_at"])
            }
        }
    }

    func write<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch {
            throw StoreError(path: path, "cannot \(what): \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw StoreError(path: path, "cannot read the state database: \(error)")
        }
    }

    private func decode(_ data: Data, model: String) throws -> ReferenceProfile {
        do {
            return try ReferenceProfile.decode(json: Array(data))
        } catch {
            throw StoreError(path: path, "the stored reference of \(model) is unreadable: \(error)")
        }
    }
}

/// A state database problem, naming the file.
public struct StoreError: Error, CustomStringConvertible {
    public var path: String
    public var message: String

    init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
