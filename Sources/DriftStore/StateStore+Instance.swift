import Foundation
import GRDB

/// Where the instance that keeps this database stands in its consumer group: its lifecycle state, the input
/// partitions it holds, and each one's position, end and lag. The pipeline writes it about once a second;
/// `driftwatch status`, `/api/instance` and the dashboard read it (each instance has a database of its own).
public struct InstanceStatus: Codable, Sendable, Equatable {
    public struct Partition: Codable, Sendable, Equatable {
        public var topic: String
        public var partition: Int32
        /// The next offset to read and the partition's end as last fetched; nil until known.
        public var position: Int64?
        public var end: Int64?
        public var lag: Int64?

        public init(topic: String, partition: Int32, position: Int64?, end: Int64?, lag: Int64?) {
            self.topic = topic
            self.partition = partition
            self.position = position
            self.end = end
            self.lag = lag
        }
    }

    public var group: String
    /// `restoring`, `awaitingAssignment`, `catchingUp`, `running`, `draining` or `finished`.
    public var state: String
    public var partitions: [Partition]
    /// RFC 3339, UTC.
    public var updatedAt: String

    public init(group: String, state: String, partitions: [Partition], updatedAt: String) {
        self.group = group
        self.state = state
        self.partitions = partitions
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case group, state, partitions
        case updatedAt = "updated_at"
    }

    /// The partition numbers held, ascending.
    public var numbers: [Int32] { Set(partitions.map(\.partition)).sorted() }

    /// One line: the state, the partition numbers held and the lag per input topic (`driftwatch status`, the
    /// dashboard).
    public var summary: String {
        var lag: [String] = []
        for topic in Set(partitions.map(\.topic)).sorted() {
            let held = partitions.filter { $0.topic == topic }
            let known = held.compactMap(\.lag)
            lag.append("\(topic) \(known.count == held.count ? String(known.reduce(0, +)) : "unknown")")
        }
        let numbers = self.numbers.map(String.init).joined(separator: ", ")
        return "\(state) in group \(group) · partitions \(numbers.isEmpty ? "none" : numbers)"
            + (lag.isEmpty ? "" : " · lag " + lag.joined(separator: ", ")) + " (as of \(updatedAt))"
    }
}

extension StateStore {
    static func registerInstanceMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("instance status") { db in
            try db.create(table: "instance_status") { table in
                table.column("id", .integer).primaryKey()
                table.column("status", .blob).notNull()
            }
        }
    }

    /// Replaces the stored instance status.
    public func save(_ status: InstanceStatus) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(status)
        try write("store the instance status") { db in
            try db.execute(
                sql: """
                    INSERT INTO instance_status (id, status) VALUES (1, ?)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status
                    """, arguments: [data])
        }
    }

    /// The last stored instance status, if a pipeline ever ran on this database.
    public func instanceStatus() throws -> InstanceStatus? {
        let data = try read { db in try Data.fetchOne(db, sql: "SELECT status FROM instance_status WHERE id = 1") }
        guard let data else { return nil }
        do {
            return try JSONDecoder().decode(InstanceStatus.self, from: data)
        } catch {
            throw StoreError(path: path, "the instance status is unreadable: \(error)")
        }
    }
}
