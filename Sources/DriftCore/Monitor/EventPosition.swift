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

/// The first offset per source partition of the events something still needs (an open window, a capture, a
/// pending join): the consumer must not commit past them, so a restart reads those events again.
struct OffsetHolds: Sendable, Equatable {
    private(set) var offsets: [SourcePartition: Int64] = [:]

    mutating func hold(_ position: EventPosition) {
        offsets[position.source] = min(offsets[position.source] ?? .max, position.offset)
    }

    mutating func hold(_ other: OffsetHolds) {
        for (source, offset) in other.offsets { offsets[source] = min(offsets[source] ?? .max, offset) }
    }

    subscript(source: SourcePartition) -> Int64? { offsets[source] }
}
