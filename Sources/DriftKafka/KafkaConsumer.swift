import Dispatch
import Logging

/// A Kafka consumer in a consumer group. Every blocking librdkafka call (poll, commit, close) runs on the
/// consumer's own serial dispatch queue, never on Swift's cooperative pool; rebalance callbacks therefore run
/// on that queue too, inside `poll`. Thread-safe: librdkafka serialises the rest.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue = DispatchQueue(label: "driftwatch.kafka.consumer")

    /// Creates the consumer. `onRebalance` is called synchronously from the rebalance callback, on the thread
    /// running `poll` or `close` (see `KafkaRebalanceEvent` for what its result means).
    public init(
        configuration: KafkaConsumerConfiguration, logger: Logger,
        onRebalance: (@Sendable (KafkaRebalanceEvent) -> [KafkaTopicPartitionOffset])? = nil
    ) throws {
        client = try RDKafkaClient(
            .consumer, properties: configuration.librdkafkaProperties(), logger: logger,
            rebalanceHandler: onRebalance, companionTopics: configuration.companionTopics)
    }

    /// With `defersRebalances`, a consumer whose rebalances are completed by its owner, between batches: a poll that meets a
    /// rebalance returns what it read before it, `takeRebalance()` then gives the event, and
    /// `completeRebalance` applies it (the owner must do so before polling again). No callback runs the
    /// owner's code, so nothing waits inside `poll` (librdkafka's event API, as swift-kafka-client uses it).
    public init(configuration: KafkaConsumerConfiguration, logger: Logger, defersRebalances: Bool) throws {
        client = try RDKafkaClient(
            .consumer, properties: configuration.librdkafkaProperties(), logger: logger,
            defersRebalances: defersRebalances, companionTopics: configuration.companionTopics)
    }

    /// The rebalance the last poll met, if any (deferred mode); taking it leaves it to be completed.
    public func takeRebalance() -> KafkaRebalanceEvent? {
        client.context.takeParkedRebalance()
    }

    /// Applies a taken rebalance: assigned partitions start at `offsets` where given (else at the group's
    /// committed offsets); revoked ones have `offsets` stored and committed before they are given up.
    public func completeRebalance(_ event: KafkaRebalanceEvent, offsets: [KafkaTopicPartitionOffset]) async throws {
        try await onQueue { $0.completeRebalance(event, offsets: offsets) }
    }

    public func subscribe(topics: [String]) throws {
        try client.subscribe(topics)
    }

    /// Leaves the subscription and subscribes again: a fresh JoinGroup, for a member whose join never completed.
    public func resubscribe(topics: [String]) async throws {
        try await onQueue { client in
            try client.unsubscribe()
            try client.subscribe(topics)
        }
    }

    /// Reads every partition of `topics` from the beginning, outside any group assignment: for topics each
    /// instance must see whole, such as the compacted `model.deployments`. Returns the partitions.
    public func assignAll(of topics: [String], timeout: Duration = .seconds(10)) async throws -> [KafkaTopicPartition] {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await onQueue { client in
            let partitions = try topics.flatMap { topic in
                let count = try client.partitionCount(of: topic, timeoutMilliseconds: milliseconds)
                return (0..<count).map { KafkaTopicPartition(topic: topic, partition: Int32($0)) }
            }
            // -2: RD_KAFKA_OFFSET_BEGINNING.
            try client.assign(partitions.map { KafkaTopicPartitionOffset($0, offset: -2) })
            return partitions
        }
    }

    /// Reads exactly these partitions from these offsets, outside any group (replacing the previous assignment).
    public func assign(_ offsets: [KafkaTopicPartitionOffset]) async throws {
        try await onQueue { try $0.assign(offsets) }
    }

    /// The number of partitions of `topic`, from the cluster's metadata.
    public func partitionCount(of topic: String, timeout: Duration = .seconds(10)) async throws -> Int {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await onQueue { try $0.partitionCount(of: topic, timeoutMilliseconds: milliseconds) }
    }

    /// The offset after the last message of each partition (high watermark), as the broker sees it now.
    public func highWatermarks(of partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws
        -> [KafkaTopicPartitionOffset]
    {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await onQueue { try $0.highWatermarks(of: partitions, timeoutMilliseconds: milliseconds) }
    }

    /// Stops fetching these assigned partitions until `resume`; messages fetched but not yet polled are
    /// fetched again. Thread-safe in librdkafka: called from the owner while another task polls.
    public func pause(_ partitions: [KafkaTopicPartition]) throws {
        try client.setPaused(true, partitions)
    }

    public func resume(_ partitions: [KafkaTopicPartition]) throws {
        try client.setPaused(false, partitions)
    }

    /// Where each assigned partition stands (position, cached watermarks): no broker round trip.
    public func readings() -> [KafkaPartitionReading] {
        client.readings()
    }

    /// `highWatermarks` and `poll`, blocking the calling thread: for code that cannot await, such as a
    /// rebalance callback of another consumer. Never call them from this consumer's own callbacks.
    public func highWatermarksNow(of partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) throws
        -> [KafkaTopicPartitionOffset]
    {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try queue.sync { try client.highWatermarks(of: partitions, timeoutMilliseconds: milliseconds) }
    }

    public func pollNow(maximum: Int = 1000, timeout: Duration = .milliseconds(100)) throws -> [KafkaMessage] {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try queue.sync { try client.poll(maximum: maximum, timeoutMilliseconds: milliseconds) }
    }

    /// Waits up to `timeout` for messages and returns at most `maximum` of them (possibly none).
    public func poll(maximum: Int = 1000, timeout: Duration = .milliseconds(100)) async throws -> [KafkaMessage] {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await onQueue { try $0.poll(maximum: maximum, timeoutMilliseconds: milliseconds) }
    }

    /// Marks work as durable up to these offsets (each the next offset to read); the next commit sends them.
    public func storeOffsets(_ offsets: [KafkaTopicPartitionOffset]) {
        client.storeOffsets(offsets)
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    public func commit() async throws {
        try await onQueue { try $0.commitStoredOffsets() }
    }

    /// The group's committed offsets for `partitions` (-1001 where nothing is committed).
    public func committedOffsets(for partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws
        -> [KafkaTopicPartitionOffset]
    {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await onQueue { try $0.committedOffsets(partitions, timeoutMilliseconds: milliseconds) }
    }

    /// Leaves the group: the final revoke runs the rebalance handler, stored offsets are committed.
    public func close() async throws {
        try await onQueue { try $0.closeConsumer() }
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable (RDKafkaClient) throws -> T) async throws -> T {
        let client = self.client
        return try await withCheckedThrowingContinuation { continuation in
            // Unowned: the awaiting caller keeps the consumer (and so the client) alive. A strong capture could
            // make this thread the last owner, destroying the librdkafka handle while the process exits.
            queue.async { [unowned client] in continuation.resume(with: Result { try work(client) }) }
        }
    }
}
