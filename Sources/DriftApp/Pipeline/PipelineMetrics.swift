import CoreMetrics
import DriftCore
import DriftKafka
import Synchronization

/// The monitor's metrics through swift-metrics (Prometheus names; `driftwatch serve`'s `/metrics` exposes them).
/// Counters are aggregated per batch, so the per-event cost is one dictionary update. Dimensions: `topic`,
/// `model`, `feature`, `rule`, `severity`, `partition`.
///
/// - `driftwatch_events_consumed_total{topic}`, `driftwatch_events_decoded_total{topic,model}`,
///   `driftwatch_events_dead_lettered_total{topic}`, `driftwatch_events_late_total{topic,model}`
/// - `driftwatch_windows_closed_total{model}`, `driftwatch_feature_psi{model,feature}`,
///   `driftwatch_feature_ks_statistic{model,feature}`, `driftwatch_feature_drifted{model,feature}` (0 or 1)
/// - `driftwatch_prediction_latency_ms{model,quantile}` (the last window's), `driftwatch_model_metric{model,metric}`
/// - `driftwatch_alerts_total{model,rule,severity}`, `driftwatch_triggers_total{model,rule}`
/// - `driftwatch_consumer_lag{topic,partition}`, `driftwatch_event_processing_seconds` (timer), `driftwatch_ready`
public final class PipelineMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[MetricKey: Counter]>([:])
    private let gauges = Mutex<[MetricKey: Gauge]>([:])
    private let processing: CoreMetrics.Timer
    private let ready: Gauge

    private struct MetricKey: Hashable {
        var label: String
        var dimensions: [String]
    }

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        processing = CoreMetrics.Timer(label: "driftwatch_event_processing_seconds", preferredDisplayUnit: .seconds, factory: factory)
        ready = Gauge(label: "driftwatch_ready", factory: factory)
    }

    /// Per-batch counts, filled while a batch is processed and handed over at its end.
    struct BatchCounts {
        var consumed: [String: Int] = [:]
        var decoded: [TopicModel: Int] = [:]
        var deadLettered: [String: Int] = [:]
        var late: [TopicModel: Int] = [:]

        struct TopicModel: Hashable {
            var topic: String
            var model: String
        }
    }

    func record(_ counts: BatchCounts, durations: [Duration]) {
        for (topic, count) in counts.consumed { counter("driftwatch_events_consumed_total", ["topic", topic]).increment(by: count) }
        for (key, count) in counts.decoded {
            counter("driftwatch_events_decoded_total", ["topic", key.topic, "model", key.model]).increment(by: count)
        }
        for (topic, count) in counts.deadLettered {
            counter("driftwatch_events_dead_lettered_total", ["topic", topic]).increment(by: count)
        }
        for (key, count) in counts.late {
            counter("driftwatch_events_late_total", ["topic", key.topic, "model", key.model]).increment(by: count)
        }
        for duration in durations { processing.recordNanoseconds(duration.nanoseconds) }
    }

    /// Counts and gauges of outputs the broker acknowledged.
    func published(_ outputs: [MonitorOutput]) {
        for output in outputs {
            switch output {
            case .report(let report):
                counter("driftwatch_windows_closed_total", ["model", report.model]).increment()
                for feature in report.features {
                    let dimensions = ["model", report.model, "feature", feature.name]
                    if let psi = feature.psi { gauge("driftwatch_feature_psi", dimensions).record(psi.value) }
                    if let ks = feature.ks { gauge("driftwatch_feature_ks_statistic", dimensions).record(ks.statistic) }
                    gauge("driftwatch_feature_drifted", dimensions).record(feature.drifted ? 1 : 0)
                }
                if let latency = report.latency {
                    for (quantile, value) in [("0.5", latency.p50), ("0.95", latency.p95), ("0.99", latency.p99)] {
                        gauge("driftwatch_prediction_latency_ms", ["model", report.model, "quantile", quantile]).record(value)
                    }
                }
            case .performance(let report):
                guard let metrics = report.metrics else { continue }
                let values: [(String, Double?)] = [
                    ("accuracy", metrics.accuracy), ("precision", metrics.precision), ("recall", metrics.recall),
                    ("f1", metrics.f1), ("roc_auc", metrics.rocAUC), ("log_loss", metrics.logLoss), ("mae", metrics.mae),
                    ("rmse", metrics.rmse), ("mape", metrics.mape),
                ]
                for case (let name, let value?) in values {
                    gauge("driftwatch_model_metric", ["model", report.model, "metric", name]).record(value)
                }
            case .alert(let alert):
                counter(
                    "driftwatch_alerts_total",
                    ["model", alert.data.model, "rule", alert.data.rule, "severity", alert.data.severity.rawValue]
                ).increment()
            case .trigger(let trigger):
                counter("driftwatch_triggers_total", ["model", trigger.data.model, "rule", trigger.data.rule]).increment()
            case .late, .referenceCaptured:
                break
            }
        }
    }

    func lag(_ partitions: [(KafkaTopicPartition, Int64)]) {
        for (partition, lag) in partitions {
            gauge("driftwatch_consumer_lag", ["topic", partition.topic, "partition", String(partition.partition)]).record(lag)
        }
    }

    func ready(_ isReady: Bool) { ready.record(isReady ? 1 : 0) }

    /// `dimensions` alternates names and values.
    private func counter(_ label: String, _ dimensions: [String]) -> Counter {
        counters.withLock { counters in
            let key = MetricKey(label: label, dimensions: dimensions)
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: pairs(dimensions), factory: factory)
            counters[key] = counter
            return counter
        }
    }

    private func gauge(_ label: String, _ dimensions: [String]) -> Gauge {
        gauges.withLock { gauges in
            let key = MetricKey(label: label, dimensions: dimensions)
            if let gauge = gauges[key] { return gauge }
            let gauge = Gauge(label: label, dimensions: pairs(dimensions), factory: factory)
            gauges[key] = gauge
            return gauge
        }
    }

    private func pairs(_ flat: [String]) -> [(String, String)] {
        stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) }
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
