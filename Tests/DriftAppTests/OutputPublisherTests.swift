import DriftKafka
import Foundation
import Logging
import Testing

@testable import DriftApp
@testable import DriftCore
@testable import DriftPipeline

/// The publisher's handling of each failure, with the errors a broker answers injected into librdkafka's mock
/// cluster: what a real broker cannot be asked to refuse. The real broker's large messages are in
/// DriftIntegrationTests/PoisonMessageTests.
@Suite(.serialized) struct OutputPublisherTests {
    static let logger = Logger(label: "driftwatch.tests.publisher")

    func publisher(topics: [String]) throws -> (KafkaMockCluster, KafkaProducer, OutputPublisher) {
        let cluster = try KafkaMockCluster(logger: Self.logger)
        for topic in topics { try cluster.createTopic(topic) }
        let client = KafkaClientConfiguration(bootstrapServers: cluster.bootstrapServers, clientID: "publisher-tests")
        var configuration = KafkaProducerConfiguration(client: client)
        // librdkafka retries retriable errors itself until this passes; then the publisher sees them.
        configuration.messageTimeout = .seconds(2)
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        var settings = OutputPublisher.Settings()
        settings.firstBackoff = .milliseconds(50)
        let publisher = OutputPublisher(
            producer: producer, settings: settings, logger: Self.logger, metrics: PipelineMetrics())
        return (cluster, producer, publisher)
    }

    func deadLetter(bytes: Int) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(
            topic: "dlq", key: Array("m".utf8), value: Array(repeating: UInt8(ascii: "x"), count: bytes),
            headers: [KafkaHeader(key: DeadLetter.errorHeader, string: "not valid JSON")])
    }

    @Test func aDeadLetterTheBrokerRefusesAsTooLargeIsTruncated() async throws {
        let (cluster, producer, publisher) = try publisher(topics: ["dlq"])
        cluster.failProduceRequests(with: [.messageSizeTooLarge])
        let outcome = try await publisher.publish([deadLetter(bytes: 200_000)], stopping: { false })
        #expect(outcome.skipped.isEmpty)
        let published = try #require(outcome.published.first)
        #expect(published.headers.contains { $0.key == DeadLetter.truncatedHeader })
        #expect(published.recordSize <= (200_000 + KafkaOutgoingMessage.recordOverhead + 100) / 2)
        try await producer.close()
    }

    @Test func aWindowReportTheBrokerRefusesIsCompacted() async throws {
        let (cluster, producer, publisher) = try publisher(topics: ["reports"])
        var report = WindowReport(
            id: "m/1/a/b", model: "m", modelVersion: "1", window: .init(start: "a", end: "b", kind: "tumbling"),
            counts: .init(events: 100, late: 0, deadLettered: 0, unmatchedFeatures: 0, missing: 0),
            reference: .init(version: "1", source: .bootstrap, events: 300, bootstrapped: true),
            features: (0..<400).map {
                WindowReport.FeatureResult(
                    name: "f\($0)", type: "numeric", count: 100, missing: 0, wrongType: 0, drifted: $0 == 7)
            },
            unknownFeatures: [], prediction: nil, latency: nil, status: .drift)
        report.rules = []
        cluster.failProduceRequests(with: [.messageSizeTooLarge])
        let message = KafkaOutgoingMessage(topic: "reports", key: Array("m".utf8), value: report.json(), headers: [])
        let outcome = try await publisher.publish([message], stopping: { false })
        let published = try JSONDecoder().decode(
            WindowReport.self, from: Data(try #require(outcome.published.first).value))
        #expect(published.features.map(\.name) == ["f7"])
        #expect(
            published.compacted?.omittedFeatures == 399 && published.compacted?.originalBytes == report.json().count)
        try await producer.close()
    }

    @Test func aPolicyRefusalIsSkippedOnceAndTheRestGoesThrough() async throws {
        let (cluster, producer, publisher) = try publisher(topics: ["alerts"])
        cluster.failProduceRequests(with: [.policyViolation])
        let first = KafkaOutgoingMessage(topic: "alerts", key: nil, value: Array("{\"id\":\"a\"}".utf8), headers: [])
        let outcome = try await publisher.publish([first], stopping: { false })
        #expect(outcome.skipped.count == 1 && outcome.skipped[0].error.code == .policyViolation)
        #expect(outcome.published.isEmpty)
        let second = try await publisher.publish([first], stopping: { false })
        #expect(second.published.count == 1 && second.skipped.isEmpty)
        #expect(publisher.failing == nil)
        try await producer.close()
    }

    @Test func transientRefusalsAreRetriedUntilTheyPass() async throws {
        let (cluster, producer, publisher) = try publisher(topics: ["reports"])
        cluster.failProduceRequests(with: [.notEnoughReplicas, .notEnoughReplicas, .leaderNotAvailable])
        let message = KafkaOutgoingMessage(topic: "reports", key: nil, value: Array("{\"id\":\"r\"}".utf8), headers: [])
        let outcome = try await publisher.publish([message], stopping: { false })
        #expect(outcome.published.count == 1 && outcome.skipped.isEmpty)
        #expect(publisher.failing == nil)
        try await producer.close()
    }

    @Test func stoppingWhileTheBrokerRefusesEndsWithBrokerGone() async throws {
        let (cluster, producer, publisher) = try publisher(topics: ["reports"])
        var settings = OutputPublisher.Settings()
        settings.shutdownPatience = .milliseconds(300)
        settings.firstBackoff = .milliseconds(50)
        let impatient = OutputPublisher(
            producer: producer, settings: settings, logger: Self.logger, metrics: PipelineMetrics())
        cluster.failProduceRequests(with: Array(repeating: .notEnoughReplicas, count: 200))
        let message = KafkaOutgoingMessage(topic: "reports", key: nil, value: Array("{\"id\":\"r\"}".utf8), headers: [])
        await #expect(throws: PublicationError.self) { try await impatient.publish([message], stopping: { true }) }
        #expect(impatient.failing != nil)
        _ = publisher
        try? await producer.close(timeout: .seconds(1))
    }
}
