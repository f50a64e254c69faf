import DriftCore

/// A problem in the configuration file, located like every other file problem (`FileError`).
public typealias ConfigError = FileError

/// How a configuration is read: stop at the first problem (loading), or collect them all and go on with the
/// next section (`driftwatch config check`).
final class ConfigProblems {
    let collecting: Bool
    var collected: [ConfigError] = []

    init(collecting: Bool) { self.collecting = collecting }

    /// Runs `body`; a ConfigError it throws is kept when collecting and rethrown otherwise.
    func attempt(_ body: () throws -> Void) throws {
        _ = try value(body)
    }

    /// `body`'s value, or nil when it threw a ConfigError that was kept.
    func value<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as ConfigError where collecting {
            collected.append(error)
            return nil
        }
    }

    /// Sets `target` from `node` when the key is present; a problem reading it is kept when collecting.
    func set<T>(_ target: inout T, _ node: ConfigNode?, _ read: (ConfigNode) throws -> T) throws {
        guard let node else { return }
        try attempt { target = try read(node) }
    }
}
