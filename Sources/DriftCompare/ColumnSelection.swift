#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which columns `compare` reads: those matching any `--columns` glob (all when none is given) and no
/// `--ignore` glob. Globs are shell patterns (`fnmatch`: `*`, `?`, `[abc]`), matched against whole names.
public struct ColumnSelection: Sendable, Equatable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    public func contains(_ name: String) -> Bool {
        (include.isEmpty || include.contains { Self.matches($0, name) }) && !exclude.contains { Self.matches($0, name) }
    }

    /// Include globs that match none of `names`: most likely a typo, which should not pass silently.
    public func unmatched(in names: [String]) -> [String] {
        (include + exclude).filter { pattern in !names.contains { Self.matches(pattern, $0) } }
    }

    static func matches(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
