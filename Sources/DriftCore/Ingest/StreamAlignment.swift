/// Event-time alignment of the joined input streams (predictions, features, labels) of each partition number.
/// Items are released in one merged order — among the streams' next items the earliest event time first
/// (predictions, then features, then labels at equal times), each stream in its own offset order — and an item
/// is released only when every other stream of its number that may still hold an earlier event has shown its
/// next one. A backlog is then joined as the live streams were, whichever topic the consumer reads ahead; Flink
/// aligns watermarks across sources for the same reason.
///
/// A refused input has no event time: it is released as soon as it is its stream's next item. `verify` pushes
/// the whole input and releases with nothing waited for; the pipeline waits for the streams that have unread
/// messages (`BatchProcessor`).
public struct StreamAlignment<Item: Sendable>: Sendable {
    private struct Queue: Sendable {
        var items: [(time: Int64, item: Item)] = []
        var head = 0

        var next: (time: Int64, item: Item)? { head < items.count ? items[head] : nil }
        var isEmpty: Bool { head == items.count }

        mutating func pop() -> Item {
            let item = items[head].item
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            return item
        }
    }

    /// By partition number, one queue per stream (`EventStream.index`).
    private var queues: [Int32: [Queue]] = [:]
    /// Items held, all partitions together.
    public private(set) var count = 0

    public init() {}

    /// Holds `item` of `source` with its event time (nil: refused, no time) until `release` lets it go.
    public mutating func push(_ item: Item, time: Int64?, from source: SourcePartition) {
        queues[source.partition, default: Array(repeating: Queue(), count: EventStream.allCases.count)][
            source.stream.index
        ].items.append((time ?? .min, item))
        count += 1
    }

    /// How many items of `source` are held.
    public func count(of source: SourcePartition) -> Int {
        queues[source.partition].map { $0[source.stream.index].items.count - $0[source.stream.index].head } ?? 0
    }

    /// Whether anything of partition number `partition` is held.
    public func holds(partition: Int32) -> Bool {
        queues[partition].map { $0.contains { !$0.isEmpty } } ?? false
    }

    /// Releases, per partition number in ascending order, the items whose turn has come: while the earliest
    /// next item is not preceded by an unseen event of a stream that `waitsFor` (an empty stream with unread
    /// messages). With `waitsFor` always false everything held is released, merged.
    public mutating func release(waitingFor waitsFor: (SourcePartition) -> Bool) -> [Item] {
        var released: [Item] = []
        for partition in queues.keys.sorted() {
            var streams = queues.removeValue(forKey: partition)!
            released += Self.release(&streams, partition: partition, waitingFor: waitsFor)
            if streams.contains(where: { !$0.isEmpty }) { queues[partition] = streams }
        }
        count -= released.count
        return released
    }

    /// Forgets what is held of partition number `partition` (its partitions were revoked or lost: the next
    /// owner reads those messages again) and returns how many items that was.
    @discardableResult
    public mutating func drop(partition: Int32) -> Int {
        let dropped = queues.removeValue(forKey: partition)?.reduce(0) { $0 + $1.items.count - $1.head } ?? 0
        count -= dropped
        return dropped
    }

    private static func release(
        _ streams: inout [Queue], partition: Int32, waitingFor waitsFor: (SourcePartition) -> Bool
    )
        -> [Item]
    {
        var released: [Item] = []
        let waiting = EventStream.allCases.map { waitsFor(SourcePartition(stream: $0, partition: partition)) }
        while true {
            var earliest: (time: Int64, index: Int)?
            for index in streams.indices {
                guard let next = streams[index].next else { continue }
                if earliest.map({ next.time < $0.time }) ?? true { earliest = (next.time, index) }
            }
            guard let earliest else { break }
            // An empty stream that may still hold an earlier event blocks everything but untimed (refused) items.
            let blocked = streams.indices.contains { streams[$0].isEmpty && waiting[$0] }
            guard !blocked || earliest.time == .min else { break }
            released.append(streams[earliest.index].pop())
        }
        return released
    }
}
