/// A half-open event-time interval [start, end) and how it was formed.
public struct WindowBounds: Hashable, Sendable {
    public var start: EventTime
    public var end: EventTime

    public init(start: EventTime, end: EventTime) {
        self.start = start
        self.end = end
    }

    /// The hopping windows of `size` starting every `slide` (at most `size`) milliseconds that hold `time`,
    /// oldest first, made as they are read (no array); with `slide == size`, the one tumbling window. Aligned to
    /// the Unix epoch (Flink's and Kafka Streams' alignment), so every instance and every replay cuts the same
    /// windows.
    public static func containing(_ time: EventTime, size: Int64, slide: Int64)
        -> LazyMapSequence<ClosedRange<Int64>, WindowBounds>
    {
        let t = time.millisecondsSinceEpoch
        let (last, _) = t.floorDividedBy(slide)
        let (beforeFirst, _) = (t - size).floorDividedBy(slide)
        return ((beforeFirst + 1)...last).lazy.map {
            WindowBounds(
                start: EventTime(millisecondsSinceEpoch: $0 * slide),
                end: EventTime(millisecondsSinceEpoch: $0 * slide + size))
        }
    }
}
