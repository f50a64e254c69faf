import DriftConfig
import DriftCore
import DriftKafka
import DriftStore
import Logging
import Foundation
import ServiceLifecycle
import Synchronization

/// The monitor as a service: consume `predictions`, `features` and `labels` → decode (dead-letter on error) →
/// joins and windows → reports, performance reports and triggers → produce and await acknowledgements →
/// store offsets. Offsets never pass an event something still needs or whose outputs are unacknowledged, so
/// a crash loses no window (at-least-once; output ids are deterministic). References come from the SQLite
/// store at start-up and from `model.deployments`, which every instance reads whole. Stops after the
/// in-flight batch on graceful shutdown or cancellation.
public final class MonitorPipeline: Service {
    private let config: DriftwatchConfig
    private let logger: Logger
    private let batchSize: Int
    private let checkpointInterval: Duration
    private let admission: InputAdmission
    private let caughtUp = Atomic(false)
    /// Counts and per-event processing times, while it runs.
    public let statistics = PipelineStatistics()
    private let metrics: PipelineMetrics

    /// For `/healthz`: unhealthy once publishing has failed for longer than `kafka.unhealthy_after`.
    public var health: (healthy: Bool, reason: String?) {
        guard let publisher = publisher.withLock({ $0 }), publisher.isUnhealthy, let failing = publisher.failing else {
            return (true, nil)
        }
        return (false, "publishing has failed for \(failing.duration.components.seconds) s: \(failing.error)")
    }

    /// True once the group assigned this instance its partitions and it caught up with the state topics
    /// (references, checkpoints): it is processing events.
    public var isReady: Bool { caughtUp.load(ordering: .sequentiallyConsistent) }
    private let stateRestored = Atomic(false)

    /// Set while it runs: how publishing fares.
    private let publisher = Mutex<OutputPublisher?>(nil)

    /// For `/readyz`: ready, or what the monitor is still waiting for.
    public var readiness: (ready: Bool, waitingFor: String?) {
        if let failing = publisher.withLock({ $0?.failing }) {
            return (false, "the broker to take outputs (failing for \(failing.duration.components.seconds) s: \(failing.error))")
        }
        if isReady { return (true, nil) }
        if !stateRestored.load(ordering: .relaxed) {
            return (false, "the broker and the state topics (\(config.topics.deployments), \(config.topics.changelog))")
        }
        return (false, "a partition assignment from consumer group \(config.kafka.groupID)")
    }

    /// `metrics` defaults to swift-metrics' bootstrapped factory (none: no cost). A checkpoint (and so an offset
    /// store) follows every batch that published outputs, every empty poll, and otherwise at most
    /// `checkpointInterval` after the previous one: a crash replays at most that much more. `batchSize` is also
    /// how far decoding runs ahead of the monitor (the next batch): 4 000 kept the decoding thread busier than
    /// 2 000 once ingestion got faster (Benchmarks/README.md, seventh round), at some 10 MiB more peak RSS.
    public init(
        config: DriftwatchConfig, logger: Logger, batchSize: Int = 4_000, checkpointInterval: Duration = .seconds(1),
        metrics: PipelineMetrics = PipelineMetrics()
    ) {
        self.config = config
        self.logger = logger
        self.batchSize = batchSize
        self.checkpointInterval = checkpointInterval
        admission = config.admission
        self.metrics = metrics
    }

    public func run() async throws {
        let topics = config.topics
        let store = try StateStore(path: config.storePath)
        var initial = DriftMonitor(settings: config.monitor, models: config.models)
        let stored = try store.all()
        for (model, profile) in stored { initial.install(profile, model: model) }
        let monitor = Mutex(initial)
        let streams = InputStreams(topics: topics)
        let checkpoints = CheckpointBook(group: config.kafka.groupID, store: store, topic: topics.changelog)
        let notifier = config.alerts.webhook.map { WebhookNotifier(settings: $0, logger: self.logger) }
        let delivery = Task { await notifier?.run() }
        defer { notifier?.finish() }
        let assignedSinceCatchUp = Atomic(false)
        let acknowledged = AcknowledgementGate()
        let assignmentSeen = Atomic(false)
        let logger = self.logger
        var producerConfiguration = config.producerConfiguration
        // Each batch waits for its outputs' acknowledgements before going on, so lingering to fill a produce
        // batch only delays it (librdkafka's 5 ms, twice per batch with outputs); producer_properties may say otherwise.
        producerConfiguration.linger = .zero
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var publishing = OutputPublisher.Settings()
        publishing.maximumBytes = config.producerMessageMaxBytes
        publishing.unhealthyAfter = config.kafka.unhealthyAfter
        let publisher = OutputPublisher(producer: producer, settings: publishing, logger: logger, metrics: metrics)
        self.publisher.withLock { $0 = publisher }
        let stopping: @Sendable () -> Bool = { Task.isCancelled || Task.isShuttingDownGracefully }
        var consumerConfiguration = config.consumerConfiguration
        // Range assignment would keep the partitions of one number together (co-partitioning), but with Tansu
        // 0.6 its eager rebalances stalled for good after members were killed mid-rebalance (about one fault
        // test in three); cooperative-sticky did not. Joins across topics therefore assume one instance, or
        // topics whose partitions land together.
        consumerConfiguration.assignmentStrategy = "cooperative-sticky"
        let stateTopics = try StateTopicsReader(
            configuration: config.consumerConfiguration, topics: [topics.deployments, topics.changelog], logger: logger)
        let statePartitions = Mutex<[KafkaTopicPartition]>([])
        let callbackDeadLetters = Mutex<[KafkaOutgoingMessage]>([])
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger) { event in
            // Runs inside poll/close. The poll that reads the next batch ahead runs while the batch before it is
            // processed and published: wait until that batch's outputs are acknowledged, so the rebalance lands
            // between batches as if polled after it. A final checkpoint then never covers unacknowledged outputs,
            // and no message polled before a revocation or loss is ingested after its partition was dropped.
            acknowledged.waitUntilOpen()
            if case .assigned = event {
                // New partitions: first read what other instances published (references, checkpoints), so the
                // newest checkpoint is restored. A stale one would only replay more; none at all would start at
                // the committed offsets with empty windows. If the broker does not answer, the loop tries again.
                do {
                    try stateTopics.catchUp(partitions: statePartitions.withLock { $0 }) { messages in
                        let deadLetters = self.apply(messages, store: store, monitor: monitor, checkpoints: checkpoints)
                        callbackDeadLetters.withLock { $0 += deadLetters }
                    }
                } catch {
                    logger.warning("state topics not caught up before restoring checkpoints: \(error)")
                    assignedSinceCatchUp.store(true, ordering: .sequentiallyConsistent)
                }
            }
            return monitor.withLock { monitor in
                switch event {
                case .assigned(let partitions):
                    assignmentSeen.store(true, ordering: .sequentiallyConsistent)
                    let offsets = checkpoints.restore(partitions, streams: streams, into: &monitor, logger: logger)
                    if !assignedSinceCatchUp.load(ordering: .sequentiallyConsistent) {
                        self.caughtUp.store(true, ordering: .sequentiallyConsistent)
                        self.metrics.ready(true)
                    }
                    return offsets
                case .revoked(let partitions):
                    // The last checkpoint goes out before the partitions do; its resume points are committed.
                    let numbers = Set(partitions.compactMap { streams.source(of: $0)?.partition })
                    let finals = numbers.sorted().compactMap { monitor.checkpoint(partition: $0) }
                    checkpoints.publishNow(finals, producer: producer, logger: logger)
                    partitions.compactMap(streams.source(of:)).forEach { monitor.drop($0) }
                    return CheckpointBook.offsets(of: finals, for: partitions, streams: streams)
                case .lost(let partitions):
                    partitions.compactMap(streams.source(of:)).forEach { monitor.drop($0) }
                    return []
                }
            }
        }
        do {
            let partitions = try await untilTheBrokerAnswers("reading the state topics") { try await stateTopics.start() }
            statePartitions.withLock { $0 = partitions }
        } catch let error as KafkaError where error.isUnknownTopic {
            throw ConfigError(
                file: config.source,
                "cannot read the topics '\(topics.deployments)' and '\(topics.changelog)': \(error) (create the topics with `driftwatch topics apply`)")
        }
        var restored = 0
        try await untilTheBrokerAnswers("catching up with the state topics") {
            let messages = try await stateTopics.readToEnd(partitions: statePartitions.withLock { $0 }, timeout: .seconds(5))
            restored += messages.count
            _ = apply(messages, store: store, monitor: monitor, checkpoints: checkpoints)
        }
        stateRestored.store(true, ordering: .relaxed)
        let inputs = [topics.predictions, topics.features, topics.labels]
        try consumer.subscribe(topics: inputs)
        var joinStarted = ContinuousClock.now
        var lastPrune = ContinuousClock.now - .seconds(3600)
        var lastCheckpoint = ContinuousClock.now
        let names = DecodeAhead.Names()
        let processor = BatchProcessor(config: config, logger: logger, statistics: statistics, metrics: metrics)
        let admission = self.admission
        let batchSize = self.batchSize
        /// Polls a batch and queues its decoding.
        @Sendable func read() async throws -> PolledBatch {
            PolledBatch(try await consumer.poll(maximum: batchSize), streams: streams, names: names, admission: admission)
        }
        // While a batch is processed, the next is polled and decoded (only after a non-empty one: an idle
        // monitor polls as before). Its rebalance callbacks wait for the batch in hand: see `acknowledged`.
        var ahead: Task<PolledBatch, Error>?
        defer { ahead?.cancel() }
        // A member whose join gets no answer at all (seen with Tansu after members were killed mid-rebalance)
        // joins again; an idle member still gets an (empty) assignment, so this never fires for it.
        let joinPatience = config.kafka.sessionTimeout * 3 + config.kafka.maxPollInterval
        logger.info(
            "monitoring", metadata: [
                "kafka.topics": "\([topics.predictions, topics.features, topics.labels])",
                "kafka.group": "\(config.kafka.groupID)", "references.stored": "\(stored.count)",
                "state.records": "\(restored)",
                "window.kind": "\(config.monitor.windowKind.name)", "window.size_ms": "\(config.monitor.windowSize)",
            ])

        do {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                // Empty polls matter too: they let idle partitions close their windows (tick).
                let current = if let pending = ahead { try await pending.value } else { try await read() }
                ahead = nil
                var outgoing = apply(try await stateTopics.poll(), store: store, monitor: monitor, checkpoints: checkpoints)
                outgoing += callbackDeadLetters.withLock { letters in defer { letters = [] }; return letters }
                if !assignmentSeen.load(ordering: .sequentiallyConsistent), ContinuousClock.now - joinStarted > joinPatience {
                    logger.warning("no partition assignment after \(joinPatience): joining the group again")
                    try await consumer.resubscribe(topics: inputs)
                    joinStarted = ContinuousClock.now
                }
                if assignedSinceCatchUp.exchange(false, ordering: .sequentiallyConsistent) {
                    // The catch-up of an assignment failed: learn the references before processing. A broker that
                    // does not answer now is asked again on the next round.
                    do {
                        let messages = try await stateTopics.readToEnd(partitions: statePartitions.withLock { $0 }, timeout: .seconds(5))
                        outgoing += apply(messages, store: store, monitor: monitor, checkpoints: checkpoints)
                        caughtUp.store(true, ordering: .sequentiallyConsistent)
                        metrics.ready(true)
                    } catch let error as KafkaError where error.isTransient {
                        logger.warning("state topics not caught up, trying again: \(error)")
                        assignedSinceCatchUp.store(true, ordering: .sequentiallyConsistent)
                    }
                }
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let busy = !current.messages.isEmpty
                if busy {
                    acknowledged.close()
                    ahead = Task { try await read() }
                }
                let result = monitor.withLock { processor.process(current, now: now, &$0) }
                DecodeAhead.release(consume current)
                outgoing += result.outgoing
                // The commit protocol: outputs acknowledged → checkpoint acknowledged (changelog) and stored
                // (SQLite) → offsets stored. A crash anywhere replays from the last checkpoint to the same outputs.
                if !outgoing.isEmpty {
                    _ = try await publisher.publish(outgoing, stopping: stopping)
                    statistics.published(windowReports: outgoing.count { $0.topic == topics.reports && $0.isWindowReport })
                    if let notifier {
                        for message in outgoing where message.topic == topics.alerts { notifier.notify(alertJSON: message.value) }
                    }
                    metrics.published(result.outputs)
                    try store.record(history: result.history)
                    if let retention = config.historyRetention, ContinuousClock.now - lastPrune > .seconds(60), !result.history.isEmpty {
                        lastPrune = .now
                        let pruned = try store.pruneHistory(keeping: retention)
                        if pruned > 0 { logger.debug("output history pruned", metadata: ["history.deleted": "\(pruned)"]) }
                    }
                }
                acknowledged.open()
                for (model, profile) in result.captured { try store.save(profile, model: model) }
                metrics.lag(consumer.lag())
                guard !outgoing.isEmpty || !busy || ContinuousClock.now - lastCheckpoint >= checkpointInterval else {
                    continue
                }
                // Taken after the outputs are acknowledged; nothing was ingested since. A rebalance in the poll
                // reading ahead may have dropped partitions (they are left out) or restored some (their restored
                // checkpoints go out again: the same records).
                let due = monitor.withLock { monitor in
                    Set(monitor.sources.map(\.partition)).sorted().compactMap { monitor.checkpoint(partition: $0) }
                }
                try await checkpoints.publish(due, publisher: publisher, stopping: stopping)
                consumer.storeOffsets(CheckpointBook.offsets(of: due, streams: streams))
                lastCheckpoint = .now
            }
            // The batch read ahead is not processed: its events are after the last checkpoint, read again later.
            _ = try? await ahead?.value
            ahead = nil
        } catch {
            acknowledged.open()
            logger.error("monitor stopped: \(error)")
            try? await producer.close(timeout: .seconds(5))
            throw error
        }
        logger.info("shutting down: checkpointing, committing offsets and leaving the group")
        try await consumer.close()
        try await producer.close()
        try await stateTopics.close()
        // Alerts still queued for the webhook get a few seconds (they are on the alerts topic regardless).
        notifier?.finish()
        let grace = Task { try await Task.sleep(for: .seconds(5)); delivery.cancel() }
        await delivery.value
        grace.cancel()
    }

    /// Runs `body` until the broker answers: transient Kafka errors (timeouts, an unreachable or paused broker,
    /// a produce that was not acknowledged within `message.timeout.ms`) are logged and retried with backoff up
    /// to 5 s; anything else is thrown. Re-sent outputs are duplicates with the same ids and bytes.
    @discardableResult
    private func untilTheBrokerAnswers<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        var delay = Duration.milliseconds(500)
        while true {
            do {
                return try await body()
            } catch let error as KafkaError where error.isTransient && !Task.isCancelled && !Task.isShuttingDownGracefully {
                logger.warning("\(what): \(error); retrying in \(delay)")
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Applies deployments and changelog records: installs (and stores) their references. Returns dead letters
    /// for unusable deployments.
    private func apply(
        _ messages: [KafkaMessage], store: StateStore, monitor: borrowing Mutex<DriftMonitor>, checkpoints: CheckpointBook
    ) -> [KafkaOutgoingMessage] {
        var deadLetters: [KafkaOutgoingMessage] = []
        for message in messages {
            let fromChangelog = message.topic == config.topics.changelog
            if fromChangelog && checkpoints.take(message) { continue }
            do {
                let deployment = try DeploymentEvent.decode(json: message.value)
                var reference = try deployment.reference
                    ?? Self.reference(at: deployment.referenceURI!, version: deployment.modelVersion)
                if fromChangelog { reference.source = .bootstrap }
                try store.save(reference, model: deployment.model)
                monitor.withLock { $0.install(reference, model: deployment.model) }
                logger.log(
                    level: fromChangelog ? .debug : .notice, fromChangelog ? "reference restored" : "reference deployed",
                    metadata: ["model.id": "\(deployment.model)", "model.version": "\(deployment.modelVersion)"])
            } catch {
                let problem = error as? EventDecodingError ?? EventDecodingError(.invalidValue, "\(error)")
                logger.warning(
                    "unusable \(fromChangelog ? "changelog record" : "deployment"): \(problem.message)",
                    metadata: ["kafka.topic": "\(message.topic)", "kafka.offset": "\(message.offset)"])
                if !fromChangelog {
                    deadLetters.append(DeadLetter.message(for: message, error: problem, topic: config.topics.deadletter))
                }
            }
        }
        return deadLetters
    }

    /// Reads a profile's JSON from a `file://` URI (or a plain path).
    static func reference(at uri: String, version: String) throws -> ReferenceProfile {
        let path = uri.hasPrefix("file://") ? String(uri.dropFirst("file://".count)) : uri
        guard !uri.contains("://") || uri.hasPrefix("file://"), let data = FileManager.default.contents(atPath: path) else {
            throw EventDecodingError(.invalidValue, "reference_uri '\(uri)' is not a readable file:// path")
        }
        var profile = try ReferenceProfile.decode(json: Array(data))
        profile.modelVersion = version
        profile.source = .deployment
        return profile
    }
}

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

extension KafkaOutgoingMessage {
    /// A window report (not a performance report) on the reports topic, by its `driftwatch.report.id` header.
    fileprivate var isWindowReport: Bool {
        guard let id = headers.first(where: { $0.key == Publication.reportIDHeader })?.stringValue else { return false }
        return !id.hasSuffix("/performance")
    }
}
