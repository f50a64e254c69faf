import DriftConfig
import DriftCore
import DriftKafka
import DriftPipeline
import DriftStats
import DriftStore
import Foundation
import Testing

@testable import DriftApp

/// Event time, joins, references and many models, end to end on the real broker: events are produced to the
/// input topics, a `MonitorPipeline` runs, and the output topics are read back.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StreamSemanticsTests {
    /// A window boundary far from the others' data.
    static let start: Int64 = 1_795_000_000_000

    static func time(_ seconds: Double) -> EventTime {
        EventTime(millisecondsSinceEpoch: start + Int64((seconds * 1000).rounded()))
    }

    static func prediction(
        _ id: String, at seconds: Double, model: String = "m", version: String = "1", amount: Double,
        score: Double = 0.5
    ) -> PredictionEvent {
        PredictionEvent(
            model: model, modelVersion: version, requestID: id, time: time(seconds),
            features: ["amount": .number(amount)], prediction: .score(score), latencyMilliseconds: 5)
    }

    static func messages(_ events: [PredictionEvent], to topic: String) -> [KafkaOutgoingMessage] {
        events.map { KafkaOutgoingMessage(topic: topic, key: $0.model, value: $0.json()) }
    }

    static func produce(_ messages: [KafkaOutgoingMessage], config: DriftwatchConfig) async throws {
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: TestBroker.logger)
        try await producer.send(messages)
        try await producer.close()
    }

    static func windowReports(_ messages: [KafkaMessage], _ topics: DriftwatchConfig.Topics) throws -> [WindowReport] {
        try messages.filter { $0.topic == topics.reports && !$0.isPerformanceReport }
            .map { try JSONDecoder().decode(WindowReport.self, from: Data($0.value)) }
    }

    /// 100 reference events (t = 0…0.99 s), 200 in order in [10 s, 20 s), then at 21 s (watermark 19 s) an
    /// out-of-order event at 19.5 s that still belongs to [10 s, 20 s); at 22.5 s the watermark passes 20 s
    /// and that window closes; an event at 15 s after that is late. Then the partition goes quiet: only the
    /// idle timeout can close [20 s, 30 s).
    @Test func outOfOrderLateAndIdle() async throws {
        var config = TestBroker.monitorConfig("time")
        config.topics.late = config.topics.predictions + ".late"
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 2_000
        config.monitor.idleTimeout = 3_000
        config.monitor.bootstrapEvents = 100
        config.monitor.policy.minimumWindowEvents = 2
        let topics = config.topics
        try await TestBroker.createTopics(for: topics)

        var random = SplitMix64(seed: 7)
        var events = (0..<100).map {
            Self.prediction("ref-\($0)", at: Double($0) / 100, amount: random.normal(mean: 100, sd: 10))
        }
        events += (0..<200).map {
            Self.prediction("w1-\($0)", at: 10 + Double($0) / 20, amount: random.normal(mean: 100, sd: 10))
        }
        events.append(Self.prediction("a", at: 21, amount: 100))
        events.append(Self.prediction("out-of-order", at: 19.5, amount: 100))
        events.append(Self.prediction("b", at: 22.5, amount: 100))
        events.append(Self.prediction("late", at: 15, amount: 100))
        events.append(Self.prediction("c", at: 25, amount: 100))
        try await Self.produce(Self.messages(events, to: topics.predictions), config: config)

        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        let output = try await TestBroker.consume([topics.reports, topics.late!]) { messages in
            (try? Self.windowReports(messages, topics).count) == 2 && messages.contains { $0.topic == topics.late }
        }
        running.cancel()
        try await running.value

        let reports = try Self.windowReports(output, topics)
        #expect(reports.map(\.window.start) == [Self.time(10).rfc3339, Self.time(20).rfc3339])
        #expect(reports.map(\.counts.events) == [201, 3])  // the out-of-order event counted in its own window
        #expect(reports.map(\.counts.late) == [0, 1])  // the late event reported with the next window
        #expect(reports.allSatisfy { $0.reference.bootstrapped })
        let late = output.filter { $0.topic == topics.late }
        #expect(late.count == 1)
        #expect(try late.first.map { try PredictionEvent.decode(json: $0.value).requestID } == "late")
    }

    /// Predictions of one window, labels for most of them arriving afterwards (and one for an unknown
    /// request), then a label far enough in event time for the window's label TTL to pass.
    @Test func labelsArrivingLaterGiveTheWindowsAccuracy() async throws {
        var config = TestBroker.monitorConfig("labels")
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 1_000
        config.monitor.bootstrapEvents = 100
        config.monitor.policy.minimumWindowEvents = 10
        config.monitor.labels.ttl = 20_000
        config.monitor.labels.minimumLabels = 50
        let topics = config.topics
        try await TestBroker.createTopics(for: topics)

        var random = SplitMix64(seed: 11)
        var events = (0..<100).map {
            Self.prediction(
                "ref-\($0)", at: Double($0) / 100, amount: random.normal(mean: 100, sd: 10), score: random.unit())
        }
        let window = (0..<150).map {
            Self.prediction(
                "p\($0)", at: 10 + Double($0) / 20, amount: random.normal(mean: 100, sd: 10), score: random.unit())
        }
        events += window
        events.append(Self.prediction("closer", at: 22, amount: 100))
        try await Self.produce(Self.messages(events, to: topics.predictions), config: config)

        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        _ = try await TestBroker.consume([topics.reports]) { (try? Self.windowReports($0, topics).count) == 1 }

        // The window has been reported; now its labels come: 120 of 150, truth drawn independently of the score.
        var truths: [String: Bool] = [:]
        var labels: [KafkaOutgoingMessage] = []
        for event in window.prefix(120) {
            let truth = random.unit() < event.prediction.scoreValue
            truths[event.requestID] = truth
            let label = LabelEvent(
                model: "m", requestID: event.requestID, time: Self.time(25), label: .number(truth ? 1 : 0))
            labels.append(KafkaOutgoingMessage(topic: topics.labels, key: "m", value: label.json()))
        }
        labels.append(
            KafkaOutgoingMessage(
                topic: topics.labels, key: "m",
                value: LabelEvent(
                    model: "m", requestID: "nobody", time: Self.time(26), label: .number(1)
                ).json()))
        labels.append(
            KafkaOutgoingMessage(
                topic: topics.labels, key: "m",
                value: LabelEvent(
                    model: "m", requestID: "clock", time: Self.time(45), label: .number(1)
                ).json()))  // label clock 44 s > 20 s + 20 s
        try await Self.produce(labels, config: config)
        let output = try await TestBroker.consume([topics.reports]) { $0.contains(where: \.isPerformanceReport) }
        running.cancel()
        try await running.value

        let performance = try output.filter(\.isPerformanceReport)
            .map { try JSONDecoder().decode(PerformanceReport.self, from: Data($0.value)) }
        #expect(performance.count == 1)
        let report = try #require(performance.first)
        let windowReport = try #require(try Self.windowReports(output, topics).first)
        #expect(report.id == windowReport.id + "/performance")
        #expect(report.labels.predictions == 150 && report.labels.labeled == 120)
        #expect(report.labels.unlabeled == 30 && report.labels.unmatched == 2)
        let correct = window.prefix(120).filter { ($0.prediction.scoreValue >= 0.5) == truths[$0.requestID] }.count
        #expect(report.metrics?.accuracy == Double(correct) / 120)
        #expect(report.metrics?.rocAUC != nil && report.metrics?.logLoss != nil)
        #expect(report.status == .ok)
    }

    /// fraud 1 and churn 1 bootstrap their references from traffic; fraud 2 arrives with a deployment whose
    /// reference matches its traffic, which is far from fraud 1's: it must be compared with its own.
    @Test func modelsAndVersionsKeepTheirOwnWindowsAndReferences() async throws {
        var config = TestBroker.monitorConfig("versions")
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 1_000
        config.monitor.bootstrapEvents = 200
        config.monitor.policy.minimumWindowEvents = 50
        var churn = config.monitor
        churn.windowKind = .count(events: 100)
        config.models["churn"] = churn
        let topics = config.topics
        try await TestBroker.createTopics(for: topics)

        var random = SplitMix64(seed: 3)
        func traffic(_ model: String, _ version: String, mean: Double, from: Double, count: Int) -> [PredictionEvent] {
            (0..<count).map {
                Self.prediction(
                    "\(model)-\(version)-\($0)", at: from + Double($0) / 50, model: model, version: version,
                    amount: random.normal(mean: mean, sd: 10))
            }
        }
        // Version 1 of both models: reference (4 s) and two windows; churn's windows count 100 events.
        let first =
            traffic("fraud", "1", mean: 100, from: 0, count: 1_100)
            + traffic("churn", "1", mean: 5, from: 0, count: 600)
        try await Self.produce(Self.messages(first, to: topics.predictions), config: config)
        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        _ = try await TestBroker.consume([topics.reports]) { messages in
            let reports = (try? Self.windowReports(messages, topics)) ?? []
            return reports.contains { $0.model == "fraud" } && reports.contains { $0.model == "churn" }
        }

        // Deploy fraud 2 with a reference built from data like its traffic, and wait until the monitor has it.
        var deployed = ReferenceProfile.Columns()
        deployed.numbers["amount"] = (0..<2_000).map { _ in random.normal(mean: 300, sd: 10) }
        let reference = ReferenceProfile(
            modelVersion: "2", source: .file, eventCount: 2_000, values: deployed, predictions: .init(), psiBins: 10)
        let deployment = DeploymentEvent(
            model: "fraud", modelVersion: "2", deployedAt: Self.time(20), reference: reference)
        try await Self.produce(
            [KafkaOutgoingMessage(topic: topics.deployments, key: "fraud", value: deployment.json())], config: config)
        let store = try StateStore(path: config.storePath)
        let deadline = ContinuousClock.now + .seconds(30)
        while try store.load(model: "fraud", version: "2") == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try store.load(model: "fraud", version: "2")?.source == .deployment)

        let second =
            traffic("fraud", "2", mean: 300, from: 25, count: 1_000)
            + traffic("fraud", "1", mean: 100, from: 25, count: 1_000)
        try await Self.produce(Self.messages(second, to: topics.predictions), config: config)
        let output = try await TestBroker.consume([topics.reports]) { messages in
            let reports = (try? Self.windowReports(messages, topics)) ?? []
            return reports.filter { $0.model == "fraud" && $0.modelVersion == "2" }.count >= 2
        }
        running.cancel()
        try await running.value

        let reports = try Self.windowReports(output, topics)
        let fraud2 = reports.filter { $0.model == "fraud" && $0.modelVersion == "2" }
        #expect(
            fraud2.allSatisfy {
                $0.reference.version == "2" && $0.reference.source == .deployment && !$0.reference.bootstrapped
            })
        // Against fraud 1's reference (mean 100) every window would drift.
        #expect(fraud2.allSatisfy { $0.status == .ok })
        let fraud1 = reports.filter { $0.model == "fraud" && $0.modelVersion == "1" }
        #expect(fraud1.count >= 3)
        #expect(fraud1.allSatisfy { $0.reference.version == "1" && $0.reference.bootstrapped && $0.status == .ok })
        let churn1 = reports.filter { $0.model == "churn" }
        #expect(churn1.map(\.counts.events) == [100, 100, 100, 100])  // 600 - 200 reference events, count windows
        #expect(churn1.allSatisfy { $0.window.kind == "count" && $0.reference.version == "1" })
        // Windows of different (model, version)s never share an id.
        #expect(Set(reports.map(\.id)).count == reports.count)
        // The bootstrapped references were kept: a restart compares with the same ones.
        #expect(try store.load(model: "fraud", version: "1")?.source == .bootstrap)
        #expect(try store.load(model: "churn", version: "1")?.eventCount == 200)
    }
}

extension PredictionEvent.Prediction {
    var scoreValue: Double {
        if case .score(let score) = self { score } else { .nan }
    }
}

/// The event-time merge's memory is bounded on the real broker: with `input.max_held_events` at 200, a backlog
/// whose predictions are read ahead of their features pauses the predictions partition (its messages stay in
/// the broker) and resumes it, and the reports are still byte for byte what `verify` expects.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct HeldEventsBoundTests {
    @Test func aPartitionHeldBeyondTheBoundIsPausedAndNothingChanges() async throws {
        var config = TestBroker.monitorConfig("held")
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 1_000
        config.monitor.bootstrapEvents = 300
        config.monitor.policy.minimumWindowEvents = 50
        config.monitor.idleTimeout = nil
        config.input.maximumHeldEvents = 200
        let topics = config.topics
        try await TestBroker.createTopics(for: topics, partitions: 1)

        // 6 000 predictions 10 ms apart without features, then their features: the features topic's backlog is
        // read behind the predictions', which the merge holds.
        var random = SplitMix64(seed: 21)
        var predictions: [KafkaOutgoingMessage] = []
        var features: [KafkaOutgoingMessage] = []
        for index in 0..<6_000 {
            let time = EventTime(millisecondsSinceEpoch: StreamSemanticsTests.start + Int64(index) * 10)
            let prediction = PredictionEvent(
                model: "m", modelVersion: "1", requestID: "r\(index)", time: time, features: [:],
                prediction: .score(random.unit()))
            let feature = FeatureEvent(
                model: "m", requestID: "r\(index)", time: time,
                features: ["x": .number(random.normal(mean: index >= 3_000 ? 1 : 0, sd: 1))])
            predictions.append(KafkaOutgoingMessage(topic: topics.predictions, key: "m", value: prediction.json()))
            features.append(KafkaOutgoingMessage(topic: topics.features, key: "m", value: feature.json()))
        }
        try await StreamSemanticsTests.produce(predictions + features, config: config)

        let inputs = try await TestBroker.consume([topics.predictions, topics.features]) { $0.count == 12_000 }
        let expected = OutputVerifier.expectedOutputs(of: inputs, config: config).outputs
        let reportIDs = Set(expected.keys.filter { !$0.hasPrefix("alert ") && !$0.hasPrefix("trigger ") })
        #expect(reportIDs.count >= 4)

        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        let output = try await TestBroker.consume([topics.reports]) { messages in
            Set(messages.compactMap(\.reportID)).isSuperset(of: reportIDs)
        }
        running.cancel()
        try await running.value

        #expect(pipeline.statistics.inputPauses > 0)
        for message in output {
            guard let id = message.reportID, let bytes = expected[id] else { continue }
            #expect(
                message.value == bytes,
                "\(id): \(OutputVerifier.differences(expected: bytes, published: message.value))")
        }
    }
}

extension KafkaMessage {
    /// The output's id (`Publication.reportIDHeader`).
    fileprivate var reportID: String? {
        headers.first { $0.key == Publication.reportIDHeader }?.stringValue
    }
}

/// On the real broker: a group whose committed offsets are not matched by a checkpoint (the changelog lost it)
/// starts there, and the report of the window its first event falls in says it is partial, and why.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct PartialStartPipelineTests {
    @Test func aPartitionStartedWithoutItsCheckpointSaysSoInItsFirstReport() async throws {
        var config = TestBroker.monitorConfig("partial")
        config.monitor.windowSize = 1_000
        config.monitor.allowedLateness = 0
        config.monitor.bootstrapEvents = 100
        config.monitor.policy.minimumWindowEvents = 5
        config.monitor.idleTimeout = nil
        let topics = config.topics
        try await TestBroker.createTopics(for: topics, partitions: 1)

        var random = SplitMix64(seed: 8)
        let events = (0..<2_000).map { index in
            PredictionEvent(
                model: "m", modelVersion: "1", requestID: "r\(index)",
                time: EventTime(millisecondsSinceEpoch: StreamSemanticsTests.start + Int64(index) * 10),
                features: ["x": .number(random.unit())], prediction: .score(random.unit()))
        }
        try await StreamSemanticsTests.produce(
            StreamSemanticsTests.messages(events, to: topics.predictions), config: config)
        // The reference the lost instance had (stored, as a deployment or an earlier run would have).
        var source = DriftMonitor(settings: config.monitor)
        for (index, event) in events.prefix(100).enumerated() {
            _ = source.ingest(event, at: EventPosition(partition: 0, offset: Int64(index)), receivedAt: 0)
        }
        try StateStore(path: config.storePath).save(
            try #require(source.reference(model: "m", version: "1")), model: "m")
        // The group committed offset 1 050 (t = 10.5 s, mid-window); no checkpoint was ever published.
        let committer = try KafkaConsumer(configuration: config.consumerConfiguration, logger: TestBroker.logger)
        let start = KafkaTopicPartitionOffset(
            KafkaTopicPartition(topic: topics.predictions, partition: 0), offset: 1_050)
        try await committer.assign([start])
        committer.storeOffsets([start])
        try await committer.commit()
        try await committer.close()

        let pipeline = MonitorPipeline(config: config, logger: TestBroker.logger)
        let running = Task { try await pipeline.run() }
        let output = try await TestBroker.consume([topics.reports]) {
            (try? StreamSemanticsTests.windowReports($0, topics).count) ?? 0 >= 3
        }
        running.cancel()
        try await running.value

        let reports = try StreamSemanticsTests.windowReports(output, topics).sorted {
            $0.window.start < $1.window.start
        }
        let first = try #require(reports.first)
        #expect(first.window.start == EventTime(millisecondsSinceEpoch: StreamSemanticsTests.start + 10_000).rfc3339)
        #expect(first.counts.events == 50)
        #expect(
            first.partial?.reason.contains("committed offsets (predictions 1050)") == true,
            "\(String(describing: first.partial))")
        #expect(reports.dropFirst().allSatisfy { $0.partial == nil })
    }
}
