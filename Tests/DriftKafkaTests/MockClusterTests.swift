import DriftKafka
import Logging
import Testing

/// The Kafka wrapper against librdkafka's in-process mock cluster (no broker; the integration tests run the
/// same code against the real one): produce and consume, per-message delivery errors, and consumer groups whose
/// rebalances the owner completes between batches.
@Suite struct MockClusterTests {
    static let logger = Logger(label: "driftwatch.tests.kafka")

    let cluster: KafkaMockCluster
    let client: KafkaClientConfiguration

    init() throws {
        cluster = try KafkaMockCluster(logger: Self.logger)
        client = KafkaClientConfiguration(bootstrapServers: cluster.bootstrapServers, clientID: "mock-tests")
    }

    func producer() throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(client: client)
        configuration.messageTimeout = .seconds(5)
        return try KafkaProducer(configuration: configuration, logger: Self.logger)
    }

    func groupConsumer(_ group: String) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(client: client, groupID: group)
        configuration.sessionTimeout = .seconds(6)
        configuration.maxPollInterval = .seconds(10)
        return try KafkaConsumer(configuration: configuration, logger: Self.logger, defersRebalances: true)
    }

    /// Ten records over two partitions, each keyed and with a header naming its number.
    func produce(to topic: String) async throws -> [KafkaDeliveryReport] {
        try cluster.createTopic(topic, partitions: 2)
        let messages = (0..<10).map { index in
            KafkaOutgoingMessage(
                topic: topic, partition: Int32(index % 2), key: Array("k\(index)".utf8), value: Array("v\(index)".utf8),
                headers: [KafkaHeader(key: "n", string: String(index))])
        }
        let producer = try producer()
        defer { Task { try? await producer.close() } }
        return try await producer.send(messages)
    }

    @Test func recordsAreReadBackWithKeysHeadersAndOffsets() async throws {
        let reports = try await produce(to: "records")
        #expect(reports.map(\.offset) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupID: "unused"), logger: Self.logger)
        let partitions = try await consumer.assignAll(of: ["records"])
        #expect(partitions.count == 2)
        var read: [KafkaMessage] = []
        for _ in 0..<50 where read.count < 10 { read += try await consumer.poll(maximum: 100) }
        #expect(read.count == 10)
        for message in read {
            let number = try #require(message.headers.first { $0.key == "n" }?.stringValue.flatMap { Int($0) })
            #expect(message.key == Array("k\(number)".utf8) && message.value == Array("v\(number)".utf8))
            #expect(message.partition == Int32(number % 2) && message.offset == Int64(number / 2))
        }
        let ends = try await consumer.highWatermarks(of: partitions)
        #expect(ends.map(\.offset) == [5, 5])
    }

    @Test func aRefusedRecordFailsAloneWithItsKind() async throws {
        try cluster.createTopic("refusals")
        let producer = try producer()
        cluster.failProduceRequests(with: [.messageSizeTooLarge])
        let results = await producer.deliver([KafkaOutgoingMessage(topic: "refusals", key: nil, value: Array("x".utf8))]
        )
        let error = try #require(results.first.flatMap { if case .failure(let error) = $0 { error } else { nil } })
        #expect(error.isTooLarge && !error.isTransient)
        let retried = await producer.deliver([KafkaOutgoingMessage(topic: "refusals", key: nil, value: Array("x".utf8))]
        )
        #expect(retried.first.map { if case .success = $0 { true } else { false } } == true)
        try await producer.close()
    }

    /// A deferred rebalance: the poll that meets it returns, nothing is read until the owner completes it,
    /// the partitions then start where the owner says, and the offsets it stores are committed on close.
    @Test func deferredRebalancesAreCompletedByTheOwner() async throws {
        _ = try await produce(to: "grouped")
        let consumer = try groupConsumer("owners")
        try consumer.subscribe(topics: ["grouped"])
        var event: KafkaRebalanceEvent?
        for _ in 0..<200 where event == nil {
            #expect(try await consumer.poll(maximum: 100, timeout: .milliseconds(100)).isEmpty)
            event = consumer.takeRebalance()
        }
        guard case .assigned(let partitions) = try #require(event) else {
            Issue.record("expected an assignment, got \(String(describing: event))")
            return
        }
        #expect(Set(partitions.map(\.partition)) == [0, 1])
        // Still pending: polling reads nothing (the assignment is not applied yet).
        #expect(try await consumer.poll(maximum: 100, timeout: .milliseconds(200)).isEmpty)

        let first = KafkaTopicPartition(topic: "grouped", partition: 0)
        try await consumer.completeRebalance(event!, offsets: [KafkaTopicPartitionOffset(first, offset: 3)])
        var read: [KafkaMessage] = []
        for _ in 0..<100 where read.count < 7 { read += try await consumer.poll(maximum: 100) }
        #expect(read.filter { $0.partition == 0 }.map(\.offset) == [3, 4])
        #expect(read.filter { $0.partition == 1 }.map(\.offset) == [0, 1, 2, 3, 4])

        consumer.storeOffsets([KafkaTopicPartitionOffset(first, offset: 4)])
        try await consumer.close()
        let reader = try groupConsumer("owners")
        let committed = try await reader.committedOffsets(for: [first])
        #expect(committed.map(\.offset) == [4])
    }
}
