/// A problem with an input file — the configuration, a CSV file, an events file, a reference — located as
/// `file:line:column` when the place is known, so editors and terminals can jump to it. The one error type of
/// every file input.
public struct FileError: Error, CustomStringConvertible, Sendable {
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
