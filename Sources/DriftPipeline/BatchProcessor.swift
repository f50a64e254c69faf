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

    /// Ingests one batch received at wall-clock `now` as `DecodeAhead` decodes it on another thread, through
    /// the event-time alignment (straight to the monitor unless it holds or waits for something the batch's
    /// events must not pass), then lets idle partitions close windows.
    package func process(
        _ batch: PolledBatch, now: Int64, _ monitor: inout DriftMonitor, alignment: inout InputAlignment
    ) async -> BatchResult {
        var work = BatchWork(now: now, count: batch.inputs.count)
        let inputs = batch.inputs
        var decoder = batch.decoder
        var index = 0
        while let chunk = await decoder.nextChunk() {
            for (input, decoding) in chunk {
                // The message's fields are read in place: copying a message per event (retaining its arrays and
                // the topic name every message shares, last touched on the polling thread) cost more than this.
                let stream = inputs.streams[index]
                let position = EventPosition(
                    stream, partition: inputs.messages[index].partition, offset: inputs.messages[index].offset)
                let reading = index
                index += 1
                work.consumed[stream.index] += 1
                if let model = input.model { work.decoded[stream.index].add(model) }
                if alignment.passesStraight {
                    ingest(input, at: position, decoding: decoding, &monitor, &work) { inputs.messages[reading] }
                } else {
                    alignment.held.push(
                        .init(input: input, position: position, message: inputs.messages[reading], decoding: decoding),
                        time: input.time, from: position.source)
                }
            }
            for held in alignment.release(batchDone: false) {
                ingest(held.input, at: held.position, decoding: held.decoding, &monitor, &work) { held.message }
            }
        }
        // The whole batch is in (an empty poll too: a stream waited for may have caught up, or run out of patience).
        for held in alignment.release(batchDone: true) {
            ingest(held.input, at: held.position, decoding: held.decoding, &monitor, &work) { held.message }
        }
        for stream in EventStream.allCases {
            let topic = streams.topic(of: stream)
            if work.consumed[stream.index] > 0 { work.counts.consumed[topic] = work.consumed[stream.index] }
            for (model, count) in work.decoded[stream.index].counts {
                work.counts.decoded[.init(topic: topic, model: model)] = count
            }
        }
        statistics.record(batch: work.nanoseconds, deadLettered: work.deadLettered)
        metrics.record(work.counts, nanoseconds: work.nanoseconds)
        collect(monitor.tick(now: now), now: now, &work.result, &work.counts)
        return work.result
    }

    /// A batch's result and tallies while it runs. Counted per stream (and model) while the batch runs, by
    /// topic at its end: no topic hashing per event.
    private struct BatchWork {
        let now: Int64
        var result = BatchResult()
        var counts = PipelineMetrics.BatchCounts()
        /// Each event's processing time (see `DecodeAhead.now`).
        var nanoseconds: [UInt64] = []
        var deadLettered = 0
        var consumed = [0, 0, 0]
        var decoded = [ModelTally(), ModelTally(), ModelTally()]

        init(now: Int64, count: Int) {
            self.now = now
            nanoseconds.reserveCapacity(count)
        }
    }

    /// One admitted input into the monitor, its outputs collected; `message` is looked up only for a dead
    /// letter or a late copy.
    @inline(__always)
    private func ingest(
        _ input: AdmittedInput, at position: EventPosition, decoding: UInt64, _ monitor: inout DriftMonitor,
        _ work: inout BatchWork, message: () -> KafkaMessage
    ) {
        let started = DecodeAhead.now()
        let outputs = monitor.ingest(input, at: position, receivedAt: work.now)
        // Most events complete nothing: their empty outputs are not looked at.
        switch input {
        case .prediction(let event):
            if !outputs.isEmpty {
                collect(outputs, now: work.now, late: (message(), event.model), &work.result, &work.counts)
            }
        case .features, .label:
            if !outputs.isEmpty { collect(outputs, now: work.now, &work.result, &work.counts) }
        case .refused(let error):
            work.deadLettered += 1
            work.result.outgoing.append(deadLetter(message(), error, &work.counts))
        }
        work.nanoseconds.append(decoding + (DecodeAhead.now() - started))
    }

    /// Adds what the monitor returned to the batch's result. `late`: the prediction whose ingestion produced
    /// `outputs` (its message and model): late events are counted, and copied to the late topic, for
    /// predictions only.
    private func collect(
        _ outputs: [MonitorOutput], now: Int64, late reading: (message: KafkaMessage, model: String)? = nil,
        _ result: inout BatchResult, _ counts: inout PipelineMetrics.BatchCounts
    ) {
        for output in outputs {
            switch output {
            case .referenceCaptured(let model, let profile):
                result.captured.append((model, profile))
                if let publication = output.publication(now: now) { result.outgoing.append(message(publication)) }
            case .late(let position):
                guard let reading else { continue }
                let message = reading.message
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
    /// Where each assigned input partition stood right after the poll (`KafkaConsumer.readings()`).
    var readings: [SourcePartition: KafkaPartitionReading]
    /// The poll took everything librdkafka had queued (fewer messages than asked for).
    var drained: Bool

    /// Queues the decoding of `messages` through `admission`, carrying the feature names in `names`.
    package init(
        _ messages: [KafkaMessage], streams: InputStreams, names: DecodeAhead.Names, admission: InputAdmission,
        rebalance: KafkaRebalanceEvent? = nil, readings: [SourcePartition: KafkaPartitionReading] = [:],
        drained: Bool = true
    ) {
        self.messages = messages
        inputs = BatchInputs(messages, streams: streams)
        decoder = DecodeAhead(inputs, names: names, admission: admission)
        self.rebalance = rebalance
        self.readings = readings
        self.drained = drained
    }

    /// The input partitions the batch has messages of.
    var sources: Set<SourcePartition> {
        var sources = Set<SourcePartition>()
        var last: SourcePartition?
        for index in inputs.messages.indices {
            let source = SourcePartition(stream: inputs.streams[index], partition: inputs.messages[index].partition)
            if source != last { sources.insert(source) }
            last = source
        }
        return sources
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
        let rebalance = consumer.takeRebalance()
        var readings: [SourcePartition: KafkaPartitionReading] = [:]
        for reading in consumer.readings() {
            if let source = streams.source(of: reading.topicPartition) { readings[source] = reading }
        }
        return PolledBatch(
            messages, streams: streams, names: names, admission: admission, rebalance: rebalance,
            readings: readings, drained: messages.count < batchSize)
    }
}
