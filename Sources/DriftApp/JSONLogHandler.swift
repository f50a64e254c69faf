import DriftCore
import Foundation
import Logging

/// swift-log records as JSON Lines on standard error (`--log-format json`), for log shippers: `time` (RFC 3339,
/// UTC), `level`, `logger`, `message` and the metadata under its own dotted keys (`model.id`, `kafka.partition`,
/// `window.end`, …), values as strings. One `write` per record, so concurrent records never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "{\"time\":\(CanonicalJSON.quoted(Self.timestamp()))"
        line += ",\"level\":\(CanonicalJSON.quoted(event.level.rawValue)),\"logger\":\(CanonicalJSON.quoted(label))"
        line += ",\"message\":\(CanonicalJSON.quoted(event.message.description))"
        for (key, value) in merged.sorted(by: { $0.key < $1.key })
        where !["time", "level", "logger", "message"].contains(key) {
            line += ",\(CanonicalJSON.quoted(key)):\(CanonicalJSON.quoted(value.description))"
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func timestamp() -> String {
        let now = Date().timeIntervalSince1970
        return EventTime(millisecondsSinceEpoch: Int64((now * 1000).rounded(.down))).rfc3339
    }
}
