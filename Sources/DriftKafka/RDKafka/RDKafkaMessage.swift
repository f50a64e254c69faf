internal import CRdKafka

/// Copies consumed messages out of librdkafka's buffers.
enum RDKafkaMessage {
    /// The names of the topic handles of one poll: a batch mostly comes from one or a few topics, and a
    /// topic name of more than 15 bytes costs an allocation per message if made anew.
    struct TopicNames {
        private var handle: OpaquePointer?
        private var name = ""

        mutating func name(of topic: OpaquePointer) -> String {
            if topic != handle {
                handle = topic
                name = String(cString: rd_kafka_topic_name(topic))
            }
            return name
        }
    }

    static func copy(_ raw: UnsafeMutablePointer<rd_kafka_message_t>, topics: inout TopicNames) -> KafkaMessage {
        let message = raw.pointee
        let topic = topics.name(of: message.rkt)
        let value = message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.len)) } ?? []
        let key = message.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.key_len)) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(raw, &timestampType)
        return KafkaMessage(
            topicPartition: KafkaTopicPartition(topic: topic, partition: message.partition),
            offset: message.offset,
            key: key,
            value: value,
            timestamp: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp,
            headers: headers(of: raw)
        )
    }

    static func headers(of raw: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(raw, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else { return [] }
        var result: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(headers, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            result.append(
                KafkaHeader(
                    key: name.map { String(cString: $0) } ?? "",
                    value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
            index += 1
        }
        return result
    }

    static func errorText(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) -> String {
        let code = raw.pointee.err
        var text = RDKafkaLibrary.describe(code)
        if let rkt = raw.pointee.rkt {
            text += " (\(String(cString: rd_kafka_topic_name(rkt)))[\(raw.pointee.partition)])"
        }
        if let payload = raw.pointee.payload, raw.pointee.len > 0 {
            text +=
                ": " + String(decoding: UnsafeRawBufferPointer(start: payload, count: raw.pointee.len), as: UTF8.self)
        }
        return text
    }
}
