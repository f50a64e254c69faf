/// A configuration problem, located as `file:line:column` when it comes from a file, so editors can jump to it.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}

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
}
