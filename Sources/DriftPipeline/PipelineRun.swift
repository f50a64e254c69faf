import DriftConfig
import DriftCore
import DriftKafka
import DriftStore
import Foundation
import Logging

/// One run of `MonitorPipeline`: its Kafka clients, the monitor, and the loop's bookkeeping. The monitor is
/// touched only by the loop (rebalances are completed in it too), so it needs no lock.
struct PipelineRun {
    let config: DriftwatchConfig
    let logger: Logger
    let lifecycle: PipelineLifecycle
    let statistics: PipelineStatistics
    let metrics: PipelineMetrics
    let notifier: WebhookNotifier?
    let checkpointInterval: Duration
    let store: StateStore
    let streams: InputStreams
    let checkpoints: CheckpointBook
    let producer: KafkaProducer
    let publisher: OutputPublisher
    let consumer: KafkaConsumer
    let reader: BatchReader
    let processor: BatchProcessor
    let rebalances: RebalanceHandler
    var stateTopics: StateTopics
    var monitor: DriftMonitor
    var alignment: InputAlignment
    let storedReferences: Int
    /// Dead letters of unusable deployments read between batches, published with the next batch.
    var pending: [KafkaOutgoingMessage] = []
    /// The state topics could not be read on the last assignment: read them before becoming ready.
    var needsCatchUp = false
    var joinStarted = ContinuousClock.now
    var lastPrune = ContinuousClock.now - .seconds(3600)
    var lastCheckpoint = ContinuousClock.now
    var lastStanding = ContinuousClock.now - .seconds(3600)

    var inputTopics: [String] { [config.topics.predictions, config.topics.features, config.topics.labels] }
    /// What the group is asked for: the predictions topic; the others come as its companions.
    var subscription: [String] { [config.topics.predictions] }

    init(
        config: DriftwatchConfig, logger: Logger, lifecycle: PipelineLifecycle, statistics: PipelineStatistics,
        metrics: PipelineMetrics, notifier: WebhookNotifier?, batchSize: Int, checkpointInterval: Duration
    ) throws {
        self.config = config
        self.logger = logger
        self.lifecycle = lifecycle
        self.statistics = statistics
        self.metrics = metrics
        self.notifier = notifier
        self.checkpointInterval = checkpointInterval
        store = try StateStore(path: config.storePath)
        monitor = DriftMonitor(settings: config.monitor, models: config.models)
        alignment = InputAlignment(maximumHeld: config.input.maximumHeldEvents)
        let stored = try store.all()
        for (model, profile) in stored { monitor.install(profile, model: model) }
        storedReferences = stored.count
        streams = InputStreams(topics: config.topics)
        checkpoints = CheckpointBook(group: config.kafka.groupID, store: store, topic: config.topics.changelog)
        var producerConfiguration = config.producerConfiguration
        // Each batch waits for its outputs' acknowledgements before going on, so lingering to fill a produce
        // batch only delays it (librdkafka's 5 ms, twice per batch with outputs); producer_properties may say otherwise.
        producerConfiguration.linger = .zero
        producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var publishing = OutputPublisher.Settings()
        publishing.maximumBytes = config.producerMessageMaxBytes
        publishing.unhealthyAfter = config.kafka.unhealthyAfter
        publisher = OutputPublisher(producer: producer, settings: publishing, logger: logger, metrics: metrics)
        var consumerConfiguration = config.consumerConfiguration
        // The group assigns the predictions topic only; partition p of it brings partition p of features and
        // labels (co-partitioning), whatever the assignor. Range assignment would also keep the numbers
        // together, but with Tansu 0.6 its eager rebalances stalled for good after members were killed
        // mid-rebalance (about one fault test in three); cooperative-sticky did not.
        consumerConfiguration.assignmentStrategy = "cooperative-sticky"
        consumerConfiguration.companionTopics = [config.topics.features, config.topics.labels]
        consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger, defersRebalances: true)
        reader = BatchReader(consumer: consumer, streams: streams, admission: config.admission, batchSize: batchSize)
        processor = BatchProcessor(config: config, logger: logger, statistics: statistics, metrics: metrics)
        rebalances = RebalanceHandler(
            consumer: consumer, checkpoints: checkpoints, streams: streams, publisher: publisher, lifecycle: lifecycle,
            metrics: metrics, logger: logger)
        stateTopics = try StateTopics(config: config, store: store, checkpoints: checkpoints, logger: logger)
    }

    /// `restoring`: reads the state topics to their end before joining the group.
    mutating func restore() async throws {
        try await stateTopics.start()
        let records = try await untilTheBrokerAnswers("catching up with the state topics", logger: logger) {
            try await stateTopics.readToEnd(into: &monitor).records
        }
        try await requireCoPartitionedInputs()
        try consumer.subscribe(topics: subscription)
        lifecycle.move(to: .awaitingAssignment)
        joinStarted = .now
        logger.info(
            "monitoring",
            metadata: [
                "kafka.topics": "\(inputTopics)", "kafka.group": "\(config.kafka.groupID)",
                "references.stored": "\(storedReferences)", "state.records": "\(records)",
                "window.kind": "\(config.monitor.windowKind.name)", "window.size_ms": "\(config.monitor.windowSize)",
            ])
    }

    /// The joins need partition p of predictions, features and labels on one instance: the three topics must
    /// exist with the same partition count (and the producers key them by model id).
    private func requireCoPartitionedInputs() async throws {
        var counts: [(topic: String, partitions: Int)] = []
        for topic in inputTopics {
            do {
                let count = try await untilTheBrokerAnswers("reading the partitions of '\(topic)'", logger: logger) {
                    try await consumer.partitionCount(of: topic)
                }
                counts.append((topic, count))
            } catch let error as KafkaError where error.isUnknownTopic {
                throw ConfigError(
                    file: config.source,
                    "the input topic '\(topic)' does not exist (create the topics with `driftwatch topics apply`)")
            }
        }
        guard Set(counts.map(\.partitions)).count == 1 else {
            let listed = counts.map { "'\($0.topic)' \($0.partitions)" }.joined(separator: ", ")
            throw ConfigError(
                file: config.source,
                "the input topics must have the same number of partitions (partition p of each is joined on one "
                    + "instance), but they have: \(listed); give them equal counts (topics/topics.yaml, then "
                    + "`driftwatch topics apply` for new topics)")
        }
    }

    /// Batches until cancelled or shut down. While a batch is processed the next is polled and decoded (after a
    /// non-empty one without a rebalance: an idle monitor polls as before, and a rebalance is completed first).
    mutating func loop() async throws {
        var ahead: Task<PolledBatch, Error>?
        defer { ahead?.cancel() }
        while !isStopping() {
            // Empty polls matter too: they let idle partitions close their windows (tick).
            let current = if let batch = ahead { try await batch.value } else { try await reader.read() }
            ahead = nil
            try await betweenBatches()
            let busy = !current.messages.isEmpty
            if busy && current.rebalance == nil {
                let reader = reader
                ahead = Task { try await reader.read() }
            }
            try await process(current, busy: busy)
        }
        // The batch read ahead is not processed (its events are after the last checkpoint, read again later),
        // but a rebalance its poll met is completed before the consumer closes.
        if let rebalance = (try? await ahead?.value)?.rebalance { try await complete(rebalance) }
        ahead = nil
    }

    /// One batch through the commit protocol: ingested → outputs acknowledged → the poll's rebalance completed →
    /// checkpoint acknowledged (changelog) and stored (SQLite) → offsets stored. A crash anywhere replays from
    /// the last checkpoint to the same outputs.
    private mutating func process(_ batch: consuming PolledBatch, busy: Bool) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        alignment.prepare(delivered: batch.sources, readings: batch.readings, drained: batch.drained)
        let result = await processor.process(batch, now: now, &monitor, alignment: &alignment)
        let rebalance = batch.rebalance
        let readings = Array(batch.readings.values)
        DecodeAhead.release(batch)
        try regulateFetching()
        let outgoing = pending + result.outgoing
        pending = []
        if !outgoing.isEmpty { try await publish(outgoing, result) }
        for (model, profile) in result.captured { try store.save(profile, model: model) }
        reportStanding(readings)
        if let rebalance { try await complete(rebalance) }
        if !outgoing.isEmpty || !busy || ContinuousClock.now - lastCheckpoint >= checkpointInterval {
            try await checkpoint()
        }
    }

    /// Pauses fetching a partition whose events the event-time merge holds beyond `input.max_held_events`
    /// (another stream of its number is far behind) and resumes it once they are down to half.
    private mutating func regulateFetching() throws {
        metrics.held(alignment.held.count)
        let (pause, resume) = alignment.flowChanges()
        if !pause.isEmpty {
            try consumer.pause(pause.map(streams.topicPartition(of:)))
            statistics.paused(pause.count)
            logger.info(
                "input paused: the event-time merge holds \(alignment.maximumHeld)+ of its events",
                metadata: ["kafka.partitions": "\(pause.map(streams.topicPartition(of:)))"])
        }
        if !resume.isEmpty {
            try consumer.resume(resume.map(streams.topicPartition(of:)))
            logger.info("input resumed", metadata: ["kafka.partitions": "\(resume.map(streams.topicPartition(of:)))"])
        }
    }

    /// Lag and assigned partitions (as the batch's poll saw them) to the metrics after every batch, and about
    /// once a second (`force`: now) to the state database, for `driftwatch status`, `/api/instance` and the
    /// dashboard.
    private mutating func reportStanding(_ readings: [KafkaPartitionReading], force: Bool = false) {
        metrics.lag(readings)
        metrics.assigned(readings, topics: inputTopics)
        guard force || ContinuousClock.now - lastStanding >= .seconds(1) else { return }
        lastStanding = .now
        let status = InstanceStatus(
            group: config.kafka.groupID, state: "\(lifecycle.current)",
            partitions: readings.sorted {
                ($0.topicPartition.partition, $0.topicPartition.topic) < (
                    $1.topicPartition.partition, $1.topicPartition.topic
                )
            }.map {
                InstanceStatus.Partition(
                    topic: $0.topicPartition.topic, partition: $0.topicPartition.partition, position: $0.position,
                    end: $0.highWatermark, lag: $0.lag())
            },
            updatedAt: EventTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)).rfc3339)
        do { try store.save(status) } catch { logger.warning("\(error)") }
    }

    private mutating func publish(_ outgoing: [KafkaOutgoingMessage], _ result: BatchProcessor.BatchResult) async throws
    {
        _ = try await publisher.publish(outgoing, stopping: isStopping)
        statistics.published(windowReports: outgoing.count { $0.topic == config.topics.reports && $0.isWindowReport })
        if let notifier {
            for message in outgoing where message.topic == config.topics.alerts {
                notifier.notify(alertJSON: message.value)
            }
        }
        metrics.published(result.outputs)
        try store.record(history: result.history)
        if let retention = config.historyRetention, ContinuousClock.now - lastPrune > .seconds(60),
            !result.history.isEmpty
        {
            lastPrune = .now
            let pruned = try store.pruneHistory(keeping: retention)
            if pruned > 0 { logger.debug("output history pruned", metadata: ["history.deleted": "\(pruned)"]) }
        }
    }

    /// Checkpoints every partition number held, after the outputs are acknowledged (nothing was ingested since),
    /// then stores the checkpoints' resume points as offsets.
    private mutating func checkpoint() async throws {
        let due = Set(monitor.sources.map(\.partition)).sorted().compactMap { monitor.checkpoint(partition: $0) }
        try await checkpoints.publish(due, publisher: publisher, stopping: isStopping)
        consumer.storeOffsets(CheckpointBook.offsets(of: due, streams: streams))
        lastCheckpoint = .now
    }

    /// Completes a rebalance (`RebalanceHandler`) and moves the lifecycle on.
    private mutating func complete(_ event: KafkaRebalanceEvent) async throws {
        let outcome = try await rebalances.handle(
            event, monitor: &monitor, alignment: &alignment, stateTopics: stateTopics, stopping: isStopping)
        pending += outcome.deadLetters
        guard case .assigned = event else { return }
        if outcome.caughtUp {
            lifecycle.move(to: .running)
            metrics.ready(true)
        } else {
            needsCatchUp = true
        }
    }

    /// Between batches: new deployments and changelog records; a new join for a member the group never
    /// answered; the state topics read again after an assignment that could not read them.
    private mutating func betweenBatches() async throws {
        pending += try await stateTopics.poll(into: &monitor)
        // A member whose join gets no answer at all (seen with Tansu after members were killed mid-rebalance)
        // joins again; an idle member still gets an (empty) assignment, so this never fires for it.
        let joinPatience = config.kafka.sessionTimeout * 3 + config.kafka.maxPollInterval
        if lifecycle.current == .awaitingAssignment, ContinuousClock.now - joinStarted > joinPatience {
            logger.warning("no partition assignment after \(joinPatience): joining the group again")
            try await consumer.resubscribe(topics: subscription)
            joinStarted = .now
        }
        guard needsCatchUp else { return }
        do {
            pending += try await stateTopics.readToEnd(into: &monitor).deadLetters
            needsCatchUp = false
            lifecycle.move(to: .running)
            metrics.ready(true)
        } catch let error as KafkaError where error.isTransient {
            // Asked again on the next round.
            logger.warning("state topics not caught up, trying again: \(error)")
        }
    }

    /// `draining`: the final checkpoints are stored and published, their resume points committed as the
    /// consumer leaves the group.
    mutating func drain() async throws {
        lifecycle.move(to: .draining)
        logger.info("shutting down: checkpointing, committing offsets and leaving the group")
        let finals = Set(monitor.sources.map(\.partition)).sorted().compactMap { monitor.checkpoint(partition: $0) }
        await checkpoints.publishFinal(finals, publisher: publisher, logger: logger, stopping: isStopping)
        consumer.storeOffsets(CheckpointBook.offsets(of: finals, streams: streams))
        try await consumer.close()
        try await producer.close()
        try await stateTopics.close()
        lifecycle.move(to: .finished)
        reportStanding([], force: true)  // finished, no partitions: status does not show a stopped instance as running
    }

    /// After an error: the producer gets a few seconds to deliver what it holds.
    func abandon() async {
        lifecycle.move(to: .draining)
        try? await producer.close(timeout: .seconds(5))
    }
}

extension KafkaOutgoingMessage {
    /// A window report (not a performance report) on the reports topic, by its report id header.
    fileprivate var isWindowReport: Bool {
        guard let id = headers.first(where: { $0.key == Publication.reportIDHeader })?.stringValue else { return false }
        return !id.hasSuffix("/performance")
    }
}
