/// A consumer in a consumer group. Offsets are stored only when the application says the work is durable
/// (`enable.auto.offset.store=false`) and committed by librdkafka's auto-commit or by `commit()`.
public struct KafkaConsumerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// `group.id`.
    public var groupID: String
    /// `auto.offset.reset` for partitions without a committed offset.
    public var autoOffsetReset: String = "earliest"
    /// `session.timeout.ms`.
    public var sessionTimeout: Duration = .seconds(45)
    /// `max.poll.interval.ms`.
    public var maxPollInterval: Duration = .seconds(300)
    /// `partition.assignment.strategy`; cooperative-sticky moves only the partitions that must move.
    public var assignmentStrategy: String = "cooperative-sticky"
    /// Topics read alongside the subscription, co-partitioned with it: each partition the group assigns brings
    /// the partitions of the same number of these topics, assigned, revoked, lost and committed with it (the
    /// group assigns only the subscribed topics). Whatever the assignor, partition p of every topic is then
    /// read by one member. Not a librdkafka property.
    public var companionTopics: [String] = []

    public init(client: KafkaClientConfiguration, groupID: String) {
        self.client = client
        self.groupID = groupID
    }

    func librdkafkaProperties() throws -> [String: String] {
        try client.merged(
            [
                "group.id": groupID,
                "auto.offset.reset": autoOffsetReset,
                "session.timeout.ms": String(sessionTimeout.milliseconds),
                "max.poll.interval.ms": String(maxPollInterval.milliseconds),
                "partition.assignment.strategy": assignmentStrategy,
                "enable.auto.commit": "true",
                "enable.partition.eof": "false",
                // librdkafka prefetches up to 64 MiB per consumer by default; a consumer that processes what it reads
                // (CPU-bound) needs less. With a full prefetch queue librdkafka postpones the partition's next fetch
                // by fetch.queue.backoff.ms, 1 s by default: long enough for the monitor to drain the queue and then
                // wait for data (a fifth of the benchmark's time). With 10 ms the queue stays topped up, and 4 MiB
                // (some 10 000 events, about 0.1 s of the benchmark; the monitor holds the next batch itself) is as
                // fast as 32 MiB at some 50 MiB less peak RSS. Both overridable.
                "queued.max.messages.kbytes": "4096",
                "fetch.queue.backoff.ms": "10",
            ],
            enforced: ["enable.auto.offset.store": "false"])
    }
}
