import DriftCore
import DriftKafka
import DriftStore
import Foundation
import Logging
import Synchronization

/// Where the monitor's checkpoints go and come from. Each is published to the compacted changelog (key
/// `checkpoint/<group>/<partition>`, so every instance learns them) and stored in SQLite (so a restart on the
/// same machine has them even before reading the changelog). On assignment the newest one known for a
/// partition number is restored and its resume points are where the partitions start; an older checkpoint is
/// still correct (it replays more).
final class CheckpointBook: Sendable {
    static let kindHeader = "driftwatch.changelog.kind"

    let group: String
    let store: StateStore
    let topic: String
    /// The newest checkpoint seen per partition number (changelog, or written here).
    private let known = Mutex<[Int32: MonitorCheckpoint]>([:])

    init(group: String, store: StateStore, topic: String) {
        self.group = group
        self.store = store
        self.topic = topic
    }

    /// Takes a changelog record if it is a checkpoint (of any group: only this group's are kept).
    func take(_ message: KafkaMessage) -> Bool {
        guard message.headers.first(where: { $0.key == Self.kindHeader })?.stringValue == "checkpoint" else {
            return false
        }
        guard let key = message.key.map({ String(decoding: $0, as: UTF8.self) }), key.hasPrefix("checkpoint/\(group)/"),
            let checkpoint = try? JSONDecoder().decode(MonitorCheckpoint.self, from: Data(message.value))
        else { return true }
        remember([checkpoint])
        return true
    }

    /// Publishes the checkpoints that changed and waits for the broker's acknowledgement, then stores them. One the changelog refuses for good is still
    /// stored in SQLite (the publisher logged and counted the skip).
    func publish(_ checkpoints: [MonitorCheckpoint], publisher: OutputPublisher, stopping: @Sendable () -> Bool)
        async throws
    {
        let changed = known.withLock { known in checkpoints.filter { known[$0.partition] != $0 } }
        guard !changed.isEmpty else { return }
        _ = try await publisher.publish(changed.map(message), stopping: stopping)
        try store.save(changed, group: group)
        remember(changed)
    }

    /// The final checkpoints of partitions being revoked: stored, then published whatever changed, so the next
    /// owner restores them. A publication that fails (the broker gone while shutting down) is logged: the next
    /// owner then restores an older checkpoint and replays more, to the same outputs.
    func publishFinal(
        _ checkpoints: [MonitorCheckpoint], publisher: OutputPublisher, logger: Logger, stopping: @Sendable () -> Bool
    ) async {
        do {
            try store.save(checkpoints, group: group)
        } catch {
            logger.error("cannot store the final checkpoints: \(error)")
        }
        do {
            _ = try await publisher.publish(checkpoints.map(message), stopping: stopping)
        } catch {
            logger.error("cannot publish the final checkpoints: \(error)")
        }
        remember(checkpoints)
    }

    /// Restores the newest checkpoint of each assigned partition number into `monitor` and returns where the
    /// assigned partitions start. Without a checkpoint a partition starts at the committed offset.
    func restore(
        _ partitions: [KafkaTopicPartition], streams: InputStreams, into monitor: inout DriftMonitor, logger: Logger
    ) -> [KafkaTopicPartitionOffset] {
        let numbers = Set(partitions.compactMap { streams.source(of: $0)?.partition })
        var restored: [MonitorCheckpoint] = []
        for number in numbers.sorted() {
            let fromStore = (try? store.checkpoint(group: group, partition: number)) ?? nil
            let candidates = [known.withLock { $0[number] }, fromStore].compactMap { $0 }
            guard let newest = candidates.max(by: { Self.progress($0) < Self.progress($1) }) else {
                logger.info("no checkpoint for partition \(number): starting at the committed offsets")
                continue
            }
            monitor.restore(newest)
            restored.append(newest)
        }
        return Self.offsets(of: restored, for: partitions, streams: streams)
    }

    /// The resume offsets of checkpoints, for the partitions given (all of theirs when nil).
    static func offsets(
        of checkpoints: [MonitorCheckpoint], for partitions: [KafkaTopicPartition]? = nil, streams: InputStreams
    )
        -> [KafkaTopicPartitionOffset]
    {
        checkpoints.flatMap { checkpoint in
            checkpoint.resume.compactMap { name, point -> KafkaTopicPartitionOffset? in
                guard let stream = EventStream(rawValue: name) else { return nil }
                let partition = streams.topicPartition(
                    of: SourcePartition(stream: stream, partition: checkpoint.partition))
                guard partitions?.contains(partition) ?? true else { return nil }
                return KafkaTopicPartitionOffset(partition, offset: point.offset)
            }
        }
    }

    /// How far a checkpoint had read, all streams together: the newer of two has read more.
    static func progress(_ checkpoint: MonitorCheckpoint) -> Int64 { checkpoint.read.values.reduce(0, +) }

    private func remember(_ checkpoints: [MonitorCheckpoint]) {
        known.withLock { known in
            for checkpoint in checkpoints
            where known[checkpoint.partition].map({ Self.progress($0) <= Self.progress(checkpoint) }) ?? true {
                known[checkpoint.partition] = checkpoint
            }
        }
    }

    private func message(_ checkpoint: MonitorCheckpoint) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(
            topic: topic, key: "checkpoint/\(group)/\(checkpoint.partition)", value: checkpoint.json(),
            headers: [KafkaHeader(key: Self.kindHeader, string: "checkpoint")])
    }
}
