import DriftCore
import DriftKafka
import Foundation
import Logging
import Synchronization

/// Reads `driftwatch.reports` and `retrain.triggers` from the beginning in a group of its own and prints one
/// line per report and per trigger as they arrive: what the demo shows. Keeps per-model counts for the summary.
public final class OutputWatcher: Sendable {
    public struct ModelSummary: Sendable, Equatable {
        public var windows = 0
        public var driftedWindows = 0
        public var triggers = 0

        public init() {}
    }

    private let config: DriftwatchConfig
    private let logger: Logger
    private let print: @Sendable (String) -> Void
    private let state = Mutex<(models: [String: ModelSummary], lastArrival: ContinuousClock.Instant?)>(([:], nil))

    public init(config: DriftwatchConfig, logger: Logger, print: @escaping @Sendable (String) -> Void) {
        self.config = config
        self.logger = logger
        self.print = print
    }

    public var summary: [String: ModelSummary] { state.withLock { $0.models } }

    /// When the last report or trigger arrived.
    public var lastArrival: ContinuousClock.Instant? { state.withLock { $0.lastArrival } }

    /// Consumes until cancelled.
    public func run() async throws {
        var consumerConfig = config.consumerConfiguration
        consumerConfig.groupID = "\(config.kafka.groupID)-watch-\(UInt64(Date().timeIntervalSince1970 * 1000))"
        let consumer = try KafkaConsumer(configuration: consumerConfig, logger: logger)
        try consumer.subscribe(topics: [config.topics.reports, config.topics.triggers])
        let decoder = JSONDecoder()
        while !Task.isCancelled {
            for message in try await consumer.poll() {
                if message.topic == config.topics.reports, let report = try? decoder.decode(WindowReport.self, from: Data(message.value)) {
                    record(report)
                } else if let trigger = try? decoder.decode(RetrainTrigger.self, from: Data(message.value)) {
                    record(trigger)
                }
            }
        }
        try await consumer.close()
    }

    private func record(_ report: WindowReport) {
        state.withLock {
            $0.models[report.model, default: ModelSummary()].windows += 1
            if report.status == .drift { $0.models[report.model, default: ModelSummary()].driftedWindows += 1 }
            $0.lastArrival = .now
        }
        print(Self.line(for: report))
    }

    private func record(_ trigger: RetrainTrigger) {
        state.withLock {
            $0.models[trigger.data.model, default: ModelSummary()].triggers += 1
            $0.lastArrival = .now
        }
        print(Self.line(for: trigger))
    }

    /// `report  fraud v7   10:04:00–10:05:00  1203 events  max PSI 0.031 amount   max KS 0.052 age      ok`
    static func line(for report: WindowReport) -> String {
        let psi = report.features.compactMap { f in f.psi.map { (f.name, $0.value) } }.max { $0.1 < $1.1 }
        let ks = report.features.compactMap { f in f.ks.map { (f.name, $0.statistic) } }.max { $0.1 < $1.1 }
        let status = switch report.status {
        case .ok: "ok"
        case .drift: "DRIFT"
        case .insufficientData: "too few events"
        }
        return "report   " + padded("\(report.model) v\(report.modelVersion)", 11)
            + padded("\(clock(report.window.start))–\(clock(report.window.end))", 19)
            + padded("\(report.counts.events) events", 13)
            + padded("max PSI " + (psi.map { "\(fixed($0.1)) \($0.0)" } ?? "-"), 27)
            + padded("max KS " + (ks.map { "\(fixed($0.1)) \($0.0)" } ?? "-"), 26) + status
    }

    /// `TRIGGER  fraud v7   retrain requested for window ending 10:05:00: amount (psi 0.684, ks_statistic 0.312), …`
    static func line(for trigger: RetrainTrigger) -> String {
        let evidence = trigger.data.features.map { feature in
            "\(feature.name) (" + feature.breaches.map { "\($0.statistic) \(fixed($0.value))" }.joined(separator: ", ") + ")"
        }
        return "TRIGGER  " + padded("\(trigger.data.model) v\(trigger.data.modelVersion)", 11)
            + "retrain requested for window ending \(clock(trigger.data.window.end)): "
            + evidence.joined(separator: ", ") + "  [id \(trigger.id)]"
    }

    private static func clock(_ rfc3339: String) -> String {
        let parts = rfc3339.split(separator: "T")
        return parts.count == 2 ? String(parts[1].prefix(8)) : rfc3339
    }

    private static func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
}
