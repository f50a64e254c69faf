import DriftConfig
import DriftCore
import DriftKafka
import DriftPipeline
import DriftStore
import Foundation
import Logging
import Synchronization

/// The whole demo in one process: topics of its own (suffixed with a run id, so earlier runs never
/// interfere), the monitor, the trainer, the traffic generator and the watcher that prints reports, alerts,
/// triggers and deployments as they come. The closed loop in three phases: traffic (with labels) drifts;
/// traffic pauses until the trainer has deployed a new version of every drifted model (or rejected one);
/// traffic resumes, served and labelled by the new versions, so their windows show whether they are healthy.
public struct DemoRun: Sendable {
    public var config: DriftwatchConfig
    public var definitionsPath: String
    public var traffic: TrafficGenerator.Settings
    /// Labelled training examples per model that the deployed versions' references are built from.
    public var trainingReferenceEvents = 4_000
    /// Events per model after the pause (served by the new versions).
    public var eventsAfterDeployment = 4_800
    /// How long traffic waits for the trainer.
    public var deploymentTimeout: Duration = .seconds(120)
    /// How long to wait after the last output before ending.
    public var quietPeriod: Duration = .seconds(4)
    /// Runs next to the monitor for the whole demo (the HTTP server), given the run's pipeline and configuration.
    public var sidecar: (@Sendable (MonitorPipeline, DriftwatchConfig) async throws -> Void)?
    /// Keep the monitor (and the sidecar) running after the demo until the process is stopped.
    public var linger = false

    public init(config: DriftwatchConfig, definitionsPath: String, traffic: TrafficGenerator.Settings) {
        self.config = config
        self.definitionsPath = definitionsPath
        self.traffic = traffic
        self.traffic.labels = true
    }

    private var drifting: [String] {
        TrafficGenerator.modelNames.filter {
            traffic.driftingModels.contains($0) && traffic.driftAfter < traffic.eventsPerModel
        }
    }

    /// Runs the demo and returns the per-model summary.
    /// `finished` gets the summary when the demo is over, before a lingering demo waits to be stopped.
    public func run(
        logger: Logger, print: @escaping @Sendable (String) -> Void,
        finished onFinished: @escaping @Sendable ([String: OutputWatcher.ModelSummary]) -> Void = { _ in }
    ) async throws -> [String: OutputWatcher.ModelSummary] {
        let runID = String(UInt64(Date().timeIntervalSince1970))
        var config = self.config
        config.topics = config.topics.suffixed(".demo-\(runID)")
        config.kafka.groupID = "driftwatch-demo-\(runID)"
        config.trainer.groupID = "driftwatch-trainer-demo-\(runID)"
        // A state database per run too: references and versions of an earlier run must not be reused.
        config.storePath = ".driftwatch/demo/\(runID).sqlite"

        let specs = try TopicCatalog.load(path: definitionsPath, names: config.topics)
        let admin = try KafkaAdmin(configuration: config.clientConfiguration, logger: logger)
        for result in try await admin.createTopics(specs) {
            if case .failed(let reason) = result.outcome {
                throw DemoError("could not create topic \(result.name) on \(config.kafka.brokers): \(reason)")
            }
        }
        describe(config, print: print)
        // The deployed versions' references come from their training data, labels included (so the monitor
        // estimates accuracy before labels arrive); retrained versions get theirs from the trainer.
        let store = try StateStore(path: config.storePath)
        for model in DemoModel.all {
            let settings = config.models[model.name] ?? config.monitor
            try store.save(
                model.trainingReference(
                    count: trainingReferenceEvents, psiBins: settings.psiBins, threshold: settings.labels.threshold),
                model: model.name)
        }

        let serving = ServingVersions(DemoModel.all)
        let pipeline = MonitorPipeline(config: config, logger: logger)
        let trainer = TrainerService(config: config, logger: logger)
        let watcher = OutputWatcher(config: config, serving: serving, logger: logger, print: print)
        let producer = try KafkaProducer(configuration: config.producerConfiguration, logger: logger)
        var generator = TrafficGenerator(settings: traffic)
        let topics = TrafficGenerator.Topics(predictions: config.topics.predictions, labels: config.topics.labels)

        // A part that stops early says so at once (the task group would only tell at the end).
        let stopped = Mutex<String?>(nil)
        @Sendable func part(_ name: String, _ body: @escaping @Sendable () async throws -> Void)
            -> @Sendable () async throws -> Void
        {
            {
                do { try await body() } catch  where !(error is CancellationError) {
                    stopped.withLock { $0 = $0 ?? "\(name): \(error)" }
                    print("STOPPED  \(name): \(error)")
                    throw error
                }
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(operation: part("monitor", pipeline.run))
            group.addTask(operation: part("trainer", trainer.run))
            group.addTask(operation: part("watcher", watcher.run))
            if let sidecar {
                group.addTask(operation: part("http") { [config] in try await sidecar(pipeline, config) })
            }
            // Traffic starts once the monitor has its partitions, so the demo shows a live stream, not a backlog.
            let joining = ContinuousClock.now
            while !pipeline.isReady && ContinuousClock.now - joining < .seconds(60) && stopped.withLock({ $0 }) == nil {
                try await Task.sleep(for: .milliseconds(100))
            }
            let reported = ProgressMilestones(total: traffic.eventsPerModel * TrafficGenerator.modelNames.count)
            try await generator.run(producer: producer, topics: topics, serving: serving) { sent, total in
                if let percent = reported.crossed(sent) {
                    print("traffic   \(percent) % sent (\(sent)/\(total) events)")
                }
            }
            if !drifting.isEmpty {
                print(
                    "traffic   paused until the trainer has deployed a new version of \(drifting.joined(separator: ", ")) "
                        + "(at most \(deploymentTimeout.components.seconds) s)")
                let deadline = ContinuousClock.now + deploymentTimeout
                while ContinuousClock.now < deadline && !loopClosed(watcher.summary) && stopped.withLock({ $0 }) == nil
                {
                    try await Task.sleep(for: .milliseconds(250))
                }
                let versions = drifting.map { "\($0) v\(serving.version(of: $0) ?? "?")" }.joined(separator: ", ")
                print("traffic   resumed: \(eventsAfterDeployment) more events per model, served by \(versions)")
                try await generator.run(
                    producer: producer, topics: topics, through: generator.produced + eventsAfterDeployment,
                    serving: serving)
            }
            try await producer.close()
            let finished = ContinuousClock.now
            while true {
                try await Task.sleep(for: .milliseconds(250))
                let last = max(watcher.lastArrival ?? finished, finished)
                if ContinuousClock.now - last >= quietPeriod || stopped.withLock({ $0 }) != nil { break }
            }
            let summary = watcher.summary
            onFinished(summary)
            if linger && stopped.withLock({ $0 }) == nil {
                print("\ndemo finished; the monitor keeps running (Ctrl-C stops it)")
                while stopped.withLock({ $0 }) == nil { try await Task.sleep(for: .seconds(1)) }
            }
            group.cancelAll()
            try await group.waitForAll()
        }
        return watcher.summary
    }

    /// Every drifting model has a new version deployed, or its retraining was rejected.
    private func loopClosed(_ summary: [String: OutputWatcher.ModelSummary]) -> Bool {
        drifting.allSatisfy { model in
            guard let counts = summary[model] else { return false }
            return !counts.deployed.isEmpty || counts.rejected > 0
        }
    }

    private func describe(_ config: DriftwatchConfig, print: @Sendable (String) -> Void) {
        let monitor = config.monitor
        print(
            "topics    \(config.topics.predictions), \(config.topics.labels) → \(config.topics.reports), "
                + "\(config.topics.alerts), \(config.topics.triggers) → trainer → \(config.topics.deployments)")
        print(
            "traffic   \(traffic.eventsPerModel) events each for \(TrafficGenerator.modelNames.joined(separator: ", ")) with labels; "
                + "drift injected into \(traffic.driftingModels.sorted().joined(separator: ", ")) after event \(traffic.driftAfter)"
        )
        let rules = monitor.policy.effectiveRules.map { rule in
            let actions = [rule.alert ? "alert" : nil, rule.retrain ? "retrain" : nil].compactMap { $0 }.joined(
                separator: "+")
            return "\(rule.name) (\(rule.k) of \(rule.n) → \(actions.isEmpty ? "report only" : actions))"
        }
        print(
            "monitor   \(monitor.windowSize / 1000) s \(monitor.windowKind.name) windows, references from "
                + "\(trainingReferenceEvents) labelled training events per model (retrained versions: their training range), "
                + "rules: \(rules.joined(separator: ", "))")
        print(
            "trainer   logistic regression on the labelled events of each trigger's range (last "
                + "\(monitor.trainingLookback / 1000) s), deployed if at least as accurate as the deployed version")
        print(
            "state     \(config.storePath)  (driftwatch status --config \(config.source) --store \(config.storePath))")
    }
}

extension DemoRun {
    /// The summary table and what contradicts the demo's story: a drifting model without a trigger, without
    /// a new version, or whose new version's windows still drift; a trigger for a model never drifted.
    public func verdict(_ summary: [String: OutputWatcher.ModelSummary]) -> (table: [String], surprises: [String]) {
        var table = [
            "summary   " + padded("model", 8) + padded("windows", 9) + padded("drifted", 9)
                + padded("triggers", 10) + padded("deployed", 10) + padded("accuracy by version", 30) + "expected"
        ]
        var surprises: [String] = []
        for model in TrafficGenerator.modelNames {
            let counts = summary[model] ?? OutputWatcher.ModelSummary()
            let isDrifting = drifting.contains(model)
            let accuracy = counts.accuracy.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
                .map { "v\($0.key) \(String(format: "%.2f", $0.value))" }.joined(separator: " → ")
            table.append(
                "          " + padded(model, 8) + padded(String(counts.windows), 9)
                    + padded(String(counts.driftedWindows), 9) + padded(String(counts.triggers), 10)
                    + padded(counts.deployed.map { "v\($0)" }.joined(separator: ","), 10)
                    + padded(accuracy.isEmpty ? "-" : accuracy, 30)
                    + (isDrifting ? "trigger, new version, healthy again" : "no trigger"))
            if isDrifting {
                if counts.triggers == 0 { surprises.append("\(model) drifted but got no trigger") }
                if let version = counts.deployed.last {
                    let statuses = counts.statuses[version] ?? []
                    if !statuses.contains(.ok) || statuses.contains(.drift) {
                        surprises.append("\(model) v\(version)'s windows are not healthy: \(statuses.map(\.rawValue))")
                    }
                } else {
                    surprises.append(
                        "\(model) drifted but no new version was deployed"
                            + (counts.rejected > 0 ? " (the trainer rejected \(counts.rejected))" : ""))
                }
            } else if counts.triggers > 0 {
                surprises.append("\(model) got \(counts.triggers) triggers without drift")
            }
        }
        for model in TrafficGenerator.modelNames {
            let checks = (summary[model]?.estimates ?? [:]).sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
            guard !checks.isEmpty else { continue }
            table.append(
                "estimate  " + padded(model, 8) + "realised accuracy within the estimate's band (± 3 sampling errors): "
                    + checks.map { "v\($0.key) \($0.value.within) of \($0.value.windows) windows" }.joined(
                        separator: ", "))
        }
        return (table, surprises)
    }
}
