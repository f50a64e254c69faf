import ArgumentParser
import DriftApp
import DriftConfig
import DriftHTTP
import DriftPipeline
import DriftStore
import Logging
import Metrics
import Prometheus

/// `--http`: where the monitor serves /metrics, /healthz, /readyz, the API and the dashboard.
struct HTTPOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Serve metrics, health, the API and the dashboard on HOST:PORT, or 'off'.",
            discussion:
                "Default: the configuration's http section (127.0.0.1:9464). Off loopback, http.token or DRIFTWATCH_HTTP_TOKEN must be set.",
            valueName: "address"))
    var http: String?

    func apply(to config: inout DriftwatchConfig) throws {
        guard let http else { return }
        if http == "off" {
            config.http = nil
            return
        }
        try ConfigLoader.setHTTPAddress(http, in: &config, from: ("command line", "--http (HOST:PORT or off)"))
        try ConfigLoader.requireHTTPToken(config, from: "command line")
    }
}

/// The process's metrics: swift-metrics bootstrapped once with a Prometheus registry that `/metrics` emits.
enum Observability {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Per-event processing takes microseconds: buckets from 2 µs to 10 ms.
        factory.durationHistogramBuckets["driftwatch_event_processing_seconds"] = [
            .microseconds(2), .microseconds(5), .microseconds(10), .microseconds(20), .microseconds(50),
            .microseconds(100),
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// The factory to give the pipeline (the bootstrapped Prometheus one).
    static var factory: any MetricsFactory {
        _ = registry
        return MetricsSystem.factory
    }

    /// The HTTP service for a pipeline, if the configuration has one.
    static func server(
        for pipeline: MonitorPipeline, config: DriftwatchConfig, logger: Logger,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws -> MonitorHTTPService? {
        guard let settings = config.http else { return nil }
        let sources = MonitorServer.Sources(
            settings: config.dashboardSettings, store: try StateStore(path: config.storePath), registry: registry,
            readiness: {
                let state = pipeline.readiness
                return .init(ready: state.ready, waitingFor: state.waitingFor)
            },
            unhealthy: { pipeline.health.reason })
        return MonitorHTTPService(
            settings: config.listener(settings), sources: sources, logger: logger, onListening: onListening)
    }
}

extension DriftwatchConfig {
    /// The monitor settings the dashboard draws thresholds from.
    var dashboardSettings: MonitorServer.ModelSettings { .init(defaults: monitor, models: models) }

    /// The HTTP server's address and token.
    func listener(_ http: HTTP) -> MonitorServer.Listener { .init(host: http.host, port: http.port, token: http.token) }
}
