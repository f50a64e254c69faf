import DriftConfig
import DriftCore
import DriftKafka
import DriftStore
import Foundation
import Logging
import Synchronization

/// Reads what Driftwatch and the trainer publish — window and performance reports, alerts, retrain triggers
/// and deployments — from the beginning in a group of its own, prints one line per record as it arrives
/// (what the demo shows) and keeps per-model counts for the summary. A deployment also switches the demo
/// traffic to the new version (`ServingVersions`).
public final class OutputWatcher: Sendable {
    public struct ModelSummary: Sendable, Equatable {
        public var windows = 0
        public var driftedWindows = 0
        public var triggers = 0
        public var alerts = 0
        /// Versions deployed by the trainer, in order.
        public var deployed: [String] = []
        /// Retrainings the trainer rejected.
        public var rejected = 0
        /// Window statuses per model version, in order of arrival.
        public var statuses: [String: [WindowReport.Status]] = [:]
        /// The newest accuracy (classification) per version.
        public var accuracy: [String: Double] = [:]
        /// Per version: windows whose labels gave an accuracy beside an estimate, and those whose realised accuracy
        /// fell within the estimate's band (± 3 sampling errors).
        public var estimates: [String: EstimateCheck] = [:]

        public struct EstimateCheck: Sendable, Equatable {
            public var windows = 0
            public var within = 0
        }

        public init() {}
    }

    private struct State: Sendable {
        var models: [String: ModelSummary] = [:]
        var lastArrival: ContinuousClock.Instant?
    }

    private let config: DriftwatchConfig
    private let logger: Logger
    private let serving: ServingVersions?
    private let print: @Sendable (String) -> Void
    private let state = Mutex(State())

    public init(
        config: DriftwatchConfig, serving: ServingVersions? = nil, logger: Logger,
        print: @escaping @Sendable (String) -> Void
    ) {
        self.config = config
        self.serving = serving
        self.logger = logger
        self.print = print
    }

    public var summary: [String: ModelSummary] { state.withLock { $0.models } }

    /// When the last record arrived.
    public var lastArrival: ContinuousClock.Instant? { state.withLock { $0.lastArrival } }

    /// Consumes until cancelled.
    public func run() async throws {
        var consumerConfig = config.consumerConfiguration
        consumerConfig.groupID = "\(config.kafka.groupID)-watch-\(UInt64(Date().timeIntervalSince1970 * 1000))"
        let consumer = try KafkaConsumer(configuration: consumerConfig, logger: logger)
        let topics = config.topics
        try consumer.subscribe(topics: [topics.reports, topics.triggers, topics.alerts, topics.deployments])
        while !Task.isCancelled {
            for message in try await consumer.poll() {
                let bytes = Data(message.value)
                switch message.topic {
                case topics.reports: record(report: bytes)
                case topics.triggers:
                    if let trigger = try? JSONDecoder().decode(RetrainTrigger.self, from: bytes) { record(trigger) }
                case topics.alerts: record(alert: bytes)
                case topics.deployments:
                    if let deployment = try? DeploymentEvent.decode(json: message.value) { record(deployment) }
                default: break
                }
            }
        }
        try await consumer.close()
    }

    private func update(_ model: String, _ change: (inout ModelSummary) -> Void) {
        state.withLock {
            change(&$0.models[model, default: ModelSummary()])
            $0.lastArrival = .now
        }
    }

    private func record(report bytes: Data) {
        let decoder = JSONDecoder()
        if let report = try? decoder.decode(WindowReport.self, from: bytes), report.type == "window" {
            update(report.model) {
                $0.windows += 1
                if report.status == .drift { $0.driftedWindows += 1 }
                $0.statuses[report.modelVersion, default: []].append(report.status)
            }
            print(Self.line(for: report))
        } else if let performance = try? decoder.decode(PerformanceReport.self, from: bytes) {
            if let accuracy = performance.metrics?.accuracy, performance.status == .ok {
                update(performance.model) {
                    $0.accuracy[performance.modelVersion] = accuracy
                    if let estimate = performance.estimated?.accuracy, let lower = estimate.lower,
                        let upper = estimate.upper
                    {
                        $0.estimates[performance.modelVersion, default: .init()].windows += 1
                        if (lower...upper).contains(accuracy) {
                            $0.estimates[performance.modelVersion, default: .init()].within += 1
                        }
                    }
                }
            }
            print(Self.line(for: performance))
        }
    }

    private func record(_ trigger: RetrainTrigger) {
        update(trigger.data.model) { $0.triggers += 1 }
        print(Self.line(for: trigger))
    }

    private func record(alert bytes: Data) {
        if let alert = try? JSONDecoder().decode(Alert.self, from: bytes) {
            update(alert.data.model) { $0.alerts += 1 }
            print(Self.line(for: alert))
        } else if let rejected = try? JSONDecoder().decode(RetrainRejected.self, from: bytes) {
            update(rejected.data.model) { $0.rejected += 1 }
            print(
                "REJECTED " + padded("\(rejected.data.model) v\(rejected.data.modelVersion)", 11) + rejected.data.reason
            )
        }
    }

    private func record(_ deployment: DeploymentEvent) {
        let switched = serving?.deploy(deployment) ?? false
        update(deployment.model) { $0.deployed.append(deployment.modelVersion) }
        // The trainer registered the version before announcing it: its validation numbers are in the registry.
        let registered = try? StateStore(path: config.storePath).versions(model: deployment.model)
            .first { $0.version == deployment.modelVersion }
        var line = "DEPLOYED " + padded("\(deployment.model) v\(deployment.modelVersion)", 11)
        if let registered {
            let metrics =
                (try? JSONSerialization.jsonObject(with: Data(registered.metrics.utf8))) as? [String: Double] ?? [:]
            line += "retrained from v\(registered.parentVersion ?? "?")"
            if let range = registered.trainingFrom.flatMap({ from in registered.trainingTo.map { (from, $0) } }) {
                line +=
                    " on \(Int(metrics["training_examples"] ?? 0)) labelled events \(Self.clock(range.0))–\(Self.clock(range.1))"
            }
            if let candidate = metrics["holdout_accuracy"], let deployed = metrics["deployed_holdout_accuracy"] {
                line +=
                    ", hold-out accuracy \(Self.fixed(candidate)) (v\(registered.parentVersion ?? "?"): \(Self.fixed(deployed)))"
            }
        }
        if switched { line += "; traffic now served by v\(deployment.modelVersion)" }
        print(line)
    }

    /// `report   fraud v7   10:04:00–10:05:00  1203 events  max PSI 0.031 amount   max KS 0.052 age      ok`
    static func line(for report: WindowReport) -> String {
        let psi = report.features.compactMap { f in f.psi.map { (f.name, $0.value) } }.max { $0.1 < $1.1 }
        let ks = report.features.compactMap { f in f.ks.map { (f.name, $0.statistic) } }.max { $0.1 < $1.1 }
        let status =
            switch report.status {
            case .ok: "ok"
            case .drift: "DRIFT"
            case .insufficientData: "too few events"
            }
        return "report   " + padded("\(report.model) v\(report.modelVersion)", 11) + span(report.window)
            + padded("\(report.counts.events) events", 13)
            + padded("max PSI " + (psi.map { "\(fixed($0.1)) \($0.0)" } ?? "-"), 27)
            + padded("max KS " + (ks.map { "\(fixed($0.1)) \($0.0)" } ?? "-"), 26)
            + padded("est. accuracy " + (report.estimated.map { fixed($0.accuracy.value) } ?? "-"), 20)
            + padded(
                "reconstruction "
                    + (report.multivariate?.reconstructionError.map {
                        fixed($0.value) + ($0.alert ? " OUT" : "")
                    } ?? "-"), 24)
            + status
    }

    /// `labels   fraud v7   10:04:00–10:05:00  1180 labels   accuracy 0.552`
    static func line(for report: PerformanceReport) -> String {
        var text =
            "labels   " + padded("\(report.model) v\(report.modelVersion)", 11) + span(report.window)
            + padded("\(report.labels.labeled) labels", 13)
        if let metrics = report.metrics {
            if let accuracy = metrics.accuracy {
                text += padded(
                    "accuracy \(fixed(accuracy))"
                        + (report.estimated.map { " (est. \(fixed($0.accuracy.value)))" } ?? ""), 27)
            }
            if let mae = metrics.mae { text += padded("MAE \(fixed(mae))", 27) }
        }
        switch report.status {
        case .ok: if report.rules.contains(where: \.breached) { text += "BELOW TARGET" }
        case .insufficientLabels: text += "too few labels"
        case .noLabels: text += "no labels"
        }
        return text
    }

    /// `TRIGGER  fraud v7   retrain requested for window ending 10:05:00: amount (psi 0.684, ks_statistic 0.312), …`
    static func line(for trigger: RetrainTrigger) -> String {
        "TRIGGER  " + padded("\(trigger.data.model) v\(trigger.data.modelVersion)", 11)
            + "retrain requested for window ending \(clock(trigger.data.window.end)): " + evidence(trigger.data)
            + "  [id \(trigger.id)]"
    }

    /// `ALERT    fraud v7   critical accuracy-floor, window ending 10:07:00: accuracy 0.548 (below 0.65)`
    static func line(for alert: Alert) -> String {
        "ALERT    " + padded("\(alert.data.model) v\(alert.data.modelVersion)", 11)
            + "\(alert.data.severity.rawValue) \(alert.data.rule), window ending \(clock(alert.data.window.end)): "
            + evidence(alert.data)
    }

    private static func evidence(_ details: FiringDetails) -> String {
        let features = details.features.map { feature in
            "\(feature.name) (" + feature.breaches.map { "\($0.statistic) \(fixed($0.value))" }.joined(separator: ", ")
                + ")"
        }
        let window = details.windowBreaches.map {
            "\($0.statistic) \(fixed($0.value)) (\($0.comparison) \(fixed($0.threshold)))"
        }
        return (features + window).joined(separator: ", ")
    }

    private static func span(_ window: WindowReport.Window) -> String {
        padded("\(clock(window.start))–\(clock(window.end))", 19)
    }

    static func clock(_ rfc3339: String) -> String {
        let parts = rfc3339.split(separator: "T")
        return parts.count == 2 ? String(parts[1].prefix(8)) : rfc3339
    }

    private static func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
}
