import DriftCore
import DriftKafka
import DriftStats
import Foundation
import Testing

@testable import DriftApp

/// The trainer reads the training range of a topic, not the whole topic: on the real broker, a topic with ten
/// ranges' worth of predictions (out of order within a second, undecodable messages among them) gives every
/// event of the range and reads a small part of the rest.
@Suite struct TrainingRangeTests {
    @Test func onlyTheRangeIsReadAndNothingOfItIsMissed() async throws {
        let topic = TestBroker.unique("range.predictions")
        try await TestBroker.createTopics([KafkaTopicSpec(name: topic, partitions: 2)])
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: TestBroker.client), logger: TestBroker.logger)
        var random = SplitMix64(seed: 5)
        let start: Int64 = 1_800_000_000_000
        var messages: [KafkaOutgoingMessage] = []
        var times: [String: Int64] = [:]
        for index in 0..<40_000 {
            let model = index % 2 == 0 ? "a" : "b"
            // 2.5 ms apart, out of order by up to 1 s: 100 s.
            let time = start + Int64(index) * 100 / 40 - Int64(random.unit() * 1_000)
            let event = PredictionEvent(
                model: model, modelVersion: "1", requestID: "r\(index)", time: EventTime(millisecondsSinceEpoch: time),
                features: ["x": .number(random.unit())], prediction: .score(random.unit()))
            messages.append(KafkaOutgoingMessage(topic: topic, key: model, value: event.json()))
            if index % 500 == 0 {
                messages.append(KafkaOutgoingMessage(topic: topic, key: model, value: Array("{".utf8)))
            }
            times[event.requestID] = time
        }
        for chunk in stride(from: 0, to: messages.count, by: 5_000) {
            _ = try await producer.send(Array(messages[chunk..<min(chunk + 5_000, messages.count)]))
        }

        var configuration = TestBroker.consumerConfiguration(group: TestBroker.unique("range"))
        configuration.sessionTimeout = .seconds(6)
        var reader = EventTimeRangeReader(configuration: configuration, logger: TestBroker.logger)
        reader.scanBelow = 200
        reader.readWholeBelow = 1_000  // bisect this small topic too
        // A tenth of the topic in its middle, and the last tenth (its range reaches the partitions' ends).
        for from in [start + 40_000, start + 90_000] {
            let through = from + 9_999
            let inRange = Set(times.filter { (from...through).contains($0.value) }.keys)
            let reading = try await reader.read(topic: topic, from: from, through: through, slack: 2_000) {
                try? PredictionEvent.decode(json: $0).time.millisecondsSinceEpoch
            }
            let read = Set(reading.values.compactMap { try? PredictionEvent.decode(json: $0).requestID })
            let missed = inRange.subtracting(read).count
            #expect(missed == 0, "missed \(missed) of the range's \(inRange.count) events")
            // The slack and the unresolved ends of the bisections add a little to the tenth.
            #expect(reading.read < messages.count / 5, "read \(reading.read) of \(messages.count)")
            #expect(reading.probes > 0)
        }
    }
}
