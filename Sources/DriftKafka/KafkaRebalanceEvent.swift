/// A change of the consumer's assignment, reported from librdkafka's rebalance callback. The handler's
/// return value matters only for `revoked`; return `[]` otherwise.
public enum KafkaRebalanceEvent: Sendable, Equatable {
    /// Partitions added to this consumer (incrementally, with cooperative-sticky). The handler may return
    /// where some of them start; the others start at the group's committed offsets.
    case assigned([KafkaTopicPartition])
    /// Partitions taken away in an orderly rebalance. The handler runs before they are given up and returns
    /// the final offsets to store for them; the consumer commits those right after the handler returns.
    case revoked([KafkaTopicPartition])
    /// Partitions lost (session timed out): another member may already own them, so nothing is committed.
    case lost([KafkaTopicPartition])
}
