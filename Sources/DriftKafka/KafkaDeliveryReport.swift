/// Where the broker stored a produced message.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topicPartition: KafkaTopicPartition
    public var offset: Int64
}
