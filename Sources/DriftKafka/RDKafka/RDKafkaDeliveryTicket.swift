internal import CRdKafka

/// The per-message opaque of a produced message. `RDKafkaClient.produce` passes it retained as the message's
/// `_private`; the delivery report callback takes that retain back exactly once (librdkafka calls it once per
/// accepted message, success or permanent failure), so a ticket can neither leak nor be freed early.
final class RDKafkaDeliveryTicket: Sendable {
    let complete: @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void

    init(_ complete: @escaping @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void) {
        self.complete = complete
    }

    /// Called from the delivery report callback, on the thread that serves `rd_kafka_poll`.
    static func complete(_ message: UnsafePointer<rd_kafka_message_t>) {
        guard let opaque = message.pointee._private else { return }
        let ticket = Unmanaged<RDKafkaDeliveryTicket>.fromOpaque(opaque).takeRetainedValue()
        let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        let code = message.pointee.err
        if code == RD_KAFKA_RESP_ERR_NO_ERROR {
            ticket.complete(
                .success(
                    KafkaDeliveryReport(
                        topicPartition: KafkaTopicPartition(topic: topic, partition: message.pointee.partition),
                        offset: message.pointee.offset)))
        } else {
            ticket.complete(.failure(RDKafkaLibrary.error(code, "delivery to \(topic) failed")))
        }
    }
}
