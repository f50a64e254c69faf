import DriftCore
import DriftKafka
import Foundation
import Logging
import Synchronization

/// The whole demo in one process: topics of its own (suffixed with a run id, so earlier runs never interfere),
/// the monitor, the traffic generator and the watcher that prints reports and triggers as they come.
public struct DemoRun: Sendable {
    public var config: DriftwatchConfig
    public var definitionsPath: String
    public var traffic: TrafficGenerator.Settings
    /// How long to wait after the last output before ending.
    public var quietPeriod: Duration = .seconds(4)

    public init(config: DriftwatchConfig, definitionsPath: String, traffic: TrafficGenerator.Settings) {
        self.config = config
        self.definitionsPath = definitionsPath
        self.traffic = traffic
    }

    /// Runs the demo and returns the per-model summary.
    public func run(logger: Logger, print: @escaping @Sendable (String) -> Void) async throws
        -> [String: OutputWatcher.ModelSummary]
    {
        let runID = String(UInt64(Date().timeIntervalSince1970))
        var config = self.config
        config.topics = config.topics.suffixed(".demo-\(runID)")
        config.kafka.groupID = "driftwatch-demo-\(runID)"
        // A state database per run too: references bootstrapped by an earlier run must not be reused.
        config.storePath = ".driftwatch/demo/\(runID).sqlite"

        let specs = try TopicCatalog.load(path: definitionsPath, names: config.topics)
        let admin = try KafkaAdmin(configuration: config.clientConfiguration, logger: logger)
        for result in try await admin.createTopics(specs) {
            if case .failed(let reason) = result.outcome {
                throw DemoError("could not create topic \(result.name) on \(config.kafka.brokers): \(reason)")
            }
        }
        print("topics    \(config.topics.predictions) → \(config.topics.reports), \(config.topics.triggers)")
        print("traffic   \(traffic.eventsPerModel) events each for \(TrafficGenerator.modelNames.joined(separator: ", ")); "
            + "drift injected into \(traffic.driftingModels.sorted().joined(separator: ", ")) after event \(traffic.driftAfter)")
        print("monitor   \(config.monitor.windowSize / 1000) s \(config.monitor.windowKind.name) windows, reference = first \(config.monitor.bootstrapEvents) "
            + "events per version, drift when PSI ≥ \(config.monitor.policy.psiThreshold) or KS ≥ "
            + "\(config.monitor.policy.ksStatisticThreshold)")

        let pipeline = MonitorPipeline(config: config, logger: logger)
        let watcher = OutputWatcher(config: config, logger: logger, print: print)
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: logger)
        let generator = TrafficGenerator(settings: traffic)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pipeline.run() }
            group.addTask { try await watcher.run() }
            let reported = ProgressMilestones(total: traffic.eventsPerModel * TrafficGenerator.modelNames.count)
            try await generator.run(producer: producer, topic: config.topics.predictions) { sent, total in
                if let percent = reported.crossed(sent) { print("traffic   \(percent) % sent (\(sent)/\(total) events)") }
            }
            try await producer.close()
            let finished = ContinuousClock.now
            while true {
                try await Task.sleep(for: .milliseconds(250))
                let last = max(watcher.lastArrival ?? finished, finished)
                if ContinuousClock.now - last >= quietPeriod { break }
            }
            group.cancelAll()
            try await group.waitForAll()
        }
        return watcher.summary
    }
}

extension DemoRun {
    /// The summary table and what contradicts the injected drift: a drifting model without a trigger, or a
    /// trigger for a model that was never drifted.
    public func verdict(_ summary: [String: OutputWatcher.ModelSummary]) -> (table: [String], surprises: [String]) {
        var table = ["summary   " + padded("model", 8) + padded("windows", 9) + padded("drifted", 9)
            + padded("triggers", 10) + "expected"]
        var surprises: [String] = []
        for model in TrafficGenerator.modelNames {
            let counts = summary[model] ?? OutputWatcher.ModelSummary()
            let drifting = traffic.driftingModels.contains(model) && traffic.driftAfter < traffic.eventsPerModel
            table.append("          " + padded(model, 8) + padded(String(counts.windows), 9)
                + padded(String(counts.driftedWindows), 9) + padded(String(counts.triggers), 10)
                + (drifting ? "triggers" : "none"))
            if drifting && counts.triggers == 0 { surprises.append("\(model) drifted but got no trigger") }
            if !drifting && counts.triggers > 0 { surprises.append("\(model) got \(counts.triggers) triggers without drift") }
        }
        return (table, surprises)
    }
}
