import ArgumentParser
import DriftApp
import DriftConfig
import DriftKafka
import Foundation
import Logging

/// Options every subcommand takes, and the start-up every one does: logging, librdkafka check, config.
struct CommonOptions: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help: """
            Configuration file (YAML). Default: $DRIFTWATCH_CONFIG, else config/driftwatch.yaml (demo: config/demo.yaml) \
            in the working directory or the binary's project, else the built-in defaults.
            """)
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
        let (config, logger, _) = try startReporting(
            label: label, defaultLogLevel: defaultLogLevel, defaultConfig: defaultConfig)
        return (config, logger)
    }

    /// `start`, also saying where the configuration came from (`ConfigSource.locate`), which it logs.
    func startReporting(
        label: String, defaultLogLevel: Logger.Level = .info, defaultConfig: String = "config/driftwatch.yaml"
    )
        throws -> (DriftwatchConfig, Logger, ConfigSource)
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
        let source = try ConfigSource.locate(flag: self.config, fileName: (defaultConfig as NSString).lastPathComponent)
        // Only the monitor's own file may fall back to the built-in defaults: the demo's would then use the
        // production topic names.
        if source.path == nil && defaultConfig != "config/driftwatch.yaml" {
            throw ValidationError(
                "no \(defaultConfig) in the working directory or in the binary's project; pass --config PATH")
        }
        let config = try source.load()
        let logger = Logger(label: label)
        logger.log(level: source.path == nil ? .notice : .info, "configuration: \(source)")
        return (config, logger, source)
    }
}

// swift-log's levels as a command-line option: the conformance lives in the executables only, where
// ArgumentParser is.
// swift-format-ignore: AvoidRetroactiveConformances
extension Logger.Level: @retroactive ExpressibleByArgument {}
