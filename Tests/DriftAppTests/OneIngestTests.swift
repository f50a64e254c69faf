import DriftCore
import DriftKafka
import DriftStats
import Foundation
import Testing

@testable import DriftApp
@testable import DriftConfig
@testable import DriftPipeline

/// `run` (the pipeline's batch stage), `replay`, `verify` and the benchmark admit and ingest through one rule:
/// the same hostile inputs, mixed into valid traffic, are refused for the same reasons at the same offsets,
/// and the valid events give the same outputs, byte for byte.
@Suite struct OneIngestTests {
    static let topic = "predictions"

    /// A 4 KiB message limit and unknown models dead-lettered: every refusal kind is reachable.
    var config: DriftwatchConfig {
        var config = DriftwatchConfig()
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 0
        config.monitor.bootstrapEvents = 200
        config.monitor.policy.minimumWindowEvents = 20
        config.models["fraud"] = config.monitor
        config.input.maximumMessageBytes = 4_096
        config.input.unknownModels = .deadletter
        return config
    }

    /// 1 500 predictions of `fraud` 20 ms apart, with every hostile kind, a prediction of an unknown model and
    /// one over the size limit after every 100th.
    func inputs() -> [[UInt8]] {
        var random = SplitMix64(seed: 5)
        var values: [[UInt8]] = []
        var hostile = 0
        for index in 0..<1_500 {
            let time = Int64(index) * 20
            let event = PredictionEvent(
                model: "fraud", modelVersion: "1", requestID: "r\(index)",
                time: EventTime(millisecondsSinceEpoch: time),
                features: ["x": .number(random.normal(mean: time >= 20_000 ? 2 : 0, sd: 1))],
                prediction: .score(random.unit()))
            values.append(event.json())
            guard index % 100 == 99 else { continue }
            values.append(HostileMessages.message(hostile, model: "fraud", maximumBytes: 4_096))
            hostile += 1
            var stranger = event
            stranger.model = "someone-else"
            values.append(stranger.json())
        }
        return values
    }

    /// What became of the inputs: refusals by offset (kind and message) and the publications' bytes, in order.
    struct Outcome: Equatable {
        var refused: [Int64: String] = [:]
        var published: [[UInt8]] = []
    }

    @Test func everyPathRefusesAndPublishesAlike() async throws {
        let config = config
        let values = inputs()
        let messages = values.enumerated().map { offset, value in
            KafkaMessage(
                topicPartition: KafkaTopicPartition(topic: Self.topic, partition: 0), offset: Int64(offset), key: nil,
                value: value)
        }

        // run: the pipeline's batch stage, in batches of 500 as polled.
        var pipeline = Outcome()
        var monitor = DriftMonitor(settings: config.monitor, models: config.models)
        let processor = BatchProcessor(config: config, logger: .init(label: "test"))
        let names = DecodeAhead.Names()
        var alignment = InputAlignment()
        for start in stride(from: 0, to: messages.count, by: 500) {
            let batch = PolledBatch(
                Array(messages[start..<min(start + 500, messages.count)]), streams: InputStreams(topics: config.topics),
                names: names, admission: config.admission)
            let result = await processor.process(batch, now: 0, &monitor, alignment: &alignment)
            for record in result.outgoing where record.topic == config.topics.deadletter {
                let header = { (key: String) in record.headers.first { $0.key == key }?.stringValue ?? "" }
                pipeline.refused[Int64(header(DeadLetter.sourceOffsetHeader))!] =
                    header(DeadLetter.errorKindHeader) + ": " + header(DeadLetter.errorHeader)
            }
            pipeline.published += result.outputs.compactMap(\.publishedJSON)
        }

        // verify: what one uninterrupted monitor publishes.
        let expected = OutputVerifier.expectedOutputs(of: messages, config: config)
        var verify = Outcome()
        for (place, error) in expected.refused {
            verify.refused[Int64(place.split(separator: "/").last!)!] = error.kind.rawValue + ": " + error.message
        }

        // replay: the same values as the lines of a file (line N is offset N-1).
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID()).jsonl").path
        try Data(values.joined(separator: [UInt8(ascii: "\n")])).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var replay = FileReplay(config: config, references: [], stream: .predictions)
        var replayed: [[UInt8]] = []
        let summary = try replay.run(path: path) { _, json in replayed.append(json) }

        // The benchmark's path: the admission straight into a monitor.
        var bench = Outcome()
        var benchMonitor = DriftMonitor(settings: config.monitor, models: config.models)
        var benchNames = FeatureNameCache()
        for (offset, value) in values.enumerated() {
            let input = config.admission.admit(value, stream: .predictions, names: &benchNames)
            if case .refused(let error) = input {
                bench.refused[Int64(offset)] = error.kind.rawValue + ": " + error.message
            }
            let position = EventPosition(.predictions, partition: 0, offset: Int64(offset))
            bench.published += benchMonitor.ingest(input, at: position, receivedAt: 0).compactMap(\.publishedJSON)
        }

        // 15 hostile messages (every kind) and 15 of an unknown model, refused everywhere for the same reasons.
        #expect(pipeline.refused.count == 30)
        let kinds = Set(pipeline.refused.values.map { String($0.prefix { $0 != ":" }) })
        #expect(kinds.isSuperset(of: ["too-large", "unknown-model", "invalid-json", "invalid-utf8", "missing-field"]))
        #expect(verify.refused == pipeline.refused)
        #expect(bench.refused == pipeline.refused)
        #expect(summary.undecodable == 30)
        #expect(summary.problems.map { Int64($0.line - 1) } == pipeline.refused.keys.sorted().prefix(20).map { $0 })
        for problem in summary.problems {
            #expect(
                problem.message.hasSuffix(
                    pipeline.refused[Int64(problem.line - 1)]!.split(separator: ": ", maxSplits: 1)[1]))
        }

        // The same outputs: the pipeline's, the verifier's, the benchmark's, and the replay's before the end of
        // the file closes what is still open.
        #expect(pipeline.published.count >= 2)
        #expect(bench.published == pipeline.published)
        #expect(Set(expected.outputs.values) == Set(pipeline.published))
        #expect(Array(replayed.prefix(pipeline.published.count)) == pipeline.published)
    }
}
