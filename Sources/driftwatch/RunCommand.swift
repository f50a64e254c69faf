import ArgumentParser
import DriftApp
import DriftPipeline
import Logging
import ServiceLifecycle

extension Driftwatch {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the monitor until SIGINT or SIGTERM.",
            discussion: """
                Reads the predictions, features and labels topics in the configured consumer group (and model.deployments and driftwatch.changelog whole) and publishes a report per closed window, performance reports when labels are joined, and the alerts and retrain triggers of the policy's rules. Undecodable events go to the dead-letter topic. Every batch is checkpointed (changelog and SQLite) after its outputs are acknowledged; a restart resumes from the checkpoint and publishes the same outputs again. On SIGINT/SIGTERM it finishes the batch in flight, checkpoints, commits and leaves the group.

                Exit codes: 0 after a clean shutdown (final checkpoint committed), 3 when it was asked to stop while the broker did not take its outputs (they are published again on the next start), 1 for any other error.

                While it runs it serves http://127.0.0.1:9464/ (http section, --http): the dashboard at /, Prometheus metrics at /metrics, /healthz, /readyz (state restored and partitions assigned) and the JSON API under /api (models, models/MODEL/windows?from&to, alerts, triggers).

                Examples:
                  DRIFTWATCH_BROKERS=kafka-1:9092 driftwatch run --config config/driftwatch.yaml
                  DRIFTWATCH_HTTP_TOKEN=$(cat token) driftwatch run --http 0.0.0.0:9464 --log-format json
                """)

        @OptionGroup var options: CommonOptions
        @OptionGroup var serving: HTTPOptions

        func run() async throws {
            MallocArenas.limit()
            var (config, logger) = try options.start(label: "driftwatch")
            try serving.apply(to: &config)
            let pipeline = MonitorPipeline(
                config: config, logger: logger, metrics: PipelineMetrics(factory: Observability.factory))
            var services: [any Service] = [pipeline]
            if let server = try Observability.server(for: pipeline, config: config, logger: logger) {
                services.append(server)
            }
            let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            do {
                try await group.run()
            } catch let error as PublicationError {
                logger.critical("\(error)")
                throw ExitCode(PublicationError.exitCode)
            }
        }
    }
}
