@testable import DriftApp
import DriftCore
import DriftStats
import DriftKafka
import Foundation
import Testing

/// The skeleton's whole path on the real broker: produce → consume → window → report/trigger → output topics,
/// and malformed input → dead-letter topic, checked by consuming the output topics.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct MonitorPipelineTests {
    func config() -> DriftwatchConfig {
        var config = TestBroker.monitorConfig("pipeline")
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 1_000
        config.monitor.bootstrapEvents = 300
        config.monitor.policy.minimumWindowEvents = 100
        return config
    }

    /// An event every 10 ms for 43 s: the first 300 (3 s) become the reference, the rest fill windows of 10 s
    /// (700, 1000, 1000, 1000 events; the last 300 stay in an open window). "drifting" shifts its inputs by two
    /// standard deviations from event 1300 (13 s) on, so windows 2 to 4 drift.
    func events(model: String, drifting: Bool, start: Int64) -> [PredictionEvent] {
        var random = SplitMix64(seed: drifting ? 1 : 2)
        return (0..<4_300).map { index in
            let shifted = drifting && index >= 1_300
            return PredictionEvent(
                model: model, modelVersion: "1", requestID: "\(model)-\(index)",
                time: EventTime(millisecondsSinceEpoch: start + Int64(index) * 10),
                features: [
                    "amount": .number(random.normal(mean: shifted ? 120 : 100, sd: 10)),
                    "age": .number(random.normal(mean: 40, sd: 8)),
                    "country": .category("DE"),
                ],
                prediction: .score(random.unit()))
        }
    }

    @Test func driftProducesTriggersAndMalformedEventsAreDeadLettered() async throws {
        let config = config()
        let topics = config.topics
        try await TestBroker.createTopics(for: topics)

        // Aligned to a window boundary, so the reference and each window hold whole 10 s spans.
        let start: Int64 = 1_795_000_000_000
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: TestBroker.logger)
        let malformed: [[UInt8]] = [
            Array("{not json".utf8),
            Array(#"{"model":"stable","model_version":"1","request_id":"x","prediction":1}"#.utf8),
            [0x7B, 0xFF, 0xFE, 0x7D],
        ]
        var outgoing = zip(events(model: "drifting", drifting: true, start: start), events(model: "stable", drifting: false, start: start))
            .flatMap { [$0.0, $0.1] }
            .map { KafkaOutgoingMessage(topic: topics.predictions, key: $0.model, value: $0.json()) }
        for (index, bytes) in malformed.enumerated() {
            outgoing.insert(KafkaOutgoingMessage(topic: topics.predictions, key: "stable", value: bytes), at: 1_000 * (index + 1))
        }
        try await producer.send(outgoing)
        try await producer.close()

        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        let output = try await TestBroker.consume([topics.reports, topics.triggers, topics.deadletter]) { messages in
            let reports = messages.filter { $0.topic == topics.reports }.count
            let deadLetters = messages.filter { $0.topic == topics.deadletter }.count
            let triggers = messages.filter { $0.topic == topics.triggers }.count
            return reports >= 8 && triggers >= 3 && deadLetters >= 3
        }
        running.cancel()
        try await running.value

        let decoder = JSONDecoder()
        let reports = try output.filter { $0.topic == topics.reports && !$0.isPerformanceReport }.map { try decoder.decode(WindowReport.self, from: Data($0.value)) }
        let triggers = try output.filter { $0.topic == topics.triggers }.map { try decoder.decode(RetrainTrigger.self, from: Data($0.value)) }
        let deadLetters = output.filter { $0.topic == topics.deadletter }

        // Four windows close per model (the fifth stays open: no later event moves the watermark past it).
        #expect(reports.filter { $0.model == "stable" }.map(\.status) == [.ok, .ok, .ok, .ok])
        #expect(reports.filter { $0.model == "drifting" }.map(\.status) == [.ok, .drift, .drift, .drift])
        #expect(reports.filter { $0.model == "stable" }.map(\.counts.events) == [700, 1_000, 1_000, 1_000])
        #expect(reports.filter { $0.model == "drifting" }.map(\.counts.events) == [700, 1_000, 1_000, 1_000])
        #expect(reports.allSatisfy { $0.reference.source == .bootstrap && $0.reference.events == 300 })
        #expect(Set(reports.map(\.id)).count == reports.count)

        #expect(triggers.map(\.data.model) == ["drifting", "drifting", "drifting"])
        #expect(triggers.allSatisfy { $0.data.features.map(\.name) == ["amount"] })
        let driftReports = reports.filter { $0.status == .drift }
        #expect(triggers.map(\.data.reportID) == driftReports.map(\.id))
        #expect(triggers.map(\.id) == driftReports.map { "drifting/1/\($0.window.end)/feature-drift" })

        #expect(deadLetters.count == 3)
        #expect(Set(deadLetters.map(\.value)) == Set(malformed))
        for message in deadLetters {
            let headers = Dictionary(uniqueKeysWithValues: message.headers.map { ($0.key, $0.stringValue ?? "") })
            #expect(headers[DeadLetter.sourceTopicHeader] == topics.predictions)
            #expect(headers[DeadLetter.sourcePartitionHeader].flatMap(Int32.init) != nil)
            #expect(headers[DeadLetter.sourceOffsetHeader].flatMap(Int64.init) != nil)
            #expect(message.key == Array("stable".utf8))
        }
        let kinds = Set(deadLetters.compactMap { message in message.headers.first { $0.key == DeadLetter.errorKindHeader }?.stringValue })
        #expect(kinds == ["invalid-json", "missing-field", "invalid-utf8"])
        let reasons = deadLetters.compactMap { message in message.headers.first { $0.key == DeadLetter.errorHeader }?.stringValue }
        #expect(reasons.contains("missing required field 'timestamp'"))
    }
}
