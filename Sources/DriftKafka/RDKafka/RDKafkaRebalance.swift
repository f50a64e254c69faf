internal import CRdKafka

/// Serves librdkafka's rebalance callback with the protocol in use (incremental for cooperative-sticky, full
/// for eager). Two modes:
/// - immediate: the handler runs inside the callback; on assignment the offsets it returns are where those
///   partitions start, on revocation it runs *before* the partitions are given up and the offsets it returns
///   are stored and committed right away (librdkafka's `rd_kafka_conf_set_rebalance_cb`);
/// - deferred (`RDKafkaCallbackContext.defersRebalances`): the callback only parks the event and `poll`
///   returns; the owner completes it later with `complete`, from its own loop, as librdkafka's event API and
///   swift-kafka-client do. librdkafka waits for the assign or unassign call meanwhile (and fetches nothing
///   new for the partitions concerned). While the consumer closes, events are completed at once.
enum RDKafkaRebalance {
    static func handle(
        _ rk: OpaquePointer, _ code: rd_kafka_resp_err_t,
        _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ context: RDKafkaCallbackContext
    ) {
        // The group's partitions bring their companions (co-partitioning): every event names both.
        let partitions = context.withCompanions(list.map(RDKafkaTopicPartitionList.partitions(of:)) ?? [])
        let event: KafkaRebalanceEvent
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            event = .assigned(partitions)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            event = rd_kafka_assignment_lost(rk) != 0 ? .lost(partitions) : .revoked(partitions)
        default:
            context.logger.error("rebalance error: \(RDKafkaLibrary.describe(code))")
            _ = rd_kafka_assign(rk, nil)
            return
        }
        context.logger.info("\(event.summary)", metadata: ["kafka.partitions": "\(partitions)"])
        if context.defersRebalances && !context.isClosing {
            context.park(event)
            return
        }
        let offsets = context.rebalanceHandler?(event) ?? []
        if case .revoked = event { context.recordGivenUp(partitions) }
        if case .lost = event { context.recordGivenUp(partitions) }
        complete(rk, event, offsets: offsets, context)
    }

    /// Applies `event` to librdkafka's assignment: assigned partitions start at `offsets` where given (else at
    /// the committed offsets); revoked ones have `offsets` stored and committed before they are given up.
    static func complete(
        _ rk: OpaquePointer, _ event: KafkaRebalanceEvent, offsets: [KafkaTopicPartitionOffset],
        _ context: RDKafkaCallbackContext
    ) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        switch event {
        case .assigned(let partitions):
            let starts = partitions.map { partition in
                offsets.first { $0.topicPartition == partition } ?? KafkaTopicPartitionOffset(partition, offset: -1001)
            }
            RDKafkaTopicPartitionList.withList(starts) { list in
                if cooperative {
                    report(rd_kafka_incremental_assign(rk, list), "incremental assign", context)
                } else {
                    let result = rd_kafka_assign(rk, list)
                    if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                        context.logger.error("assign failed: \(RDKafkaLibrary.describe(result))")
                    }
                }
            }
            context.logger.info(
                "partitions assigned", metadata: ["kafka.partitions": "\(partitions)", "kafka.starts": "\(offsets)"])
        case .revoked(let partitions), .lost(let partitions):
            if case .revoked = event {
                // Store and commit the final offsets before the partitions move to another member.
                if !offsets.isEmpty {
                    RDKafkaTopicPartitionList.withList(offsets) { _ = rd_kafka_offsets_store(rk, $0) }
                }
                let result = rd_kafka_commit(rk, nil, 0)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR && result != RD_KAFKA_RESP_ERR__NO_OFFSET {
                    context.logger.warning("commit on revoke failed: \(RDKafkaLibrary.describe(result))")
                }
            }
            if cooperative {
                RDKafkaTopicPartitionList.withList(partitions.map { KafkaTopicPartitionOffset($0, offset: -1001) }) {
                    report(rd_kafka_incremental_unassign(rk, $0), "incremental unassign", context)
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        }
    }

    private static func report(_ error: OpaquePointer?, _ what: String, _ context: RDKafkaCallbackContext) {
        guard let error else { return }
        context.logger.error("\(what) failed: \(String(cString: rd_kafka_error_string(error)))")
        rd_kafka_error_destroy(error)
    }
}

extension KafkaRebalanceEvent {
    /// For the log: what happened.
    var summary: String {
        switch self {
        case .assigned: "partitions given by the group"
        case .revoked: "partitions revoked"
        case .lost: "partitions lost"
        }
    }
}
