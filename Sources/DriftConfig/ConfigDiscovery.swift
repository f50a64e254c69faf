import Foundation

/// Where a command's configuration comes from, in order: `--config PATH`; the `DRIFTWATCH_CONFIG` environment
/// variable; `config/NAME` in the working directory; `config/NAME` in the project the binary was built in (a
/// parent of the executable, as in `PROJECT/.build/debug/driftwatch`); else the built-in defaults. A path given
/// by flag or environment must exist.
public struct ConfigSource: Sendable, Equatable, CustomStringConvertible {
    /// Nil: the built-in defaults.
    public var path: String?
    /// How it was found, for the start-up line: `--config`, `DRIFTWATCH_CONFIG`, `working directory`, …
    public var origin: String

    public var description: String {
        path.map { "\($0) (\(origin))" } ?? "built-in defaults (no configuration file found)"
    }

    public static func locate(
        flag: String?, fileName: String = "driftwatch.yaml",
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        executable: String? = Bundle.main.executablePath
    ) throws -> ConfigSource {
        let files = FileManager.default
        if let flag {
            guard files.fileExists(atPath: flag) else {
                throw ConfigError(file: flag, "the configuration file given by --config does not exist")
            }
            return ConfigSource(path: flag, origin: "--config")
        }
        if let variable = environment["DRIFTWATCH_CONFIG"], !variable.isEmpty {
            guard files.fileExists(atPath: variable) else {
                throw ConfigError(file: variable, "the configuration file named by DRIFTWATCH_CONFIG does not exist")
            }
            return ConfigSource(path: variable, origin: "DRIFTWATCH_CONFIG")
        }
        let local = URL(fileURLWithPath: workingDirectory).appendingPathComponent("config/\(fileName)").path
        if files.fileExists(atPath: local) {
            return ConfigSource(path: "config/\(fileName)", origin: "working directory")
        }
        if let executable {
            var directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = directory.appendingPathComponent("config/\(fileName)").path
                if files.fileExists(atPath: candidate) {
                    return ConfigSource(path: candidate, origin: "the binary's project")
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return ConfigSource(path: nil, origin: "built-in defaults")
    }

    /// The configuration from this source (the defaults, with environment overrides, when there is no file).
    public func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DriftwatchConfig {
        if let path { return try ConfigLoader.load(path: path, environment: environment) }
        var config = try ConfigLoader.parse(yaml: "", file: "(built-in defaults)")
        try ConfigLoader.applyEnvironment(environment, to: &config)
        return config
    }
}
