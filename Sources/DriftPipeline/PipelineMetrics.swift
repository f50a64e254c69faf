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
/// - `driftwatch_estimated_metric{model,metric}` (CBPE, before labels), `driftwatch_estimation_error{model,metric}`
///   (realised − estimated), `driftwatch_reconstruction_error{model}`, `driftwatch_domain_classifier_auc{model}`
/// - `driftwatch_alerts_total{model,rule,severity}`, `driftwatch_triggers_total{model,rule}`
/// - `driftwatch_consumer_lag{topic,partition}`, `driftwatch_assigned_partitions{topic}`, `driftwatch_events_held`,
///   `driftwatch_event_processing_seconds` (timer), `driftwatch_ready`
public final class PipelineMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[MetricKey: Counter]>([:])
    private let gauges = Mutex<[MetricKey: Gauge]>([:])
    private let processing: CoreMetrics.Timer
    private let ready: Gauge

    /// Every metric's name.
    public enum Name: String, CaseIterable, Sendable {
        case alertsTotal = "driftwatch_alerts_total"
        case assignedPartitions = "driftwatch_assigned_partitions"
        case consumerLag = "driftwatch_consumer_lag"
        case eventProcessingSeconds = "driftwatch_event_processing_seconds"
        case eventsConsumedTotal = "driftwatch_events_consumed_total"
        case eventsDeadLetteredTotal = "driftwatch_events_dead_lettered_total"
        case eventsDecodedTotal = "driftwatch_events_decoded_total"
        case eventsHeld = "driftwatch_events_held"
        case eventsLateTotal = "driftwatch_events_late_total"
        case domainClassifierAUC = "driftwatch_domain_classifier_auc"
        case estimatedMetric = "driftwatch_estimated_metric"
        case estimationError = "driftwatch_estimation_error"
        case reconstructionError = "driftwatch_reconstruction_error"
        case featureDrifted = "driftwatch_feature_drifted"
        case featureKsStatistic = "driftwatch_feature_ks_statistic"
        case featurePsi = "driftwatch_feature_psi"
        case modelMetric = "driftwatch_model_metric"
        case outputsAdaptedTotal = "driftwatch_outputs_adapted_total"
        case outputsSkippedTotal = "driftwatch_outputs_skipped_total"
        case publishRetriesTotal = "driftwatch_publish_retries_total"
        case publishFailing = "driftwatch_publish_failing"
        case predictionLatencyMs = "driftwatch_prediction_latency_ms"
        case ready = "driftwatch_ready"
        case triggersTotal = "driftwatch_triggers_total"
        case windowsClosedTotal = "driftwatch_windows_closed_total"
    }

    private struct MetricKey: Hashable {
        var label: String
        var dimensions: [String]
    }

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        processing = CoreMetrics.Timer(
            label: Name.eventProcessingSeconds.rawValue, preferredDisplayUnit: .seconds, factory: factory)
        ready = Gauge(label: Name.ready.rawValue, factory: factory)
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

    func record(_ counts: BatchCounts, nanoseconds: [UInt64]) {
        for (topic, count) in counts.consumed {
            counter(Name.eventsConsumedTotal.rawValue, ["topic", topic]).increment(by: count)
        }
        for (key, count) in counts.decoded {
            counter(Name.eventsDecodedTotal.rawValue, ["topic", key.topic, "model", key.model]).increment(by: count)
        }
        for (topic, count) in counts.deadLettered {
            counter(Name.eventsDeadLetteredTotal.rawValue, ["topic", topic]).increment(by: count)
        }
        for (key, count) in counts.late {
            counter(Name.eventsLateTotal.rawValue, ["topic", key.topic, "model", key.model]).increment(by: count)
        }
        for time in nanoseconds { processing.recordNanoseconds(Int64(clamping: time)) }
    }

    /// Counts and gauges of outputs the broker acknowledged.
    func published(_ outputs: [MonitorOutput]) {
        for output in outputs {
            switch output {
            case .report(let report):
                counter(Name.windowsClosedTotal.rawValue, ["model", report.model]).increment()
                for feature in report.features {
                    let dimensions = ["model", report.model, "feature", feature.name]
                    if let psi = feature.psi { gauge(Name.featurePsi.rawValue, dimensions).record(psi.value) }
                    if let ks = feature.ks { gauge(Name.featureKsStatistic.rawValue, dimensions).record(ks.statistic) }
                    gauge(Name.featureDrifted.rawValue, dimensions).record(feature.drifted ? 1 : 0)
                }
                if let estimated = report.estimated {
                    for statistic in WindowReport.Estimated.statistics {
                        guard let metric = estimated.metric(statistic) else { continue }
                        gauge(Name.estimatedMetric.rawValue, ["model", report.model, "metric", statistic.rawValue])
                            .record(metric.value)
                    }
                }
                if let reconstruction = report.multivariate?.reconstructionError {
                    gauge(Name.reconstructionError.rawValue, ["model", report.model]).record(reconstruction.value)
                }
                if let classifier = report.multivariate?.domainClassifier {
                    gauge(Name.domainClassifierAUC.rawValue, ["model", report.model]).record(classifier.auc)
                }
                if let latency = report.latency {
                    for (quantile, value) in [("0.5", latency.p50), ("0.95", latency.p95), ("0.99", latency.p99)] {
                        gauge(Name.predictionLatencyMs.rawValue, ["model", report.model, "quantile", quantile]).record(
                            value)
                    }
                }
            case .performance(let report):
                for (name, error) in report.estimationError ?? [:] {
                    gauge(Name.estimationError.rawValue, ["model", report.model, "metric", name]).record(error)
                }
                guard let metrics = report.metrics else { continue }
                let values: [(String, Double?)] = [
                    ("accuracy", metrics.accuracy), ("precision", metrics.precision), ("recall", metrics.recall),
                    ("f1", metrics.f1), ("roc_auc", metrics.rocAUC), ("log_loss", metrics.logLoss),
                    ("mae", metrics.mae),
                    ("rmse", metrics.rmse), ("mape", metrics.mape),
                ]
                for case (let name, let value?) in values {
                    gauge(Name.modelMetric.rawValue, ["model", report.model, "metric", name]).record(value)
                }
            case .alert(let alert):
                counter(
                    Name.alertsTotal.rawValue,
                    ["model", alert.data.model, "rule", alert.data.rule, "severity", alert.data.severity.rawValue]
                ).increment()
            case .trigger(let trigger):
                counter(Name.triggersTotal.rawValue, ["model", trigger.data.model, "rule", trigger.data.rule])
                    .increment()
            case .late, .referenceCaptured:
                break
            }
        }
    }

    /// Events the event-time merge holds back, all partitions together.
    func held(_ count: Int) {
        gauge(Name.eventsHeld.rawValue, []).record(count)
    }

    /// The partitions this instance holds, per input topic (0 for a topic it holds none of).
    func assigned(_ readings: [KafkaPartitionReading], topics: [String]) {
        for topic in topics {
            gauge(Name.assignedPartitions.rawValue, ["topic", topic])
                .record(readings.count { $0.topicPartition.topic == topic })
        }
    }

    func lag(_ readings: [KafkaPartitionReading]) {
        for reading in readings {
            guard let lag = reading.lag() else { continue }
            let partition = reading.topicPartition
            gauge(Name.consumerLag.rawValue, ["topic", partition.topic, "partition", String(partition.partition)])
                .record(lag)
        }
    }

    func ready(_ isReady: Bool) { ready.record(isReady ? 1 : 0) }

    /// An output the topic refused whole, published truncated (`dead-letter`) or compacted (`report`).
    func adapted(topic: String, how: String) {
        counter(Name.outputsAdaptedTotal.rawValue, ["topic", topic, "how", how]).increment()
    }

    /// An output given up for good, with the error's name.
    func skipped(topic: String, reason: String) {
        counter(Name.outputsSkippedTotal.rawValue, ["topic", topic, "reason", reason]).increment()
    }

    /// A publication retried after a transient error; `failing` while the broker refuses or does not answer.
    func publishRetried() { counter(Name.publishRetriesTotal.rawValue, []).increment() }
    func publishFailing(_ failing: Bool) { gauge(Name.publishFailing.rawValue, []).record(failing ? 1 : 0) }

    /// `dimensions` alternates names and values.
    private func counter(_ label: String, _ dimensions: [String]) -> Counter {
        cached(counters, label, dimensions) { Counter(label: $0, dimensions: $1, factory: factory) }
    }

    private func gauge(_ label: String, _ dimensions: [String]) -> Gauge {
        cached(gauges, label, dimensions) { Gauge(label: $0, dimensions: $1, factory: factory) }
    }

    /// The metric of a label and dimensions, made once (swift-metrics factories take a lock per lookup).
    private func cached<Metric>(
        _ cache: borrowing Mutex<[MetricKey: Metric]>, _ label: String, _ dimensions: [String],
        make: (String, [(String, String)]) -> Metric
    ) -> Metric {
        cache.withLock { cache in
            let key = MetricKey(label: label, dimensions: dimensions)
            if let metric = cache[key] { return metric }
            let metric = make(label, pairs(dimensions))
            cache[key] = metric
            return metric
        }
    }

    private func pairs(_ flat: [String]) -> [(String, String)] {
        stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) }
    }
}
