import DriftConfig
import DriftCore
import DriftKafka
import DriftStore
import Logging

/// One polled batch through the monitor: each message's admitted input ingested in order (decoded ahead on
/// another thread), refused ones dead-lettered with their reason, outputs turned into Kafka records (reports,
/// performance reports, alerts, triggers, captured references for the changelog, late copies), then a tick
/// so idle partitions close their windows. Holds no state of its own: the monitor is passed in.
package struct BatchProcessor: Sendable {
    let config: DriftwatchConfig
    let logger: Logger
    let statistics: PipelineStatistics
    let metrics: PipelineMetrics
    let streams: InputStreams

    package init(
        config: DriftwatchConfig, logger: Logger, statistics: PipelineStatistics = PipelineStatistics(),
        metrics: PipelineMetrics = PipelineMetrics()
    ) {
        self.config = config
        self.logger = logger
        self.statistics = statistics
        self.metrics = metrics
        streams = InputStreams(topics: config.topics)
    }

    /// What one batch produced.
    package struct BatchResult {
        /// Everything to publish: outputs, changelog records, late copies, dead letters.
        package var outgoing: [KafkaOutgoingMessage] = []
        /// Reports, performance reports, alerts and triggers among them, as values and as history records.
        package var outputs: [MonitorOutput] = []
        package var history: [StateStore.HistoryRecord] = []
        package var captured: [(String, ReferenceProfile)] = []
    }

    /// Ingests one batch received at wall-clock `now` as `DecodeAhead` decodes it on another thread, then lets idle
    /// partitions close windows.
    package func process(_ batch: PolledBatch, now: Int64, _ monitor: inout DriftMonitor) async -> BatchResult {
        var result = BatchResult()
        var counts = PipelineMetrics.BatchCounts()
        let inputs = batch.inputs
        var decoder = batch.decoder
        var nanoseconds: [UInt64] = []  // each event's processing time (see `DecodeAhead.now`)
        nanoseconds.reserveCapacity(inputs.count)
        var deadLettered = 0
        var index = 0
        // Counted per stream (and model) while the batch runs, by topic at its end: no topic hashing per event.
        var consumed = [0, 0, 0]
        var decoded = [ModelTally(), ModelTally(), ModelTally()]
        while let chunk = await decoder.nextChunk() {
            for (input, decoding) in chunk {
                // The message's fields are read in place: copying a message per event (retaining its arrays and
                // the topic name every message shares, last touched on the polling thread) cost more than this.
                let stream = inputs.streams[index]
                let position = EventPosition(
                    stream, partition: inputs.messages[index].partition, offset: inputs.messages[index].offset)
                let reading = index
                index += 1
                consumed[stream.index] += 1
                let started = DecodeAhead.now()
                let outputs = monitor.ingest(input, at: position, receivedAt: now)
                // Most events complete nothing: their empty outputs are not looked at.
                switch input {
                case .prediction(let event):
                    decoded[stream.index].add(event.model)
                    if !outputs.isEmpty {
                        collect(outputs, now: now, reading: (inputs, reading, event.model), &result, &counts)
                    }
                case .features(let event):
                    decoded[stream.index].add(event.model)
                    if !outputs.isEmpty { collect(outputs, now: now, &result, &counts) }
                case .label(let event):
                    decoded[stream.index].add(event.model)
                    if !outputs.isEmpty { collect(outputs, now: now, &result, &counts) }
                case .refused(let error):
                    deadLettered += 1
                    result.outgoing.append(deadLetter(inputs.messages[reading], error, &counts))
                }
                nanoseconds.append(decoding + (DecodeAhead.now() - started))
            }
        }
        for stream in EventStream.allCases {
            let topic = streams.topic(of: stream)
            if consumed[stream.index] > 0 { counts.consumed[topic] = consumed[stream.index] }
            for (model, count) in decoded[stream.index].counts {
                counts.decoded[.init(topic: topic, model: model)] = count
            }
        }
        statistics.record(batch: nanoseconds, deadLettered: deadLettered)
        metrics.record(counts, nanoseconds: nanoseconds)
        collect(monitor.tick(now: now), now: now, &result, &counts)
        return result
    }

    /// Adds what the monitor returned to the batch's result. `reading`: the prediction whose ingestion produced
    /// `outputs` (its index in the batch) and its model: late events are counted, and copied to the late topic,
    /// for predictions only. The message is looked up only then: copying one per event costs more.
    private func collect(
        _ outputs: [MonitorOutput], now: Int64, reading: (inputs: BatchInputs, index: Int, model: String)? = nil,
        _ result: inout BatchResult, _ counts: inout PipelineMetrics.BatchCounts
    ) {
        for output in outputs {
            switch output {
            case .referenceCaptured(let model, let profile):
                result.captured.append((model, profile))
                if let publication = output.publication(now: now) { result.outgoing.append(message(publication)) }
            case .late(let position):
                guard let reading else { continue }
                let message = reading.inputs.messages[reading.index]
                counts.late[.init(topic: message.topic, model: reading.model), default: 0] += 1
                if let copy = lateCopy(of: message, at: position) { result.outgoing.append(copy) }
            default:
                guard let publication = output.publication(now: now) else { continue }
                log(output)
                let message = message(publication)
                result.outgoing.append(message)
                result.outputs.append(output)
                if let record = StateStore.HistoryRecord(output, body: message.value) { result.history.append(record) }
            }
        }
    }

    /// The copy of a late prediction for the late topic (nil without one, or when `position` is another event's).
    private func lateCopy(of message: KafkaMessage, at position: EventPosition) -> KafkaOutgoingMessage? {
        guard let late = config.topics.late, message.partition == position.partition, message.offset == position.offset
        else { return nil }
        return KafkaOutgoingMessage(
            topic: late, key: message.key, value: message.value,
            headers: [
                KafkaHeader(key: "driftwatch.late", string: "window closed"),
                KafkaHeader(key: DeadLetter.sourceTopicHeader, string: message.topic),
                KafkaHeader(key: DeadLetter.sourcePartitionHeader, string: String(message.partition)),
                KafkaHeader(key: DeadLetter.sourceOffsetHeader, string: String(message.offset)),
            ])
    }

    /// The dead letter of a refused input, logged and counted.
    private func deadLetter(
        _ message: KafkaMessage, _ error: EventDecodingError, _ counts: inout PipelineMetrics.BatchCounts
    ) -> KafkaOutgoingMessage {
        counts.deadLettered[message.topic, default: 0] += 1
        logger.warning(
            "dead-lettered: \(error.message)",
            metadata: [
                "kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
                "kafka.offset": "\(message.offset)",
            ])
        return DeadLetter.message(for: message, error: error, topic: config.topics.deadletter)
    }

    /// The Kafka record of a publication: its role's topic, key, headers and bytes.
    private func message(_ publication: Publication) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(
            topic: config.topics.topic(of: publication.role), key: publication.key, value: publication.value,
            headers: publication.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }

    /// One log line per output, at notice for alerts and triggers.
    private func log(_ output: MonitorOutput) {
        switch output {
        case .report(let report):
            logger.info(
                "window reported",
                metadata: [
                    "model.id": "\(report.model)", "model.version": "\(report.modelVersion)",
                    "window.end": "\(report.window.end)", "report.status": "\(report.status)",
                ])
        case .performance(let report):
            logger.info(
                "performance reported",
                metadata: [
                    "model.id": "\(report.model)", "window.end": "\(report.window.end)",
                    "labels.count": "\(report.labels.labeled)", "report.status": "\(report.status)",
                ])
        case .trigger(let trigger):
            logger.notice(
                "retraining requested",
                metadata: [
                    "model.id": "\(trigger.data.model)", "window.end": "\(trigger.data.window.end)",
                    "trigger.features": "\(trigger.data.features.map(\.name))",
                ])
        case .alert(let alert):
            logger.notice(
                "alert",
                metadata: [
                    "model.id": "\(alert.data.model)", "window.end": "\(alert.data.window.end)",
                    "rule.name": "\(alert.data.rule)", "alert.severity": "\(alert.data.severity)",
                ])
        case .late, .referenceCaptured:
            break
        }
    }
}

/// A polled batch: its messages of the input streams, their decoding under way (`DecodeAhead`), and the
/// rebalance its poll met, if any (completed after the batch, before the next poll).
package struct PolledBatch: Sendable {
    var messages: [KafkaMessage]
    var inputs: BatchInputs
    var decoder: DecodeAhead
    var rebalance: KafkaRebalanceEvent?

    /// Queues the decoding of `messages` through `admission`, carrying the feature names in `names`.
    package init(
        _ messages: [KafkaMessage], streams: InputStreams, names: DecodeAhead.Names, admission: InputAdmission,
        rebalance: KafkaRebalanceEvent? = nil
    ) {
        self.messages = messages
        inputs = BatchInputs(messages, streams: streams)
        decoder = DecodeAhead(inputs, names: names, admission: admission)
        self.rebalance = rebalance
    }
}

/// Polls the group consumer for batches and queues their decoding.
struct BatchReader: Sendable {
    let consumer: KafkaConsumer
    let streams: InputStreams
    let names = DecodeAhead.Names()
    let admission: InputAdmission
    let batchSize: Int

    func read() async throws -> PolledBatch {
        let messages = try await consumer.poll(maximum: batchSize)
        return PolledBatch(
            messages, streams: streams, names: names, admission: admission, rebalance: consumer.takeRebalance())
    }
}
