import Crypto
import DriftConfig
import DriftCore
import DriftKafka
import DriftPipeline
import DriftStats
import Foundation
import Testing

@testable import DriftApp

/// Messages larger than the output topic takes, on the real broker: valid and invalid messages of 0.9, 1, 2 and
/// 10 MB among normal traffic. The monitor keeps going, every window is reported, every bad message is in the
/// dead-letter topic (truncated where the producer's message.max.bytes is exceeded, with the original's size,
/// SHA-256 and place), and `driftwatch verify` agrees.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct PoisonMessageTests {
    /// Windows of 10 s closed by event time alone, a reference of the first 300 events.
    static func config(_ name: String) -> DriftwatchConfig {
        var config = TestBroker.monitorConfig(name)
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 0
        config.monitor.idleTimeout = nil
        config.monitor.bootstrapEvents = 300
        return config
    }

    /// A prediction of model m, version 1, with a normal `amount` (and the `also` features) and a uniform score.
    static func prediction(
        _ requestID: String, at time: Int64, to topic: String, random: inout SplitMix64,
        also features: [String: FeatureValue] = [:]
    ) -> KafkaOutgoingMessage {
        let event = PredictionEvent(
            model: "m", modelVersion: "1", requestID: requestID, time: EventTime(millisecondsSinceEpoch: time),
            features: Features(features.merging(["amount": .number(random.normal(mean: 100, sd: 10))]) { $1 }),
            prediction: .score(random.unit()))
        return KafkaOutgoingMessage(topic: topic, key: "m", value: event.json())
    }

    @Test func largeMessagesAreDeadLetteredTruncatedAndNothingWedges() async throws {
        let config = Self.config("poison")
        let topics = config.topics
        try await TestBroker.createTopics(for: topics, partitions: 1)

        let start: Int64 = 1_795_000_000_000
        var random = SplitMix64(seed: 5)
        var outgoing = (0..<2_000).map { index in
            Self.prediction(
                "m-\(index)", at: start + Int64(index) * 10, to: topics.predictions, random: &random,
                also: ["country": .category("DE")])
        }
        /// A valid prediction padded to `size` bytes by a long request id (its time inside the stream).
        func valid(_ size: Int, at index: Int) -> [UInt8] {
            let head =
                #"{"model":"m","model_version":"1","timestamp":\#(start + Int64(index) * 10 + 5),"prediction":0.5,"features":{"amount":100},"request_id":""#
            return Array((head + String(repeating: "r", count: size - head.utf8.count - 2) + #""}"#).utf8)
        }
        func invalid(_ size: Int) -> [UInt8] {
            Array(#"{"model":"m","oops":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: size - 20)
        }
        // By offset, in ascending order: what each big message is and whether it must be dead-lettered.
        let big: [(index: Int, value: [UInt8], deadLettered: Bool)] = [
            (400, valid(900_000, at: 400), false),  // under input.max_message_bytes: a normal event
            (600, invalid(900_000), true),
            (800, invalid(999_899), true),  // under the input limit; its dead letter with headers is not
            (1_000, valid(1_000_001, at: 1_000), true),  // over input.max_message_bytes
            (1_300, valid(2_000_000, at: 1_300), true),
            (1_600, invalid(10_000_000), true),
        ]
        for (offset, entry) in big.enumerated() {
            outgoing.insert(
                KafkaOutgoingMessage(topic: topics.predictions, key: "m", value: entry.value), at: entry.index + offset)
        }
        // One event 10 s on closes the second window.
        let closing = PredictionEvent(
            model: "m", modelVersion: "1", requestID: "m-closing",
            time: EventTime(millisecondsSinceEpoch: start + 30_000),
            features: ["amount": .number(100), "country": .category("DE")], prediction: .score(0.5))
        outgoing.append(KafkaOutgoingMessage(topic: topics.predictions, key: "m", value: closing.json()))
        var sender = config
        sender.kafka.producerProperties["message.max.bytes"] = "12000000"
        let producer = try KafkaProducer(configuration: sender.producerConfiguration, logger: TestBroker.logger)
        try await producer.send(outgoing)
        try await producer.close()

        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        // 2 001 valid events before the closing one, 300 of them the reference: two windows of 10 s.
        let output = try await TestBroker.consume([topics.reports, topics.deadletter], timeout: .seconds(120)) {
            messages in
            messages.filter { $0.topic == topics.deadletter }.count >= 5
                && messages.filter { $0.topic == topics.reports }.count >= 2
        }
        running.cancel()
        try await running.value

        let deadLetters = output.filter { $0.topic == topics.deadletter }
        let expected = big.enumerated().filter { $0.element.deadLettered }
        #expect(deadLetters.count == expected.count)
        for (offset, entry) in expected {
            let sourceOffset = String(entry.index + offset)
            let letter = try #require(
                deadLetters.first { $0.header(DeadLetter.sourceOffsetHeader) == sourceOffset }, "offset \(sourceOffset)"
            )
            let fits = entry.value.count + 600 <= config.producerMessageMaxBytes
            #expect((letter.header(DeadLetter.truncatedHeader) == "true") == !fits, "offset \(sourceOffset)")
            if fits {
                #expect(letter.value == entry.value)
            } else {
                #expect(letter.value.count < config.producerMessageMaxBytes && letter.value.count > 900_000)
                #expect(Array(entry.value.prefix(letter.value.count)) == letter.value)
                #expect(letter.header(DeadLetter.originalSizeHeader) == String(entry.value.count))
                let digest = SHA256.hash(data: entry.value).map { String(format: "%02x", $0) }.joined()
                #expect(letter.header(DeadLetter.originalSHA256Header) == digest)
            }
            #expect(letter.header(DeadLetter.sourceTopicHeader) == topics.predictions)
        }
        // Every window of the valid events was reported once the stream moved on.
        let reports = output.filter { $0.topic == topics.reports && !$0.isPerformanceReport }
        let windows = try reports.map { try JSONDecoder().decode(WindowReport.self, from: Data($0.value)) }
        #expect(windows.count == 2)
        #expect(windows.map(\.counts.events).reduce(0, +) == 1_701)

        // driftwatch verify: a replay of the inputs expects exactly these outputs and these dead letters.
        let result = try await OutputVerifier(config: config, logger: TestBroker.logger).verify()
        #expect(result.passed, "\(result)")
        #expect(result.undecodable == expected.count && result.deadLettered == expected.count)
    }
}

extension PoisonMessageTests {
    /// A window report over the producer's limit (here 100 features against message.max.bytes 20 000) is
    /// published compacted: its drifted features, counts, rules and status, with what was left out.
    @Test func reportsTooLargeForTheTopicArePublishedCompacted() async throws {
        var config = Self.config("compact")
        config.kafka.producerProperties["message.max.bytes"] = "20000"
        let topics = config.topics
        try await TestBroker.createTopics(for: topics, partitions: 1)
        let start: Int64 = 1_795_000_000_000
        var random = SplitMix64(seed: 9)
        let outgoing = (0..<2_001).map { index in
            var features: [String: FeatureValue] = [:]
            for feature in 0..<100 {
                let shift = feature < 3 && index >= 1_000 ? 3.0 : 0  // three features drift in the second window
                features["f\(feature)"] = .number(random.normal(mean: shift, sd: 1))
            }
            let time = index == 2_000 ? start + 30_000 : start + Int64(index) * 10
            let event = PredictionEvent(
                model: "wide", modelVersion: "1", requestID: "w-\(index)",
                time: EventTime(millisecondsSinceEpoch: time),
                features: Features(features), prediction: .score(random.unit()))
            return KafkaOutgoingMessage(topic: topics.predictions, key: "wide", value: event.json())
        }
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: TestBroker.logger)
        try await producer.send(outgoing)
        try await producer.close()

        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        let output = try await TestBroker.consume([topics.reports], timeout: .seconds(90)) { $0.count >= 2 }
        running.cancel()
        try await running.value

        let windows = try output.map { try JSONDecoder().decode(WindowReport.self, from: Data($0.value)) }
        #expect(windows.count == 2)
        for window in windows {
            let compaction = try #require(window.compacted, "\(window.id)")
            #expect(compaction.limitBytes <= 20_000 && compaction.originalBytes > 20_000)
            #expect(window.features.allSatisfy { $0.drifted })
            #expect(compaction.omittedFeatures == 101 - window.features.count)  // the prediction too
        }
        // The shifted features are kept (a chance false alarm at drift.false_alarm_rate may join them).
        #expect(Set(["f0", "f1", "f2"]).isSubset(of: windows[1].features.map(\.name)))
        #expect(windows[0].features.count <= 3)
        #expect(windows[1].status == .drift)
    }
}

extension PoisonMessageTests {
    /// The reports topic deleted while the monitor runs: it keeps going. Outputs for a missing topic are
    /// retried while it may come back (30 s), then skipped and counted. (Tansu 0.6 acknowledges produce
    /// requests for the deleted topic without storing them, so on this broker the publisher sees no error.)
    @Test func aDeletedOutputTopicDoesNotStopTheMonitor() async throws {
        let config = Self.config("deleted")
        let topics = config.topics
        try await TestBroker.createTopics(for: topics, partitions: 1)
        let start: Int64 = 1_795_000_000_000
        var random = SplitMix64(seed: 3)
        func events(_ range: Range<Int>) -> [KafkaOutgoingMessage] {
            range.map {
                Self.prediction("d-\($0)", at: start + Int64($0) * 10, to: topics.predictions, random: &random)
            }
        }
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: TestBroker.logger)
        try await producer.send(events(0..<1_500))
        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        _ = try await TestBroker.consume([topics.reports], timeout: .seconds(60)) { !$0.isEmpty }

        let admin = try KafkaAdmin(configuration: TestBroker.client, logger: TestBroker.logger)
        try await admin.deleteTopics([topics.reports])
        // More windows, and a message for the dead-letter topic after them.
        try await producer.send(
            events(1_500..<4_000) + [
                KafkaOutgoingMessage(topic: topics.predictions, key: "m", value: Array("{broken".utf8))
            ])
        try await producer.close()
        let deadLetters = try await TestBroker.consume([topics.deadletter], timeout: .seconds(150)) { !$0.isEmpty }
        #expect(deadLetters.count == 1, "the monitor must get past the reports it cannot publish")
        running.cancel()
        try await running.value
    }
}

extension KafkaMessage {
    func header(_ key: String) -> String? { headers.first { $0.key == key }?.stringValue }
}
