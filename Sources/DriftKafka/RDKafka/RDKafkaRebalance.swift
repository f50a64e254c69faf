internal import CRdKafka

/// Serves librdkafka's rebalance callback: tells Swift and applies the new assignment with the protocol in
/// use (incremental for cooperative-sticky, full for eager). On assignment the offsets the handler returns are
/// where those partitions start (instead of the committed offsets). On revocation the handler runs *before*
/// the partitions are given up; the offsets it returns are stored and committed right away (see librdkafka's
/// `rd_kafka_conf_set_rebalance_cb` documentation).
enum RDKafkaRebalance {
    static func handle(
        _ rk: OpaquePointer, _ code: rd_kafka_resp_err_t,
        _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ context: RDKafkaCallbackContext
    ) {
        let partitions = list.map(RDKafkaTopicPartitionList.partitions(of:)) ?? []
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let starts = context.rebalanceHandler?(.assigned(partitions)) ?? []
            if let list, !starts.isEmpty {
                for index in 0..<Int(list.pointee.cnt) {
                    let element = RDKafkaTopicPartitionList.topicPartition(of: list.pointee.elems[index])
                    if let start = starts.first(where: { $0.topicPartition == element }) {
                        list.pointee.elems[index].offset = start.offset
                    }
                }
            }
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) {
                    context.logger.error("incremental assign failed: \(String(cString: rd_kafka_error_string(error)))")
                    rd_kafka_error_destroy(error)
                }
            } else {
                let result = rd_kafka_assign(rk, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                    context.logger.error("assign failed: \(RDKafkaLibrary.describe(result))")
                }
            }
            context.logger.info("partitions assigned", metadata: ["kafka.partitions": "\(partitions)", "kafka.starts": "\(starts)"])
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            context.logger.info(
                lost ? "partitions lost" : "partitions revoked", metadata: ["kafka.partitions": "\(partitions)"])
            let finalOffsets = context.rebalanceHandler?(lost ? .lost(partitions) : .revoked(partitions)) ?? []
            context.recordGivenUp(partitions)
            if !lost {
                // Store and commit the handler's final offsets before the partitions move to another member.
                if !finalOffsets.isEmpty {
                    RDKafkaTopicPartitionList.withList(finalOffsets) { _ = rd_kafka_offsets_store(rk, $0) }
                }
                let result = rd_kafka_commit(rk, nil, 0)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR && result != RD_KAFKA_RESP_ERR__NO_OFFSET {
                    context.logger.warning("commit on revoke failed: \(RDKafkaLibrary.describe(result))")
                }
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) {
                    context.logger.error("incremental unassign failed: \(String(cString: rd_kafka_error_string(error)))")
                    rd_kafka_error_destroy(error)
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        default:
            context.logger.error("rebalance error: \(RDKafkaLibrary.describe(code))")
            _ = rd_kafka_assign(rk, nil)
        }
    }
}
