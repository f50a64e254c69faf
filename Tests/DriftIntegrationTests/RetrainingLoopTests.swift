import DriftConfig
import DriftCore
import DriftKafka
import DriftPipeline
import DriftStats
import DriftStore
import Foundation
import Testing

@testable import DriftApp

/// The closed loop on the real broker: traffic drifts → windows drift → trigger → the trainer retrains on the
/// labelled events, validates, registers and deploys version 2 → the monitor switches to version 2's
/// reference → version 2's windows are compared with it and are healthy. A duplicated trigger retrains once.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RetrainingLoopTests {
    static let start: Int64 = 1_796_000_000_000

    /// One event every 10 ms. The population centre moves from 0 to 2 at the drift, and the labels' decision
    /// boundary moves with it, so version 1 (trained for centre 0) gets worse and a retrained model better.
    static func traffic(
        from index: Int, count: Int, centre: Double, version: String, score: (Double, Double) -> Double,
        random: inout SplitMix64
    ) -> (predictions: [PredictionEvent], labels: [LabelEvent]) {
        var predictions: [PredictionEvent] = []
        var labels: [LabelEvent] = []
        for i in index..<(index + count) {
            let x1 = random.normal(mean: centre, sd: 1)
            let x2 = random.normal(mean: 0, sd: 1)
            let time = EventTime(millisecondsSinceEpoch: start + Int64(i) * 10)
            let event = PredictionEvent(
                model: "fraud", modelVersion: version, requestID: "r\(i)", time: time,
                features: ["x1": .number(x1), "x2": .number(x2)], prediction: .score(score(x1, x2)))
            predictions.append(event)
            let truth = random.unit() < 1 / (1 + exp(-(3 * (x1 - centre) + x2)))
            labels.append(
                LabelEvent(
                    model: "fraud", requestID: event.requestID,
                    time: EventTime(millisecondsSinceEpoch: time.millisecondsSinceEpoch + 1_000),
                    label: .number(truth ? 1 : 0)))
        }
        return (predictions, labels)
    }

    static func messages(
        _ traffic: (predictions: [PredictionEvent], labels: [LabelEvent]), _ topics: DriftwatchConfig.Topics
    )
        -> [KafkaOutgoingMessage]
    {
        traffic.predictions.map { KafkaOutgoingMessage(topic: topics.predictions, key: $0.model, value: $0.json()) }
            + traffic.labels.map { KafkaOutgoingMessage(topic: topics.labels, key: $0.model, value: $0.json()) }
    }

    @Test func driftTriggersRetrainingAndTheNewVersionIsHealthy() async throws {
        var config = TestBroker.monitorConfig("loop")
        config.monitor.windowSize = 5_000
        config.monitor.allowedLateness = 1_000
        config.monitor.idleTimeout = nil
        config.monitor.bootstrapEvents = 400
        config.monitor.policy.minimumWindowEvents = 100
        config.monitor.trainingLookback = 15_000
        config.trainer.groupID = TestBroker.unique("trainer")
        let topics = config.topics
        try await TestBroker.createTopics(for: topics)
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: TestBroker.logger)

        // Version 1: 15 s before the drift, 25 s after.
        var random = SplitMix64(seed: 9)
        let v1 = { (x1: Double, x2: Double) in 1 / (1 + exp(-(3 * x1 + x2))) }
        let before = Self.traffic(from: 0, count: 1_500, centre: 0, version: "1", score: v1, random: &random)
        let after = Self.traffic(from: 1_500, count: 2_500, centre: 2, version: "1", score: v1, random: &random)
        try await producer.send(Self.messages(before, topics) + Self.messages(after, topics))

        // Monitor and trainer start together, on an empty triggers topic and a new state database.
        let monitor = Task { [config] in try await MonitorPipeline(config: config, logger: TestBroker.logger).run() }
        let trainer = Task { [config] in try await TrainerService(config: config, logger: TestBroker.logger).run() }

        // The trainer deploys version 2 with its parameters and reference.
        let deployed = try await TestBroker.consume([topics.deployments], timeout: .seconds(90)) { !$0.isEmpty }
        let deployment = try DeploymentEvent.decode(json: try #require(deployed.first).value)
        #expect(deployment.model == "fraud" && deployment.modelVersion == "2")
        let parameters = try #require(deployment.parameters)
        #expect(parameters.features == ["x1", "x2"])
        #expect(deployment.reference?.features["x1"] != nil)

        // The first trigger again (same id): it must not retrain a second time.
        let triggers = try await TestBroker.consume([topics.triggers]) { !$0.isEmpty }
        try await producer.send([
            KafkaOutgoingMessage(topic: topics.triggers, key: "fraud", value: try #require(triggers.first).value)
        ])

        // Version 2 serves the drifted population from here on.
        let model = parameters.logisticRegression
        let v2 = Self.traffic(
            from: 4_000, count: 2_000, centre: 2, version: "2", score: { model.probability([$0, $1]) }, random: &random)
        try await producer.send(Self.messages(v2, topics))
        try await producer.close()

        let output = try await TestBroker.consume([topics.reports], timeout: .seconds(90)) { messages in
            messages.filter { !$0.isPerformanceReport }.compactMap {
                try? JSONDecoder().decode(WindowReport.self, from: Data($0.value))
            }
            .filter { $0.modelVersion == "2" }.count >= 3
        }
        monitor.cancel()
        trainer.cancel()
        try await monitor.value
        try await trainer.value

        let reports = output.filter { !$0.isPerformanceReport }.compactMap {
            try? JSONDecoder().decode(WindowReport.self, from: Data($0.value))
        }
        let version1 = reports.filter { $0.modelVersion == "1" }
        let version2 = reports.filter { $0.modelVersion == "2" }
        #expect(version1.contains { $0.status == .drift })
        #expect(version2.count >= 3)
        #expect(
            version2.allSatisfy {
                $0.reference.version == "2" && $0.reference.source == .deployment && !$0.reference.bootstrapped
            })
        #expect(
            version2.allSatisfy { $0.status == .ok },
            "version 2 compared with its own reference: \(version2.map(\.status))")

        let store = try StateStore(path: config.storePath)
        let versions = try store.versions(model: "fraud")
        #expect(versions.map(\.version) == ["2"])
        #expect(versions.first?.status == .deployed && versions.first?.parentVersion == "1")
        let log = try store.triggers(model: "fraud")
        #expect(log.filter { $0.outcome == "retrained" }.count == 1)
        #expect(log.allSatisfy { ["retrained", "coalesced", "superseded"].contains($0.outcome) })
        let metrics = try #require(versions.first?.metrics)
        let values = try #require(try JSONSerialization.jsonObject(with: Data(metrics.utf8)) as? [String: Double])
        #expect(values["holdout_accuracy"]! > values["deployed_holdout_accuracy"]!)
    }
}
