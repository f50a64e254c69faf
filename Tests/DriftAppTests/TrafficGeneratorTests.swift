import DriftCore
import DriftKafka
import Foundation
import Logging
import Testing

@testable import DriftApp

/// The generator's optional streams (scripts/scale-test uses them), produced to librdkafka's mock cluster and
/// read back: features on their own topic for a share of predictions, labels for a share, late by a delay in
/// a range, and sent in event-time order.
@Suite struct TrafficGeneratorTests {
    static let logger = Logger(label: "driftwatch.tests.generator")

    @Test func featuresAndLabelsComeOnTheirOwnTopicsAsAsked() async throws {
        let cluster = try KafkaMockCluster(logger: Self.logger)
        for topic in ["p", "f", "l"] { try cluster.createTopic(topic) }
        let client = KafkaClientConfiguration(bootstrapServers: cluster.bootstrapServers, clientID: "generator-tests")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: Self.logger)
        var settings = TrafficGenerator.Settings()
        settings.eventsPerModel = 400
        settings.rate = nil
        settings.labels = true
        settings.labelShare = 0.8
        settings.labelDelay = 2_000...20_000
        settings.featuresShare = 0.3
        var generator = TrafficGenerator(settings: settings)
        try await generator.run(producer: producer, topics: .init(predictions: "p", labels: "l", features: "f"))
        try await producer.close()

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupID: "unused"), logger: Self.logger)
        let partitions = try await consumer.assignAll(of: ["p", "f", "l"])
        let produced = try await consumer.highWatermarks(of: partitions).reduce(0) { $0 + Int($1.offset) }
        let total = 3 * 400
        var read: [KafkaMessage] = []
        for _ in 0..<300 where read.count < produced { read += try await consumer.poll(maximum: 1_000) }
        #expect(read.count == produced)
        let predictions = try read.filter { $0.topic == "p" }.map { try PredictionEvent.decode(json: $0.value) }
        let features = try read.filter { $0.topic == "f" }.map { try FeatureEvent.decode(json: $0.value) }
        let labels = try read.filter { $0.topic == "l" }.map { try LabelEvent.decode(json: $0.value) }
        try await consumer.close()

        #expect(predictions.count == total)
        let byID = Dictionary(uniqueKeysWithValues: predictions.map { ($0.requestID, $0) })
        // About 30 % without features, each with its feature event (same request id and time).
        let waiting = predictions.filter(\.awaitsFeatures)
        #expect((0.25...0.35).contains(Double(waiting.count) / Double(total)))
        #expect(Set(features.map(\.requestID)) == Set(waiting.map(\.requestID)))
        #expect(features.allSatisfy { byID[$0.requestID]?.time == $0.time && !$0.features.isEmpty })
        // About 80 % labelled, 2–20 s after the prediction in event time, sent in event-time order.
        #expect((0.72...0.88).contains(Double(labels.count) / Double(total)))
        for label in labels {
            let prediction = try #require(byID[label.requestID])
            #expect(
                (2_000...20_000).contains(label.time.millisecondsSinceEpoch - prediction.time.millisecondsSinceEpoch))
        }
        #expect(labels.map(\.time.millisecondsSinceEpoch) == labels.map(\.time.millisecondsSinceEpoch).sorted())
    }
}
