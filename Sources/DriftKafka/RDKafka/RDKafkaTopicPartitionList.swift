internal import CRdKafka

/// Conversions between `rd_kafka_topic_partition_list_t` and Swift values.
enum RDKafkaTopicPartitionList {
    static func partitions(of list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartition] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            topicPartition(of: elements[index])
        }
    }

    static func topicPartition(of element: rd_kafka_topic_partition_t) -> KafkaTopicPartition {
        KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
    }

    /// Calls `body` with a temporary list holding `offsets`; the list is destroyed afterwards.
    static func withList<R>(
        _ offsets: [KafkaTopicPartitionOffset],
        _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws -> R
    ) rethrows -> R {
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for entry in offsets {
            let element = rd_kafka_topic_partition_list_add(
                list, entry.topicPartition.topic, entry.topicPartition.partition)!
            element.pointee.offset = entry.offset
        }
        return try body(list)
    }

    /// Per-partition errors left in a list by a call such as `rd_kafka_offsets_store`.
    static func errors(in list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [(
        KafkaTopicPartition, String
    )] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).compactMap { index in
            let element = elements[index]
            guard element.err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            return (
                topicPartition(of: element),
                RDKafkaLibrary.describe(element.err)
            )
        }
    }
}
