import DriftCore
import DriftStats
import DriftStore
import Foundation
import GRDB
import Testing

/// The SQLite state: checkpoints, reference profiles and the model registry survive a reopen, replace what
/// they should, and say which file and what is wrong when the stored bytes are not readable.
@Suite struct StateStoreTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID()).sqlite").path

    /// A monitor's real state after 600 predictions: a bootstrapped reference and a checkpoint of partition 0.
    func monitorState() -> (ReferenceProfile, MonitorCheckpoint) {
        var settings = MonitorSettings()
        settings.windowSize = 10_000
        settings.bootstrapEvents = 200
        var monitor = DriftMonitor(settings: settings)
        var random = SplitMix64(seed: 3)
        var captured: ReferenceProfile?
        for index in 0..<600 {
            let event = PredictionEvent(
                model: "fraud", modelVersion: "2", requestID: "r\(index)",
                time: EventTime(millisecondsSinceEpoch: Int64(index) * 20),
                features: ["x": .number(random.normal(mean: 0, sd: 1)), "c": .category(index % 3 == 0 ? "a" : "b")],
                prediction: .score(random.unit()))
            for case .referenceCaptured(_, let profile) in monitor.ingest(
                event, at: EventPosition(partition: 0, offset: Int64(index)), receivedAt: 0)
            {
                captured = profile
            }
        }
        return (captured!, monitor.checkpoint(partition: 0)!)
    }

    @Test func checkpointsSurviveAReopenAndReplaceTheirPartitionsOnly() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, checkpoint) = monitorState()
        var other = checkpoint
        other.partition = 1
        try StateStore(path: path).save([checkpoint, other], group: "g")
        var newer = checkpoint
        newer.deadLettered += 7
        try StateStore(path: path).save([newer], group: "g")

        let reopened = try StateStore(path: path)
        #expect(try reopened.checkpoint(group: "g", partition: 0) == newer)
        #expect(try reopened.checkpoint(group: "g", partition: 1) == other)
        #expect(try reopened.checkpoint(group: "another group", partition: 0) == nil)
    }

    @Test func referencesAreKeptByModelAndVersion() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (reference, _) = monitorState()
        let store = try StateStore(path: path)
        try store.save(reference, model: "fraud")
        var next = reference
        next.modelVersion = "3"
        try store.save(next, model: "fraud")
        try store.save(reference, model: "fraud")  // the same (model, version) again replaces it

        let reopened = try StateStore(path: path)
        #expect(try reopened.load(model: "fraud", version: "2") == reference)
        #expect(try reopened.all().map { "\($0.model)/\($0.profile.modelVersion)" } == ["fraud/2", "fraud/3"])
        let summary = try #require(try reopened.summaries().first)
        #expect(summary.events == reference.eventCount && summary.features == reference.features.count)
        #expect(summary.source == "bootstrap")
    }

    @Test func deployingAVersionRetiresThePreviousOne() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try StateStore(path: path)
        func version(_ name: String, _ status: StateStore.VersionStatus, at time: String) -> StateStore.VersionRecord {
            .init(
                model: "fraud", version: name, status: status, parentVersion: nil, triggerID: nil, trainingFrom: nil,
                trainingTo: nil, metrics: "{}", createdAt: time)
        }
        try store.register(version("1", .deployed, at: "2026-12-01T00:00:00Z"))
        try store.register(version("2", .rejected, at: "2026-12-02T00:00:00Z"))
        try store.register(version("3", .deployed, at: "2026-12-03T00:00:00Z"))
        #expect(try store.versions(model: "fraud").map(\.status) == [.retired, .rejected, .deployed])

        let trigger = StateStore.TriggerRecord(
            id: "t1", model: "fraud", version: "1", windowEnd: "2026-12-02T00:00:00Z", rule: "feature-drift",
            outcome: "retrained", resultVersion: "3", receivedAt: "2026-12-02T00:00:01Z")
        #expect(try store.record(trigger: trigger))
        #expect(try !store.record(trigger: trigger))  // a duplicate delivery is recorded once
        #expect(try store.triggerOutcomes()["t1"]?.resultVersion == "3")
    }

    @Test func anUnreadableCheckpointNamesTheFileAndThePartition() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try StateStore(path: path)
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO checkpoint (consumer_group, partition, checkpoint) VALUES ('g', 4, ?)",
                arguments: [Data("{not json".utf8)])
        }
        let error = #expect(throws: StoreError.self) { try StateStore(path: path).checkpoint(group: "g", partition: 4) }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("partition 4 is unreadable") == true)
    }
}
