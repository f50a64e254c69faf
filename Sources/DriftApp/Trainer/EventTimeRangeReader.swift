import DriftKafka
import Logging

/// Reads the part of an input topic an event-time range needs instead of the whole topic. Per partition, the
/// first offset whose event is at or after the range's start (less `slack`, for events out of order) is found
/// by bisection on the events' own times, one small fetch per probe, until fewer than `scanBelow` messages are
/// left to tell apart; the same for the end of the range when it has one. Then only the offsets between are
/// read. A partition of at most `readWholeBelow` messages is read whole (probing it would cost more).
///
/// Kafka's own answer, ListOffsets by timestamp (`offsets_for_times`), seeks by record timestamps, which
/// producers need not set to the event time (and Tansu 0.6 answers it with offset 0 whatever the time); the
/// events' time needs no such convention.
struct EventTimeRangeReader {
    let configuration: KafkaConsumerConfiguration
    let logger: Logger
    /// A bisection stops when the boundary is known to within this many messages (reading them is cheaper
    /// than more probes).
    var scanBelow: Int64 = 2_000
    /// A partition of at most this many messages is read whole: a probe costs about as much as reading some
    /// 60 000 messages (Tansu on loopback: a probe took ~140 ms; 400 000 messages were read whole in 0.9 s).
    var readWholeBelow: Int64 = 1_000_000

    /// What a read took: the values of the range's messages, and the effort.
    struct Reading {
        var values: [[UInt8]] = []
        /// Messages in the topic (high watermarks summed) and messages read, probes included.
        var total: Int64 = 0
        var read = 0
        var probes = 0
    }

    /// The messages of `topic` whose partition positions lie between the first event at or after `from - slack`
    /// and the first event after `through + slack` (the partition's end when `through` is nil or the range
    /// reaches it), in partition order. `time` decodes a message's event time in epoch milliseconds (nil: not an event; skipped by probes).
    func read(
        topic: String, from: Int64, through: Int64?, slack: Int64, time: @escaping @Sendable ([UInt8]) -> Int64?
    ) async throws -> Reading {
        var probing = configuration
        probing.groupID += ".range"  // assign only: never joined, never committed
        // Probes want one message, now: small fetches, answered without waiting for more data.
        probing.client.properties["max.partition.fetch.bytes"] = "16384"
        probing.client.properties["fetch.wait.max.ms"] = "10"
        let prober = try KafkaConsumer(configuration: probing, logger: logger)
        let partitions = try await prober.assignAll(of: [topic])
        let ends = try await prober.highWatermarks(of: partitions)
        var reading = Reading(total: ends.reduce(0) { $0 + $1.offset })
        var ranges: [(start: KafkaTopicPartitionOffset, end: Int64, openEnded: Bool)] = []
        for end in ends where end.offset > 0 {
            guard end.offset > readWholeBelow else {
                ranges.append((KafkaTopicPartitionOffset(end.topicPartition, offset: 0), end.offset, true))
                continue
            }
            var search = Bisection(consumer: prober, partition: end.topicPartition, end: end.offset, time: time)
            // Where the probes leave a boundary uncertain, the range takes the uncertain messages in.
            let start = try await search.boundary(atOrAfter: from - slack, scanBelow: scanBelow).lowerBound
            let stop =
                if let through {
                    try await search.boundary(atOrAfter: through + slack + 1, scanBelow: scanBelow).upperBound
                } else { end.offset }
            reading.probes += search.probes
            reading.read += search.probes
            if start < stop {
                ranges.append((KafkaTopicPartitionOffset(end.topicPartition, offset: start), stop, stop == end.offset))
            }
        }
        try await prober.close()
        guard !ranges.isEmpty else { return reading }

        var bulk = configuration
        bulk.groupID += ".range"
        let consumer = try KafkaConsumer(configuration: bulk, logger: logger)
        try await consumer.assign(ranges.map(\.start))
        // A range that ends at the partition's end is read until polls come back empty past it: a broker may
        // report a watermark behind what it has (Tansu 0.6 reported 40 001 for a partition of 40 080 messages).
        var remaining = Dictionary(uniqueKeysWithValues: ranges.map { ($0.start.topicPartition, $0.end) })
        let openEnded = Set(ranges.filter(\.openEnded).map(\.start.topicPartition))
        var values: [KafkaTopicPartition: [[UInt8]]] = [:]
        let deadline = ContinuousClock.now + .seconds(120)
        // Past the reported ends, reading stops after a quiet spell longer than a fetch's wait (500 ms).
        var quietSince: ContinuousClock.Instant?
        while !remaining.isEmpty || quietSince.map({ ContinuousClock.now - $0 < .milliseconds(1_500) }) ?? true {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(
                    .librdkafka(code: KafkaError.Code.timedOut.rawValue),
                    "reading \(topic) for the training range: \(remaining.count) partitions unfinished")
            }
            let messages = try await consumer.poll(maximum: 5_000, timeout: .milliseconds(200))
            if !remaining.isEmpty || !messages.isEmpty {
                quietSince = nil
            } else if quietSince == nil {
                quietSince = .now
            }
            for message in messages {
                let partition = message.topicPartition
                let open = openEnded.contains(partition)
                guard open || remaining[partition] != nil else { continue }
                if open || message.offset < remaining[partition]! {
                    values[partition, default: []].append(message.value)
                    reading.read += 1
                }
                if let end = remaining[partition], message.offset + 1 >= end { remaining[partition] = nil }
            }
        }
        try await consumer.close()
        reading.values = ranges.flatMap { values[$0.start.topicPartition] ?? [] }
        return reading
    }

    /// A search for event-time boundaries in one partition, each probe a fetch from an offset.
    private struct Bisection {
        let consumer: KafkaConsumer
        let partition: KafkaTopicPartition
        let end: Int64
        let time: @Sendable ([UInt8]) -> Int64?
        var probes = 0

        /// Where the first offset whose event (and, as far as the probes tell, every later one) is at or after
        /// `target` lies, to within `scanBelow` messages.
        mutating func boundary(atOrAfter target: Int64, scanBelow: Int64) async throws -> ClosedRange<Int64> {
            var low: Int64 = 0
            var high = end
            while high - low > scanBelow {
                let middle = low + (high - low) / 2
                guard let (offset, eventTime) = try await probe(from: middle, before: high) else {
                    high = middle  // nothing timed in [middle, high)
                    continue
                }
                if eventTime < target { low = offset + 1 } else { high = middle }
            }
            return low...max(low, high)
        }

        /// The first message at or after `offset` (and before `limit`) that has an event time.
        private mutating func probe(from offset: Int64, before limit: Int64) async throws -> (Int64, Int64)? {
            probes += 1
            try await consumer.assign([KafkaTopicPartitionOffset(partition, offset: offset)])
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                for message in try await consumer.poll(maximum: 100, timeout: .milliseconds(200))
                where message.topicPartition == partition && message.offset >= offset {
                    if message.offset >= limit { return nil }
                    if let eventTime = time(message.value) { return (message.offset, eventTime) }
                }
            }
            throw KafkaError(
                .librdkafka(code: KafkaError.Code.timedOut.rawValue), "probing \(partition) at offset \(offset)")
        }
    }
}
