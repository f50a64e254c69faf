import DriftConfig
import DriftCore
import DriftKafka
import DriftStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The monitor as a service: consume `predictions`, `features` and `labels` → admit (dead-letter what is refused)
/// → joins and windows → reports, performance reports and triggers → produce and await acknowledgements →
/// checkpoint → store offsets. Offsets never pass an event something still needs or whose outputs are
/// unacknowledged, so a crash loses no window (at-least-once; output ids are deterministic). References come
/// from the SQLite store at start-up and from `model.deployments`, which every instance reads whole. Its
/// lifecycle is a `PipelineLifecycle`; rebalances are completed between batches (`RebalanceHandler`); batches
/// go through the `BatchProcessor`. Stops after the batch in hand on graceful shutdown or cancellation.
public final class MonitorPipeline: Service {
    private let config: DriftwatchConfig
    private let logger: Logger
    private let batchSize: Int
    private let checkpointInterval: Duration
    private let lifecycle = PipelineLifecycle()
    /// Counts and per-event processing times, while it runs.
    public let statistics = PipelineStatistics()
    private let metrics: PipelineMetrics
    /// Set while it runs: how publishing fares.
    private let publisher = Mutex<OutputPublisher?>(nil)

    /// For `/healthz`: unhealthy once publishing has failed for longer than `kafka.unhealthy_after`.
    public var health: (healthy: Bool, reason: String?) {
        guard let publisher = publisher.withLock({ $0 }), publisher.isUnhealthy, let failing = publisher.failing else {
            return (true, nil)
        }
        return (false, "publishing has failed for \(failing.duration.components.seconds) s: \(failing.error)")
    }

    /// True once the group assigned this instance its partitions and it caught up with the state topics
    /// (references, checkpoints): it is processing events.
    public var isReady: Bool { lifecycle.isReady }

    /// For `/readyz`: ready, or what the monitor is still waiting for.
    public var readiness: (ready: Bool, waitingFor: String?) {
        if let failing = publisher.withLock({ $0?.failing }) {
            return (
                false,
                "the broker to take outputs (failing for \(failing.duration.components.seconds) s: \(failing.error))"
            )
        }
        switch lifecycle.current {
        case .running: return (true, nil)
        case .restoring:
            return (false, "the broker and the state topics (\(config.topics.deployments), \(config.topics.changelog))")
        case .awaitingAssignment: return (false, "a partition assignment from consumer group \(config.kafka.groupID)")
        case .catchingUp: return (false, "the state topics, read before the newly assigned partitions are processed")
        case .draining, .finished: return (false, "nothing: the monitor is shutting down")
        }
    }

    /// `metrics` defaults to swift-metrics' bootstrapped factory (none: no cost). A checkpoint (and so an offset
    /// store) follows every batch that published outputs, every empty poll, and otherwise at most
    /// `checkpointInterval` after the previous one: a crash replays at most that much more. `batchSize` is also
    /// how far decoding runs ahead of the monitor (the next batch): 4 000 kept the decoding thread busier than
    /// 2 000 in the end-to-end benchmark (`Benchmarks/e2e/run`), at some 10 MiB more peak RSS.
    public init(
        config: DriftwatchConfig, logger: Logger, batchSize: Int = 4_000, checkpointInterval: Duration = .seconds(1),
        metrics: PipelineMetrics = PipelineMetrics()
    ) {
        self.config = config
        self.logger = logger
        self.batchSize = batchSize
        self.checkpointInterval = checkpointInterval
        self.metrics = metrics
    }

    public func run() async throws {
        let notifier = config.alerts.webhook.map { WebhookNotifier(settings: $0, logger: logger) }
        let delivery = Task { await notifier?.run() }
        defer { notifier?.finish() }
        var run = try PipelineRun(
            config: config, logger: logger, lifecycle: lifecycle, statistics: statistics, metrics: metrics,
            notifier: notifier, batchSize: batchSize, checkpointInterval: checkpointInterval)
        publisher.withLock { $0 = run.publisher }
        do {
            try await run.restore()
            try await run.loop()
        } catch {
            logger.error("monitor stopped: \(error)")
            await run.abandon()
            throw error
        }
        try await run.drain()
        // Alerts still queued for the webhook get a few seconds (they are on the alerts topic regardless).
        notifier?.finish()
        let grace = Task {
            try await Task.sleep(for: .seconds(5))
            delivery.cancel()
        }
        await delivery.value
        grace.cancel()
    }
}

/// Cancellation or a graceful shutdown: the monitor stops after the batch in hand.
@Sendable func isStopping() -> Bool { Task.isCancelled || Task.isShuttingDownGracefully }

/// Which input topic is which stream.
package struct InputStreams: Sendable {
    package let topics: DriftwatchConfig.Topics

    package init(topics: DriftwatchConfig.Topics) { self.topics = topics }

    package func stream(of topic: String) -> EventStream? {
        switch topic {
        case topics.predictions: .predictions
        case topics.features: .features
        case topics.labels: .labels
        default: nil
        }
    }

    package func source(of partition: KafkaTopicPartition) -> SourcePartition? {
        stream(of: partition.topic).map { SourcePartition(stream: $0, partition: partition.partition) }
    }

    package func topic(of stream: EventStream) -> String {
        switch stream {
        case .predictions: topics.predictions
        case .features: topics.features
        case .labels: topics.labels
        }
    }

    package func topicPartition(of source: SourcePartition) -> KafkaTopicPartition {
        KafkaTopicPartition(topic: topic(of: source.stream), partition: source.partition)
    }
}
