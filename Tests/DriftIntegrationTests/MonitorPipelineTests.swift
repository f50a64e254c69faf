import DriftConfig
import DriftCore
import DriftHTTP
import DriftKafka
import DriftPipeline
import DriftStats
import DriftStore
import Foundation
import Prometheus
import Synchronization
import Testing

@testable import DriftApp

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The skeleton's whole path on the real broker: produce → consume → window → report/trigger → output topics,
/// and malformed input → dead-letter topic, checked by consuming the output topics.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct MonitorPipelineTests {
    func config() -> DriftwatchConfig {
        var config = TestBroker.monitorConfig("pipeline")
        config.monitor.windowSize = 10_000
        config.monitor.allowedLateness = 1_000
        config.monitor.bootstrapEvents = 300
        config.monitor.policy.minimumWindowEvents = 100
        return config
    }

    /// An event every 10 ms for 43 s: the first 300 (3 s) become the reference, the rest fill windows of 10 s
    /// (700, 1000, 1000, 1000 events; the last 300 stay in an open window). "drifting" shifts its inputs by two
    /// standard deviations from event 1300 (13 s) on, so windows 2 to 4 drift.
    func events(model: String, drifting: Bool, start: Int64) -> [PredictionEvent] {
        var random = SplitMix64(seed: drifting ? 1 : 2)
        return (0..<4_300).map { index in
            let shifted = drifting && index >= 1_300
            return PredictionEvent(
                model: model, modelVersion: "1", requestID: "\(model)-\(index)",
                time: EventTime(millisecondsSinceEpoch: start + Int64(index) * 10),
                features: [
                    "amount": .number(random.normal(mean: shifted ? 120 : 100, sd: 10)),
                    "age": .number(random.normal(mean: 40, sd: 8)),
                    "country": .category("DE"),
                ],
                prediction: .score(random.unit()))
        }
    }

    @Test func driftProducesTriggersAndMalformedEventsAreDeadLettered() async throws {
        let config = config()
        let topics = config.topics
        try await TestBroker.createTopics(for: topics)

        // Aligned to a window boundary, so the reference and each window hold whole 10 s spans.
        let start: Int64 = 1_795_000_000_000
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: TestBroker.logger)
        let malformed: [[UInt8]] = [
            Array("{not json".utf8),
            Array(#"{"model":"stable","model_version":"1","request_id":"x","prediction":1}"#.utf8),
            [0x7B, 0xFF, 0xFE, 0x7D],
        ]
        var outgoing = zip(
            events(model: "drifting", drifting: true, start: start),
            events(model: "stable", drifting: false, start: start)
        )
        .flatMap { [$0.0, $0.1] }
        .map { KafkaOutgoingMessage(topic: topics.predictions, key: $0.model, value: $0.json()) }
        for (index, bytes) in malformed.enumerated() {
            outgoing.insert(
                KafkaOutgoingMessage(topic: topics.predictions, key: "stable", value: bytes), at: 1_000 * (index + 1))
        }
        try await producer.send(outgoing)
        try await producer.close()

        // With its HTTP server on a free port, metrics in a registry of its own.
        let registry = PrometheusCollectorRegistry()
        let pipeline = MonitorPipeline(
            config: config, logger: TestBroker.logger,
            metrics: PipelineMetrics(factory: PrometheusMetricsFactory(registry: registry)))
        let http = MonitorServer.Listener(host: "127.0.0.1", port: 0)
        let listening = Mutex<String?>(nil)
        let server = MonitorHTTPService(
            settings: http,
            sources: .init(
                settings: .init(defaults: config.monitor, models: config.models),
                store: try StateStore(path: config.storePath), registry: registry,
                readiness: { .init(ready: pipeline.readiness.ready, waitingFor: pipeline.readiness.waitingFor) }),
            logger: TestBroker.logger, onListening: { url in listening.withLock { $0 = url } })
        let running = Task { try await pipeline.run() }
        let serving = Task { try await server.run() }
        let output = try await TestBroker.consume([topics.reports, topics.triggers, topics.deadletter]) { messages in
            let reports = messages.filter { $0.topic == topics.reports }.count
            let deadLetters = messages.filter { $0.topic == topics.deadletter }.count
            let triggers = messages.filter { $0.topic == topics.triggers }.count
            return reports >= 8 && triggers >= 3 && deadLetters >= 3
        }

        // A live scrape: what the monitor did, as Prometheus text over a real socket.
        let base = try #require(listening.withLock { $0 })
        func get(_ path: String) async throws -> (Int, String) {
            let (data, response) = try await URLSession.shared.data(from: URL(string: base + path)!)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        let (status, metrics) = try await get("metrics")
        #expect(status == 200)
        let samples = Dictionary(
            metrics.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line -> (String, Double)? in
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                    return nil
                }
                return (String(line[..<space]), value)
            }, uniquingKeysWith: { _, last in last })
        let predictions = topics.predictions
        #expect(samples["driftwatch_events_consumed_total{topic=\"\(predictions)\"}"] == 8_603)
        #expect(samples["driftwatch_events_decoded_total{topic=\"\(predictions)\",model=\"drifting\"}"] == 4_300)
        #expect(samples["driftwatch_events_dead_lettered_total{topic=\"\(predictions)\"}"] == 3)
        #expect(samples["driftwatch_windows_closed_total{model=\"drifting\"}"] == 4)
        #expect(samples["driftwatch_triggers_total{model=\"drifting\",rule=\"feature-drift\"}"] == 3)
        #expect((samples["driftwatch_feature_psi{model=\"drifting\",feature=\"amount\"}"] ?? 0) > 0.2)
        #expect(samples["driftwatch_feature_drifted{model=\"stable\",feature=\"amount\"}"] == 0)
        #expect(samples["driftwatch_event_processing_seconds_count"] == 8_603)
        #expect(samples["driftwatch_ready"] == 1)
        #expect(samples.keys.contains { $0.hasPrefix("driftwatch_consumer_lag{topic=\"\(predictions)\"") })
        #expect(try await get("readyz").0 == 200)
        // Every metric the shipped Grafana dashboard queries is one the monitor serves.
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        let grafana = try String(
            contentsOf: repository.appendingPathComponent("config/grafana-dashboard.json"), encoding: .utf8)
        func family(_ name: String) -> String {
            ["_bucket", "_count", "_sum"].reduce(name) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
        }
        let queried = Set(grafana.matches(of: /driftwatch_[a-z_]+/).map { family(String($0.output)) })
        let served = Set(samples.keys.map { family(String($0.prefix { $0 != "{" && $0 != " " })) })
        let declared = Set(PipelineMetrics.Name.allCases.map(\.rawValue))
        #expect(served.filter { $0.hasPrefix("driftwatch_") }.isSubset(of: declared))
        #expect(
            !queried.isEmpty && queried.isSubset(of: declared),
            "queried but never emitted: \(queried.subtracting(declared))")
        // This run has no labels, late events or latencies; everything else the dashboard queries is live.
        let withoutThisRun: Set = [
            "driftwatch_model_metric", "driftwatch_events_late_total", "driftwatch_prediction_latency_ms",
        ]
        #expect(queried.subtracting(withoutThisRun).isSubset(of: served), "not served: \(queried.subtracting(served))")
        let (_, body) = try await get("api/models")
        let models = try JSONDecoder().decode(APIResponses.Models.self, from: Data(body.utf8)).models
        let drifting = try #require(models.first { $0.model == "drifting" })
        #expect(drifting.windows == 4 && drifting.alerts == 3 && drifting.triggers == 3)
        let (_, page) = try await get("")
        #expect(page.contains("id=\"model-drifting\""))

        running.cancel()
        serving.cancel()
        try await running.value
        _ = await serving.result

        let decoder = JSONDecoder()
        let reports = try output.filter { $0.topic == topics.reports && !$0.isPerformanceReport }.map {
            try decoder.decode(WindowReport.self, from: Data($0.value))
        }
        let triggers = try output.filter { $0.topic == topics.triggers }.map {
            try decoder.decode(RetrainTrigger.self, from: Data($0.value))
        }
        let deadLetters = output.filter { $0.topic == topics.deadletter }

        // Four windows close per model (the fifth stays open: no later event moves the watermark past it).
        #expect(reports.filter { $0.model == "stable" }.map(\.status) == [.ok, .ok, .ok, .ok])
        #expect(reports.filter { $0.model == "drifting" }.map(\.status) == [.ok, .drift, .drift, .drift])
        #expect(reports.filter { $0.model == "stable" }.map(\.counts.events) == [700, 1_000, 1_000, 1_000])
        #expect(reports.filter { $0.model == "drifting" }.map(\.counts.events) == [700, 1_000, 1_000, 1_000])
        #expect(reports.allSatisfy { $0.reference.source == .bootstrap && $0.reference.events == 300 })
        #expect(Set(reports.map(\.id)).count == reports.count)

        #expect(triggers.map(\.data.model) == ["drifting", "drifting", "drifting"])
        #expect(triggers.allSatisfy { $0.data.features.map(\.name) == ["amount"] })
        let driftReports = reports.filter { $0.status == .drift }
        #expect(triggers.map(\.data.reportID) == driftReports.map(\.id))
        #expect(triggers.map(\.id) == driftReports.map { "drifting/1/\($0.window.end)/feature-drift" })

        #expect(deadLetters.count == 3)
        #expect(Set(deadLetters.map(\.value)) == Set(malformed))
        for message in deadLetters {
            let headers = Dictionary(uniqueKeysWithValues: message.headers.map { ($0.key, $0.stringValue ?? "") })
            #expect(headers[DeadLetter.sourceTopicHeader] == topics.predictions)
            #expect(headers[DeadLetter.sourcePartitionHeader].flatMap(Int32.init) != nil)
            #expect(headers[DeadLetter.sourceOffsetHeader].flatMap(Int64.init) != nil)
            #expect(message.key == Array("stable".utf8))
        }
        let kinds = Set(
            deadLetters.compactMap { message in
                message.headers.first { $0.key == DeadLetter.errorKindHeader }?.stringValue
            })
        #expect(kinds == ["invalid-json", "missing-field", "invalid-utf8"])
        let reasons = deadLetters.compactMap { message in
            message.headers.first { $0.key == DeadLetter.errorHeader }?.stringValue
        }
        #expect(reasons.contains("missing required field 'timestamp'"))
    }
}
