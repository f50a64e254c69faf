import ArgumentParser
import DriftApp
import Logging
import ServiceLifecycle

extension Driftwatch {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the monitor until SIGINT or SIGTERM.",
            discussion: """
                Reads the predictions, features and labels topics in the configured consumer group (and model.deployments and driftwatch.changelog whole) and publishes a report per closed window, performance reports when labels are joined, and the alerts and retrain triggers of the policy's rules. Undecodable events go to the dead-letter topic. Every batch is checkpointed (changelog and SQLite) after its outputs are acknowledged; a restart resumes from the checkpoint and publishes the same outputs again. On SIGINT/SIGTERM it finishes the batch in flight, checkpoints, commits and leaves the group.

                Example:
                  DRIFTWATCH_BROKERS=kafka-1:9092 driftwatch run --config config/driftwatch.yaml
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let (config, logger) = try options.start(label: "driftwatch")
            let pipeline = MonitorPipeline(config: config, logger: logger)
            let group = ServiceGroup(
                services: [pipeline], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}
