import ArgumentParser
import DriftApp
import DriftKafka
import Logging

/// Options every subcommand takes, and the start-up every one does: logging, librdkafka check, config.
struct CommonOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Configuration file (YAML; default: config/driftwatch.yaml, demo: config/demo.yaml).")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (default: info; demo: warning).")
    var logLevel: Logger.Level?

    @Option(help: "Log format on standard error: text, or json (one object per line, dotted metadata keys).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// Sets up logging, refuses an unsupported librdkafka and loads the configuration.
    func start(label: String, defaultLogLevel: Logger.Level = .info, defaultConfig: String = "config/driftwatch.yaml")
        throws -> (DriftwatchConfig, Logger)
    {
        let level = logLevel ?? defaultLogLevel
        let format = logFormat
        LoggingSystem.bootstrap { name in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: name)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: name)
                handler.logLevel = level
                return handler
            }
        }
        try KafkaLibraryVersion.requireSupported()
        let config = try ConfigLoader.load(path: self.config ?? defaultConfig)
        return (config, Logger(label: label))
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
