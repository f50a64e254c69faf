import Dispatch
import DriftKafka
import Logging
import Synchronization

/// Reads the topics every instance must see whole (`model.deployments`, `driftwatch.changelog`) from the
/// beginning, outside the consumer group. `readToEnd` reads up to the high watermarks the broker reports at
/// that moment: the pipeline calls it at start-up and on every new assignment, before it restores checkpoints
/// and processes any event of the new partitions, so a restarted or newly assigned instance knows every
/// reference and checkpoint another instance published before giving the partitions up.
package final class StateTopicsReader: Sendable {
    private let consumer: KafkaConsumer
    private let topics: [String]
    private let logger: Logger
    /// The next offset to read per partition, after everything returned so far.
    private let positions = Mutex<[KafkaTopicPartition: Int64]>([:])

    package init(configuration: KafkaConsumerConfiguration, topics: [String], logger: Logger) throws {
        var configuration = configuration
        configuration.groupID += ".state"  // never joined (assign only) and never committed
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        self.topics = topics
        self.logger = logger
    }

    /// Assigns every partition of the topics, from the beginning.
    package func start() async throws -> [KafkaTopicPartition] {
        try await consumer.assignAll(of: topics)
    }

    /// Reads until every partition has been read up to its current high watermark (or `timeout` passes, which
    /// is logged: processing goes on with what was read). Blocks the calling thread (a dispatch thread).
    private func catchUp(
        partitions: [KafkaTopicPartition], timeout: Duration = .seconds(5), apply: ([KafkaMessage]) -> Void
    ) throws {
        var remaining: [KafkaTopicPartition: Int64] = [:]
        let read = positions.withLock { $0 }
        for end in try consumer.highWatermarksNow(of: partitions) where end.offset > read[end.topicPartition] ?? 0 {
            remaining[end.topicPartition] = end.offset
        }
        let deadline = ContinuousClock.now + timeout
        // Past the high watermarks, one more empty poll: a broker may report a watermark behind what it has
        // (Tansu 0.6 answered 1 000 for a partition that held 4 000 messages written in one batch).
        var drained = false
        while !remaining.isEmpty || !drained {
            guard ContinuousClock.now < deadline else {
                logger.warning(
                    "state topics not read to the end within \(timeout): \(remaining.keys.map(\.description))")
                return
            }
            let messages = track(try consumer.pollNow(maximum: 1_000, timeout: .milliseconds(200)))
            drained = remaining.isEmpty && messages.isEmpty
            apply(messages)
            for message in messages {
                if let end = remaining[message.topicPartition], message.offset + 1 >= end {
                    remaining[message.topicPartition] = nil
                }
            }
        }
    }

    /// Every message up to the current high watermarks (`catchUp` on a dispatch thread, not Swift's pool). The
    /// pipeline's timeout stays well below the group's poll interval: a new assignment waits meanwhile.
    package func readToEnd(partitions: [KafkaTopicPartition], timeout: Duration) async throws -> [KafkaMessage] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        var messages: [KafkaMessage] = []
                        try self.catchUp(partitions: partitions, timeout: timeout) { messages += $0 }
                        return messages
                    })
            }
        }
    }

    /// What arrived since the last call, without waiting.
    package func poll() async throws -> [KafkaMessage] {
        try await poll(maximum: 100, timeout: .zero)
    }

    private func poll(maximum: Int, timeout: Duration) async throws -> [KafkaMessage] {
        track(try await consumer.poll(maximum: maximum, timeout: timeout))
    }

    /// Remembers how far each partition has been read.
    private func track(_ messages: [KafkaMessage]) -> [KafkaMessage] {
        positions.withLock { positions in
            for message in messages {
                positions[message.topicPartition] = max(positions[message.topicPartition] ?? 0, message.offset + 1)
            }
        }
        return messages
    }

    package func close() async throws {
        try await consumer.close()
    }
}
