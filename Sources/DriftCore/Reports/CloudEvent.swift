/// A CloudEvents 1.0 event in structured JSON mode (https://github.com/cloudevents/spec, JSON format): the
/// envelope of every event Driftwatch publishes for others to act on — alerts, retrain triggers, rejected
/// retrainings. `Kind` names the event type, its source and what `data` holds. Ids are deterministic, so a
/// consumer that de-duplicates by id sees a replayed event once.
public struct CloudEvent<Kind: CloudEventKind>: Codable, Sendable, Equatable {
    /// The `type` attribute of this kind of event.
    public static var eventType: String { Kind.type }

    public var specversion = "1.0"
    public var id: String
    public var source = Kind.source
    public var type = Kind.type
    /// The model the event is about.
    public var subject: String
    /// RFC 3339: the end of the window the event is about.
    public var time: String
    public var datacontenttype = "application/json"
    public var data: Kind.Data

    public init(id: String, subject: String, time: String, data: Kind.Data) {
        self.id = id
        self.subject = subject
        self.time = time
        self.data = data
    }

    /// The bytes published: canonical JSON (sorted keys).
    public func json() -> [UInt8] { CanonicalJSON.encode(self) }
}

/// A kind of CloudEvent: its `type` and `source` attributes and the shape of its `data`.
public protocol CloudEventKind: Sendable {
    associatedtype Data: Codable, Sendable, Equatable
    static var type: String { get }
    static var source: String { get }
}
