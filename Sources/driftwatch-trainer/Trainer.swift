import ArgumentParser
import DriftApp
import DriftConfig
import DriftKafka
import Logging
import ServiceLifecycle

/// `driftwatch-trainer`: the training service of the retraining loop.
@main
struct Trainer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftwatch-trainer",
        abstract: "Retrain models when Driftwatch requests it, validate them, register and deploy new versions.",
        discussion: """
            Consumes retrain.triggers in its own consumer group (trainer.group_id), trains a logistic regression \
            on the labelled events of each trigger's suggested range (predictions joined with labels), evaluates \
            it on a hold-out split against the deployed version, and deploys version N+1 (model.deployments, with \
            its reference profile) or rejects it with an alert. Shares the state database (store.path) with the \
            monitor: `driftwatch models list` shows the registry. Runs until SIGINT or SIGTERM.

            Example:
              driftwatch-trainer --config config/driftwatch.yaml
            """)

    @Option(name: .shortAndLong, help: "Configuration file (YAML).")
    var config = "config/driftwatch.yaml"

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = level
            return handler
        }
        try KafkaLibraryVersion.requireSupported()
        let configuration = try ConfigLoader.load(path: config)
        let logger = Logger(label: "driftwatch.trainer")
        let group = ServiceGroup(
            services: [TrainerService(config: configuration, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

// swift-log's levels as a command-line option: the conformance lives in the executables only, where
// ArgumentParser is.
// swift-format-ignore: AvoidRetroactiveConformances
extension Logger.Level: @retroactive ExpressibleByArgument {}
