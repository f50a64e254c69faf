import DriftApp
import DriftConfig
import DriftKafka
import Foundation
import Logging

/// The real broker the integration tests run against: Tansu from scripts/broker (make test starts it).
/// Every test uses topics and consumer groups of its own, so tests never see each other's data.
enum TestBroker {
    static var address: String {
        ProcessInfo.processInfo.environment["DRIFTWATCH_TEST_BROKERS"] ?? "127.0.0.1:19092"
    }

    static let logger: Logger = {
        var logger = Logger(label: "driftwatch.tests")
        logger.logLevel = .warning
        return logger
    }()

    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UInt64(Date().timeIntervalSince1970 * 1000))-\(UInt32.random(in: 0...UInt32.max))"
    }

    static var client: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: address, clientID: "driftwatch-tests")
    }

    static func consumerConfiguration(group: String) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(client: client, groupID: group)
        configuration.sessionTimeout = .seconds(6)
        configuration.maxPollInterval = .seconds(10)
        return configuration
    }

    /// Creates topics and fails loudly when the broker is not there.
    static func createTopics(_ specs: [KafkaTopicSpec]) async throws {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let results: [KafkaTopicCreation]
        do {
            results = try await admin.createTopics(specs, timeout: .seconds(20))
        } catch {
            throw TestFailure(
                "cannot create topics on \(address) (is the broker running? make test starts it): \(error)")
        }
        for result in results {
            if case .failed(let reason) = result.outcome {
                throw TestFailure(
                    "cannot create \(result.name) on \(address) (is the broker running? make test starts it): \(reason)"
                )
            }
        }
    }

    /// A monitor configuration with topics, group and state database of its own, and the short group timeouts
    /// Tansu needs to form groups quickly.
    static func monitorConfig(_ name: String) -> DriftwatchConfig {
        var config = DriftwatchConfig()
        config.kafka.brokers = address
        config.kafka.groupID = unique(name)
        config.kafka.sessionTimeout = .seconds(6)
        config.kafka.maxPollInterval = .seconds(10)
        config.topics = config.topics.suffixed("." + unique(name))
        config.storePath =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("driftwatch-tests/\(unique(name))/state.sqlite").path
        return config
    }

    /// Creates every topic of a configuration: the inputs with `partitions` partitions, the rest with one.
    static func createTopics(for topics: DriftwatchConfig.Topics, partitions: Int32 = 2) async throws {
        let inputs = [topics.predictions, topics.features, topics.labels]
        let names = DriftwatchConfig.Topics.roles.compactMap { topics[$0] } + (topics.late.map { [$0] } ?? [])
        try await createTopics(names.map { KafkaTopicSpec(name: $0, partitions: inputs.contains($0) ? partitions : 1) })
    }

    /// Reads `topics` from the beginning in a fresh group until `done` holds for what was read, or `timeout`.
    static func consume(
        _ topics: [String], timeout: Duration = .seconds(60), until done: ([KafkaMessage]) -> Bool
    ) async throws -> [KafkaMessage] {
        let consumer = try KafkaConsumer(configuration: consumerConfiguration(group: unique("reader")), logger: logger)
        try consumer.subscribe(topics: topics)
        var messages: [KafkaMessage] = []
        let deadline = ContinuousClock.now + timeout
        while !done(messages) && ContinuousClock.now < deadline {
            messages += try await consumer.poll()
        }
        try await consumer.close()
        return messages
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension KafkaMessage {
    /// Performance reports share the reports topic with window reports; their ids end in `/performance`.
    var isPerformanceReport: Bool {
        headers.first { $0.key == "driftwatch.report.id" }?.stringValue?.hasSuffix("/performance") == true
    }
}
