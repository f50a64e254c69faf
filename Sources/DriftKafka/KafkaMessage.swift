/// A consumed message, copied out of librdkafka's buffers so it can cross concurrency domains.
public struct KafkaMessage: Sendable {
    public var topicPartition: KafkaTopicPartition
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Broker or producer timestamp in epoch milliseconds, when the message has one.
    public var timestamp: Int64?
    public var headers: [KafkaHeader]

    public init(
        topicPartition: KafkaTopicPartition, offset: Int64, key: [UInt8]?, value: [UInt8],
        timestamp: Int64? = nil, headers: [KafkaHeader] = []
    ) {
        self.topicPartition = topicPartition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }

    public var topic: String { topicPartition.topic }
    public var partition: Int32 { topicPartition.partition }
}
