import DriftKafka
import Foundation
import Synchronization
import Testing

/// Cooperative-sticky rebalancing on the real broker: when a second member joins, the first gives up part
/// of its partitions through the revoke callback, and the offsets its handler returns are committed there.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RebalanceTests {
    /// What the rebalance callback told one member, recorded from the consumer's thread.
    final class Ledger: Sendable {
        let state = Mutex<(assigned: Set<KafkaTopicPartition>, revoked: Set<KafkaTopicPartition>)>(([], []))
    }

    struct Member {
        let consumer: KafkaConsumer
        let ledger = Ledger()

        init(group: String, topic: String, offsetOnRevoke: Int64, companions: [String] = []) throws {
            let ledger = self.ledger
            var configuration = TestBroker.consumerConfiguration(group: group)
            configuration.companionTopics = companions
            consumer = try KafkaConsumer(configuration: configuration, logger: TestBroker.logger) {
                event in
                ledger.state.withLock { state in
                    switch event {
                    case .assigned(let partitions):
                        state.assigned.formUnion(partitions)
                        return []
                    case .revoked(let partitions):
                        state.assigned.subtract(partitions)
                        state.revoked.formUnion(partitions)
                        return partitions.map { KafkaTopicPartitionOffset($0, offset: offsetOnRevoke) }
                    case .lost:
                        return []
                    }
                }
            }
            try consumer.subscribe(topics: [topic])
        }

        var current: Set<KafkaTopicPartition> { ledger.state.withLock { $0.assigned } }
        var given: Set<KafkaTopicPartition> { ledger.state.withLock { $0.revoked } }
    }

    func pollUntil(_ members: [Member], deadline: Duration = .seconds(60), _ condition: () -> Bool) async throws {
        let end = ContinuousClock.now + deadline
        while !condition() && ContinuousClock.now < end {
            for member in members { _ = try await member.consumer.poll(timeout: .milliseconds(50)) }
        }
    }

    @Test func aJoiningMemberTakesPartitionsAndTheRevokedOffsetsAreCommitted() async throws {
        let topic = TestBroker.unique("rebalance")
        let group = TestBroker.unique("group")
        try await TestBroker.createTopics([KafkaTopicSpec(name: topic, partitions: 4)])
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: TestBroker.client), logger: TestBroker.logger)
        try await producer.send(
            (0..<40).map { KafkaOutgoingMessage(topic: topic, partition: Int32($0 % 4), key: nil, value: [UInt8($0)]) })
        try await producer.close()

        let first = try Member(group: group, topic: topic, offsetOnRevoke: 7)
        try await pollUntil([first]) { first.current.count == 4 }
        #expect(first.current.count == 4)

        let second = try Member(group: group, topic: topic, offsetOnRevoke: 3)
        try await pollUntil([first, second]) {
            !second.current.isEmpty && first.current.count + second.current.count == 4
        }

        // Cooperative: the first member kept some partitions and gave up only the ones the second now owns.
        #expect(!second.current.isEmpty)
        #expect(!first.current.isEmpty)
        #expect(first.current.isDisjoint(with: second.current))
        #expect(first.given == second.current)

        // What the revoke handler returned was committed before the partitions moved.
        let committed = try await second.consumer.committedOffsets(for: Array(first.given))
        #expect(committed.count == first.given.count)
        #expect(committed.allSatisfy { $0.offset == 7 })

        try await second.consumer.close()
        try await first.consumer.close()
    }

    /// A partition revoked and assigned back while the member waits in one poll: the message read after the
    /// assignment is returned, not dropped with what was read before the revocation (it would be lost: nothing
    /// reads it again once later offsets of the partition are committed).
    @Test func aPartitionAssignedBackWithinOnePollKeepsWhatItReadsAfterwards() async throws {
        let topic = TestBroker.unique("regain")
        let group = TestBroker.unique("group")
        try await TestBroker.createTopics([KafkaTopicSpec(name: topic, partitions: 2)])
        let first = try Member(group: group, topic: topic, offsetOnRevoke: 0)
        try await pollUntil([first]) { first.current.count == 2 }
        #expect(first.current.count == 2)

        // One poll that waits (the topic is empty): both rebalances below run inside it.
        let waiting = Task { try await first.consumer.poll(maximum: 10, timeout: .seconds(90)) }
        let second = try Member(group: group, topic: topic, offsetOnRevoke: 0)
        try await pollUntil([second]) { !second.current.isEmpty }
        let moved = second.current
        #expect(!moved.isEmpty)
        try await second.consumer.close()
        let deadline = ContinuousClock.now + .seconds(60)
        while first.current.count < 2 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(first.given == moved)
        #expect(first.current.count == 2)

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: TestBroker.client), logger: TestBroker.logger)
        let partition = try #require(moved.first).partition
        try await producer.send([
            KafkaOutgoingMessage(topic: topic, partition: partition, key: nil, value: Array("after".utf8))
        ])
        try await producer.close()
        let read = try await waiting.value
        #expect(read.map { String(decoding: $0.value, as: UTF8.self) } == ["after"])
        #expect(read.map(\.partition) == [partition])
        try await first.consumer.close()
    }

    /// Co-partitioning: the group assigns the subscribed topic only, and each of its partitions brings the
    /// companion topics' partitions of the same number, revoked and committed with it; messages of the
    /// companions are read only by the member that holds their number.
    @Test func companionPartitionsFollowTheGroupsAssignment() async throws {
        let topic = TestBroker.unique("leading")
        let companions = [TestBroker.unique("features"), TestBroker.unique("labels")]
        let group = TestBroker.unique("group")
        try await TestBroker.createTopics(([topic] + companions).map { KafkaTopicSpec(name: $0, partitions: 4) })
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: TestBroker.client), logger: TestBroker.logger)
        try await producer.send(
            ([topic] + companions).flatMap { name in
                (0..<4).map { KafkaOutgoingMessage(topic: name, partition: Int32($0), key: nil, value: [UInt8($0)]) }
            })
        try await producer.close()

        func numbers(_ partitions: Set<KafkaTopicPartition>, of name: String) -> Set<Int32> {
            Set(partitions.filter { $0.topic == name }.map(\.partition))
        }
        // The first member's revoke handler returns offset 0 (nothing processed): the second reads from there.
        let first = try Member(group: group, topic: topic, offsetOnRevoke: 0, companions: companions)
        try await pollUntil([first]) { first.current.count == 12 }
        #expect(first.current.count == 12)

        let second = try Member(group: group, topic: topic, offsetOnRevoke: 1, companions: companions)
        var read: [Int: [KafkaMessage]] = [0: [], 1: []]
        let end = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < end
            && (second.current.isEmpty || first.current.count + second.current.count != 12
                || read[1]!.count < second.current.count)
        {
            read[0]! += try await first.consumer.poll(timeout: .milliseconds(50))
            read[1]! += try await second.consumer.poll(timeout: .milliseconds(50))
        }
        for member in [first, second] {
            let held = numbers(member.current, of: topic)
            #expect(!held.isEmpty)
            for companion in companions { #expect(numbers(member.current, of: companion) == held) }
            #expect(Set(member.current.map(\.topic)) == Set([topic] + companions))
        }
        #expect(first.current.isDisjoint(with: second.current))
        #expect(first.given == second.current)
        // The second member read its companions' messages, and only those of its numbers.
        let held = numbers(second.current, of: topic)
        #expect(Set(read[1]!.map(\.partition)) == held)
        #expect(Set(read[1]!.map(\.topic)) == Set([topic] + companions))
        // The revoke handler's offsets were committed for the companions too.
        let committed = try await second.consumer.committedOffsets(for: Array(first.given))
        #expect(committed.count == first.given.count)
        #expect(committed.allSatisfy { $0.offset == 0 })

        // Leaving gives everything back: the first member holds all numbers of all three topics again.
        try await second.consumer.close()
        try await pollUntil([first]) { first.current.count == 12 }
        #expect(first.current.count == 12)
        try await first.consumer.close()
    }
}
