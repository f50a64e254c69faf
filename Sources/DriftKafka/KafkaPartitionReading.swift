/// Where an assigned partition stands for the consumer: its position (the offset after the last message
/// handed to the application) and the partition's watermarks as the last fetch response gave them. Each is nil
/// until librdkafka knows it: no position before the first message of an assignment is handed over, no
/// watermarks before the first fetch response.
public struct KafkaPartitionReading: Hashable, Sendable {
    public var topicPartition: KafkaTopicPartition
    public var position: Int64?
    public var lowWatermark: Int64?
    public var highWatermark: Int64?

    public init(
        _ topicPartition: KafkaTopicPartition, position: Int64?, lowWatermark: Int64?, highWatermark: Int64?
    ) {
        self.topicPartition = topicPartition
        self.position = position
        self.lowWatermark = lowWatermark
        self.highWatermark = highWatermark
    }

    /// The messages not handed over yet, counted from `position` (or from `start`, where reading began when
    /// nothing was handed over yet); 0 for a partition without messages; nil when that is not known.
    public func lag(from start: Int64? = nil) -> Int64? {
        guard let highWatermark else { return nil }
        if let next = position ?? start { return max(0, highWatermark - next) }
        return highWatermark == 0 || lowWatermark == highWatermark ? 0 : nil
    }
}
