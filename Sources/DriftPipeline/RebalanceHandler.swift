import DriftCore
import DriftKafka
import Logging

/// Completes the group consumer's rebalances between batches (the consumer defers them: see
/// `KafkaConsumer(configuration:logger:defersRebalances:)`), so a rebalance always lands after the batch before
/// it has been ingested and its outputs acknowledged, and before anything is polled after it:
/// - assigned: read the state topics to their end (references and checkpoints other instances published),
///   restore the newest checkpoint of each partition number, and start the partitions at its resume points;
/// - revoked: publish the partitions' final checkpoints (acknowledged), drop their state, and commit the
///   checkpoints' resume points before the partitions go;
/// - lost: drop their state; nothing is committed (another member may own them already).
struct RebalanceHandler: Sendable {
    let consumer: KafkaConsumer
    let checkpoints: CheckpointBook
    let streams: InputStreams
    let publisher: OutputPublisher
    let lifecycle: PipelineLifecycle
    let metrics: PipelineMetrics
    let logger: Logger

    /// Completes `event` on `monitor`; returns the dead letters of unusable deployments read while catching up,
    /// and whether the state topics were read to their end (false: the caller reads them again later).
    func handle(
        _ event: KafkaRebalanceEvent, monitor: inout DriftMonitor, alignment: inout InputAlignment,
        stateTopics: StateTopics,
        stopping: @escaping @Sendable () -> Bool
    ) async throws -> (deadLetters: [KafkaOutgoingMessage], caughtUp: Bool) {
        switch event {
        case .assigned(let partitions):
            lifecycle.move(to: .catchingUp)
            metrics.ready(false)
            var deadLetters: [KafkaOutgoingMessage] = []
            var caughtUp = true
            do {
                deadLetters = try await stateTopics.readToEnd(into: &monitor).deadLetters
            } catch {
                // A stale checkpoint only replays more; the loop reads the state topics again before it is ready.
                logger.warning("state topics not caught up before restoring checkpoints: \(error)")
                caughtUp = false
            }
            let offsets = checkpoints.restore(partitions, streams: streams, into: &monitor, logger: logger)
            try await markPartialStarts(partitions, restored: offsets, monitor: &monitor)
            var starts: [SourcePartition: Int64] = [:]
            for start in offsets {
                if let source = streams.source(of: start.topicPartition) { starts[source] = start.offset }
            }
            alignment.assigned(partitions.compactMap(streams.source(of:)), starts: starts)
            try await consumer.completeRebalance(event, offsets: offsets)
            return (deadLetters, caughtUp)
        case .revoked(let partitions):
            // The last checkpoint goes out before the partitions do; its resume points are committed.
            let numbers = Set(partitions.compactMap { streams.source(of: $0)?.partition })
            let finals = numbers.sorted().compactMap { monitor.checkpoint(partition: $0) }
            await checkpoints.publishFinal(finals, publisher: publisher, logger: logger, stopping: stopping)
            for source in partitions.compactMap(streams.source(of:)) { monitor.drop(source) }
            alignment.dropped(partitions.compactMap(streams.source(of:)))
            let offsets = CheckpointBook.offsets(of: finals, for: partitions, streams: streams)
            try await consumer.completeRebalance(event, offsets: offsets)
            return ([], true)
        case .lost(let partitions):
            for source in partitions.compactMap(streams.source(of:)) { monitor.drop(source) }
            alignment.dropped(partitions.compactMap(streams.source(of:)))
            try await consumer.completeRebalance(event, offsets: [])
            return ([], true)
        }
    }

    /// A partition number without a checkpoint whose group had committed offsets was read before by someone
    /// whose state is lost (the changelog unreadable in time, or deleted): its first windows are partial, and
    /// their reports say so.
    private func markPartialStarts(
        _ partitions: [KafkaTopicPartition], restored: [KafkaTopicPartitionOffset], monitor: inout DriftMonitor
    ) async throws {
        let restoredNumbers = Set(restored.compactMap { streams.source(of: $0.topicPartition)?.partition })
        let fresh = partitions.filter {
            streams.source(of: $0).map { !restoredNumbers.contains($0.partition) } ?? false
        }
        guard !fresh.isEmpty else { return }
        let committed: [KafkaTopicPartitionOffset]
        do {
            committed = try await consumer.committedOffsets(for: fresh)
        } catch let error as KafkaError where error.isTransient {
            logger.warning("committed offsets not known, partitions not checked for a partial start: \(error)")
            return
        }
        var byNumber: [Int32: [String]] = [:]
        for offset in committed where offset.offset >= 0 {
            guard let source = streams.source(of: offset.topicPartition) else { continue }
            byNumber[source.partition, default: []].append("\(source.stream.rawValue) \(offset.offset)")
        }
        for (number, offsets) in byNumber.sorted(by: { $0.key < $1.key }) {
            let reason =
                "started without a checkpoint at the group's committed offsets (\(offsets.sorted().joined(separator: ", "))): "
                + "events before them are not in this window"
            logger.warning("partition \(number) starts partial: \(reason)")
            monitor.startPartially(partition: number, reason: reason)
        }
    }
}
