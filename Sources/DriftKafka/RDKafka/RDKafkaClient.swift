internal import CRdKafka
import Logging

/// Owns one `rd_kafka_t`. librdkafka handles are thread-safe, and the handle is destroyed exactly once, in
/// `deinit`, after which the callback context (kept alive by this object) is released: that is why this
/// wrapper of an `OpaquePointer` may be `@unchecked Sendable`. Calls that librdkafka documents as
/// blocking (poll, commit, close, flush) are made by the owners from their own threads, never from the
/// cooperative pool.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind { case producer, consumer }

    let handle: OpaquePointer
    let context: RDKafkaCallbackContext
    let kind: Kind
    /// A consumer's group queue (a reference to it), from which `poll` takes messages in batches.
    let consumerQueue: OpaquePointer?

    init(
        _ kind: Kind, properties: [String: String], logger: Logger,
        rebalanceHandler: (@Sendable (KafkaRebalanceEvent) -> [KafkaTopicPartitionOffset])? = nil,
        defersRebalances: Bool = false, companionTopics: [String] = []
    ) throws {
        try KafkaLibraryVersion.requireSupported()
        let context = RDKafkaCallbackContext(
            logger: logger, rebalanceHandler: rebalanceHandler, defersRebalances: defersRebalances,
            companionTopics: companionTopics)
        let conf = try RDKafkaConfig.make(properties)
        context.install(on: conf, rebalance: kind == .consumer)
        if kind == .producer {
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
                guard let message else { return }
                RDKafkaDeliveryTicket.complete(message)
            }
        }
        var errorText = [CChar](repeating: 0, count: 512)
        guard
            let handle = rd_kafka_new(
                kind == .consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf, &errorText, errorText.count)
        else {
            rd_kafka_conf_destroy(conf)
            let reason = RDKafkaLibrary.text(of: errorText)
            throw KafkaError(.configuration(property: ""), "could not create the Kafka client: \(reason)")
        }
        self.handle = handle
        self.context = context
        self.kind = kind
        if kind == .consumer {
            // Serve rebalance, log and error events from the consumer queue, so one poll sees them all.
            rd_kafka_poll_set_consumer(handle)
            consumerQueue = rd_kafka_queue_get_consumer(handle)
        } else {
            consumerQueue = nil
        }
    }

    deinit {
        if let consumerQueue { rd_kafka_queue_destroy(consumerQueue) }
        rd_kafka_destroy(handle)
    }

    /// The fatal error librdkafka reported, if any; a client with one must be recreated.
    var fatalError: KafkaError? { context.fatalError }
}
