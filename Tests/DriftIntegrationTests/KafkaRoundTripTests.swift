import DriftKafka
import Foundation
import Synchronization
import Testing

@Suite(.serialized, .timeLimit(.minutes(2)))
struct KafkaRoundTripTests {
    @Test func producedMessagesComeBackWithKeysAndHeadersAndOffsetsCommit() async throws {
        let topic = TestBroker.unique("roundtrip")
        try await TestBroker.createTopics([KafkaTopicSpec(name: topic, partitions: 3)])

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: TestBroker.client), logger: TestBroker.logger)
        let outgoing = (0..<60).map { index in
            KafkaOutgoingMessage(
                topic: topic, key: "model-\(index % 4)", value: Array("event \(index)".utf8),
                headers: [KafkaHeader(key: "index", string: String(index)), KafkaHeader(key: "empty", value: nil)])
        }
        let reports = try await producer.send(outgoing)
        try await producer.close()
        #expect(reports.count == 60)
        #expect(Set(reports.map(\.topicPartition.topic)) == [topic])
        // One key, one partition: the partitioner keeps a model's events together.
        let partitionsByKey = Dictionary(grouping: zip(outgoing, reports)) { $0.0.key! }.mapValues {
            Set($0.map(\.1.topicPartition))
        }
        #expect(partitionsByKey.values.allSatisfy { $0.count == 1 })

        let assigned = Mutex<[KafkaTopicPartition]>([])
        let group = TestBroker.unique("group")
        let consumer = try KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(group: group), logger: TestBroker.logger
        ) {
            if case .assigned(let partitions) = $0 { assigned.withLock { $0 += partitions } }
            return []
        }
        try consumer.subscribe(topics: [topic])
        var received: [KafkaMessage] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while received.count < 60 && ContinuousClock.now < deadline {
            received += try await consumer.poll()
        }
        #expect(received.count == 60)
        #expect(Set(assigned.withLock { $0 }.map(\.partition)) == [0, 1, 2])
        let byIndex = Dictionary(uniqueKeysWithValues: received.map { (Int($0.headers[0].stringValue!)!, $0) })
        for index in 0..<60 {
            let message = try #require(byIndex[index])
            #expect(message.value == Array("event \(index)".utf8))
            #expect(message.key == Array("model-\(index % 4)".utf8))
            #expect(
                message.headers == [
                    KafkaHeader(key: "index", string: String(index)), KafkaHeader(key: "empty", value: nil),
                ])
            #expect(message.timestamp != nil)
        }

        // Store the offset after the last message of each partition, commit, and read it back from the group.
        let next = Dictionary(grouping: received, by: \.topicPartition).mapValues { $0.map(\.offset).max()! + 1 }
        consumer.storeOffsets(next.map { KafkaTopicPartitionOffset($0.key, offset: $0.value) })
        try await consumer.commit()
        let committed = try await consumer.committedOffsets(for: Array(next.keys))
        #expect(Dictionary(uniqueKeysWithValues: committed.map { ($0.topicPartition, $0.offset) }) == next)
        try await consumer.close()
    }
}
