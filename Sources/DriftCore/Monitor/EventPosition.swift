/// The input streams the monitor reads.
public enum EventStream: String, Sendable, Hashable, CaseIterable {
    case predictions, features, labels

    // By case rather than by raw value, which RawRepresentable's defaults hash and compare as strings: the
    // monitor looks partitions up by source per event.
    public static func == (a: EventStream, b: EventStream) -> Bool { a.index == b.index }
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }

    /// The stream's place in `allCases` (also for per-stream tallies in arrays).
    package var index: Int {
        switch self {
        case .predictions: 0
        case .features: 1
        case .labels: 2
        }
    }
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

    public static func predictions(_ partition: Int32) -> SourcePartition {
        .init(stream: .predictions, partition: partition)
    }
    public static func features(_ partition: Int32) -> SourcePartition {
        .init(stream: .features, partition: partition)
    }
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
    /// Per source partition, in no particular order. A window or join spans one to three source partitions
    /// (its predictions, features and labels partitions), so a short array searched linearly beats hashing.
    private var points: [(source: SourcePartition, point: ResumePoint)] = []

    mutating func hold(_ position: EventPosition, clock: Int64 = .min) {
        let source = position.source
        if let index = points.firstIndex(where: { $0.source == source }) {
            if points[index].point.offset > position.offset {
                points[index].point = ResumePoint(offset: position.offset, clock: clock)
            }
        } else {
            points.append((source, ResumePoint(offset: position.offset, clock: clock)))
        }
    }

    /// Holds a placed prediction: its position with the clock before it, and its feature event's.
    mutating func hold(_ placed: Placement) {
        hold(placed.prediction, clock: placed.clock)
        if let features = placed.features { hold(features) }
    }

    mutating func hold(_ other: OffsetHolds) {
        for (source, point) in other.points {
            hold(EventPosition(source.stream, partition: source.partition, offset: point.offset), clock: point.clock)
        }
    }

    subscript(source: SourcePartition) -> ResumePoint? { points.first { $0.source == source }?.point }

    /// Equal when they hold the same points, in any order.
    static func == (a: OffsetHolds, b: OffsetHolds) -> Bool {
        a.points.count == b.points.count && a.points.allSatisfy { b[$0.source] == $0.point }
    }
}

/// Where a prediction placed in a capture or windows was read: its position, the predictions partition's clock
/// before it, and the position of its feature event when the features came separately.
struct Placement: Sendable {
    var prediction: EventPosition
    var clock: Int64
    var features: EventPosition?
}
