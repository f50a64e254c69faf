/// The input streams the monitor reads.
public enum EventStream: String, Sendable, Hashable {
    case predictions, features, labels
}

/// Where an event came from: its stream, partition and offset.
public struct EventPosition: Hashable, Sendable {
    public var stream: EventStream
    public var partition: Int32
    public var offset: Int64

    public init(_ stream: EventStream = .predictions, partition: Int32, offset: Int64) {
        self.stream = stream
        self.partition = partition
        self.offset = offset
    }

    /// The stream and partition, without the offset.
    public var source: SourcePartition { SourcePartition(stream: stream, partition: partition) }
}

/// One partition of one input stream.
public struct SourcePartition: Hashable, Sendable, Comparable {
    public var stream: EventStream
    public var partition: Int32

    public init(stream: EventStream, partition: Int32) {
        self.stream = stream
        self.partition = partition
    }

    public static func predictions(_ partition: Int32) -> SourcePartition { .init(stream: .predictions, partition: partition) }
    public static func features(_ partition: Int32) -> SourcePartition { .init(stream: .features, partition: partition) }
    public static func labels(_ partition: Int32) -> SourcePartition { .init(stream: .labels, partition: partition) }

    public static func < (a: SourcePartition, b: SourcePartition) -> Bool {
        (a.stream.rawValue, a.partition) < (b.stream.rawValue, b.partition)
    }
}

/// A read position to resume from: the offset, and the partition's clock (highest event time) just before it.
public struct ResumePoint: Sendable, Equatable, Codable {
    public var offset: Int64
    /// `Int64.min` when nothing had been read before it (or for features and labels partitions).
    public var clock: Int64

    public init(offset: Int64, clock: Int64) {
        self.offset = offset
        self.clock = clock
    }
}

/// The first offset per source partition of the events something still needs (an open window, a capture, a
/// pending join), with the partition's clock before it: the consumer must not commit past them, so a restart
/// reads those events again, starting from the same clock.
struct OffsetHolds: Sendable, Equatable {
    private(set) var points: [SourcePartition: ResumePoint] = [:]

    mutating func hold(_ position: EventPosition, clock: Int64 = .min) {
        if let held = points[position.source], held.offset <= position.offset { return }
        points[position.source] = ResumePoint(offset: position.offset, clock: clock)
    }

    mutating func hold(_ other: OffsetHolds) {
        for (source, point) in other.points {
            hold(EventPosition(source.stream, partition: source.partition, offset: point.offset), clock: point.clock)
        }
    }

    subscript(source: SourcePartition) -> ResumePoint? { points[source] }
}
