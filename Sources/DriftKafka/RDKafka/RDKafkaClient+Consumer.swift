internal import CRdKafka

extension RDKafkaClient {
    func subscribe(_ topics: [String]) throws {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics {
            rd_kafka_topic_partition_list_add(list, topic, -1)  // RD_KAFKA_PARTITION_UA
        }
        let result = rd_kafka_subscribe(handle, list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw RDKafkaLibrary.error(result, "subscribe to \(topics)")
        }
    }

    /// Leaves the group's subscription (the partitions are revoked through the rebalance callback).
    func unsubscribe() throws {
        let result = rd_kafka_unsubscribe(handle)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaLibrary.error(result, "unsubscribe") }
    }

    /// Reads exactly these partitions from these offsets, outside any group assignment (no rebalances).
    func assign(_ offsets: [KafkaTopicPartitionOffset]) throws {
        let result = RDKafkaTopicPartitionList.withList(offsets) { rd_kafka_assign(handle, $0) }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaLibrary.error(result, "assign \(offsets)") }
    }

    /// The offset after the last message of each partition (its high watermark), asked of the broker.
    func highWatermarks(of partitions: [KafkaTopicPartition], timeoutMilliseconds: Int32) throws
        -> [KafkaTopicPartitionOffset]
    {
        try partitions.map { partition in
            var low: Int64 = 0
            var high: Int64 = 0
            let result = rd_kafka_query_watermark_offsets(
                handle, partition.topic, partition.partition, &low, &high, timeoutMilliseconds)
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw RDKafkaLibrary.error(result, "watermarks of \(partition)")
            }
            return KafkaTopicPartitionOffset(partition, offset: high)
        }
    }

    /// Stops (`pause`) or restarts fetching these assigned partitions; what was fetched and not handed over is
    /// fetched again from the position on resume.
    func setPaused(_ paused: Bool, _ partitions: [KafkaTopicPartition]) throws {
        let offsets = partitions.map { KafkaTopicPartitionOffset($0, offset: -1001) }
        let result = RDKafkaTopicPartitionList.withList(offsets) {
            paused ? rd_kafka_pause_partitions(handle, $0) : rd_kafka_resume_partitions(handle, $0)
        }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw RDKafkaLibrary.error(result, "\(paused ? "pause" : "resume") \(partitions)")
        }
    }

    /// Where each assigned partition stands: the consumer's position and the watermarks last seen in a fetch
    /// response (librdkafka's cached values: no broker round trip). Nil where librdkafka has none yet.
    func readings() -> [KafkaPartitionReading] {
        var assignment: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle, &assignment) == RD_KAFKA_RESP_ERR_NO_ERROR, let assignment else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(assignment) }
        guard rd_kafka_position(handle, assignment) == RD_KAFKA_RESP_ERR_NO_ERROR else { return [] }
        let count = Int(assignment.pointee.cnt)
        guard count > 0, let elements = assignment.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            var low: Int64 = -1
            var high: Int64 = -1
            let known =
                rd_kafka_get_watermark_offsets(handle, element.topic, element.partition, &low, &high)
                == RD_KAFKA_RESP_ERR_NO_ERROR
            return KafkaPartitionReading(
                RDKafkaTopicPartitionList.topicPartition(of: element),
                position: element.offset >= 0 ? element.offset : nil,
                lowWatermark: known && low >= 0 ? low : nil, highWatermark: known && high >= 0 ? high : nil)
        }
    }

    /// The number of partitions of `topic`, from the cluster's metadata.
    func partitionCount(of topic: String, timeoutMilliseconds: Int32) throws -> Int {
        guard let topicHandle = rd_kafka_topic_new(handle, topic, nil) else {
            throw RDKafkaLibrary.error(rd_kafka_last_error(), "open topic \(topic)")
        }
        defer { rd_kafka_topic_destroy(topicHandle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let result = rd_kafka_metadata(handle, 0, topicHandle, &metadata, timeoutMilliseconds)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw RDKafkaLibrary.error(result, "metadata of topic \(topic)")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        guard metadata.pointee.topic_cnt > 0 else {
            throw RDKafkaLibrary.error(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, "metadata of topic \(topic)")
        }
        let entry = metadata.pointee.topics[0]
        guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw RDKafkaLibrary.error(entry.err, "metadata of topic \(topic)")
        }
        return Int(entry.partition_cnt)
    }

    /// Blocks up to `timeoutMilliseconds` for the first message, then takes what is already queued, up to
    /// `maximum`. Rebalance callbacks run inside this call, on the caller's thread. What is queued is taken in
    /// batches (`rd_kafka_consume_batch_queue` on the group queue, as confluent-kafka-python's `consume` does):
    /// librdkafka's poll bookkeeping once per batch instead of once per message.
    func poll(maximum: Int, timeoutMilliseconds: Int32) throws -> [KafkaMessage] {
        guard let queue = consumerQueue else { throw RDKafkaLibrary.error(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP, "consume") }
        guard maximum > 0 else { return [] }
        var messages: [KafkaMessage] = []
        var topics = RDKafkaMessage.TopicNames()
        var fatal = false
        // Messages read before a revocation in this poll belong to partitions whose state is gone now (their
        // final checkpoint does not cover them): dropped, the next owner reads them again. Checked after every
        // call, as the callback runs inside them. A partition's assignment back is queued only after its
        // revocation's callback returned and the group rejoined, so the batch call (which never waits) cannot
        // see both; the waiting poll can (RebalanceTests), and the one message it returns is never stale:
        // librdkafka skips messages fetched before a partition's latest version bump
        // (`rd_kafka_op_version_outdated`). So that message is kept.
        func take(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
            defer { rd_kafka_message_destroy(message) }
            let code = message.pointee.err
            if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages.append(RDKafkaMessage.copy(message, topics: &topics))
            } else if code == RD_KAFKA_RESP_ERR__FATAL {
                fatal = true
            } else if code != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                // Per-partition or transient consumer errors; librdkafka keeps going.
                context.logger.warning("consumer error: \(RDKafkaMessage.errorText(message))")
            }
        }
        func dropGivenUp() {
            let givenUp = context.takeGivenUp()
            if !givenUp.isEmpty { messages.removeAll { givenUp.contains($0.topicPartition) } }
        }
        _ = context.takeGivenUp()
        let batch = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maximum)
        defer { batch.deallocate() }
        var waited = false
        // A parked rebalance (deferred mode) ends the poll: the owner completes it before polling again.
        while messages.count < maximum && !fatal && !context.hasParkedRebalance {
            let taken = rd_kafka_consume_batch_queue(queue, 0, batch, maximum - messages.count)
            guard taken >= 0 else { throw RDKafkaLibrary.error(rd_kafka_last_error(), "consume") }
            for index in 0..<taken { take(batch[index]!) }
            dropGivenUp()
            if taken > 0 { continue }
            // Nothing queued: wait for one message, once (the batch call would wait until `maximum` arrived).
            guard !waited && timeoutMilliseconds != 0 && messages.isEmpty && !context.hasParkedRebalance else { break }
            waited = true
            guard let message = rd_kafka_consumer_poll(handle, timeoutMilliseconds) else {
                dropGivenUp()
                break
            }
            dropGivenUp()
            take(message)
        }
        if let fatal = fatalError { throw fatal }
        if fatal { throw RDKafkaLibrary.error(RD_KAFKA_RESP_ERR__FATAL, "consumer") }
        return messages
    }

    /// Stores offsets for the next commit (`enable.auto.offset.store=false`): the caller says the work up to
    /// each offset is durable. Partitions no longer assigned are skipped, as librdkafka reports them.
    func storeOffsets(_ offsets: [KafkaTopicPartitionOffset]) {
        guard !offsets.isEmpty else { return }
        RDKafkaTopicPartitionList.withList(offsets) { list in
            let result = rd_kafka_offsets_store(handle, list)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                for (partition, reason) in RDKafkaTopicPartitionList.errors(in: list) {
                    context.logger.debug("offset not stored for \(partition): \(reason)")
                }
            }
        }
    }

    /// Synchronously commits the stored offsets. Nothing to commit is not an error.
    func commitStoredOffsets() throws {
        let result = rd_kafka_commit(handle, nil, 0)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR || result == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw RDKafkaLibrary.error(result, "commit offsets")
        }
    }

    /// The committed offsets of `partitions` (-1001 = none yet), asked of the group coordinator.
    func committedOffsets(_ partitions: [KafkaTopicPartition], timeoutMilliseconds: Int32) throws
        -> [KafkaTopicPartitionOffset]
    {
        let request = partitions.map { KafkaTopicPartitionOffset($0, offset: -1001) }
        return try RDKafkaTopicPartitionList.withList(request) { list in
            let result = rd_kafka_committed(handle, list, timeoutMilliseconds)
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaLibrary.error(result, "committed offsets") }
            let count = Int(list.pointee.cnt)
            return (0..<count).map { index in
                let element = list.pointee.elems[index]
                return KafkaTopicPartitionOffset(
                    RDKafkaTopicPartitionList.topicPartition(of: element), offset: element.offset)
            }
        }
    }

    /// Completes a parked rebalance (deferred mode), with where assigned partitions start or the final
    /// offsets of revoked ones.
    func completeRebalance(_ event: KafkaRebalanceEvent, offsets: [KafkaTopicPartitionOffset]) {
        RDKafkaRebalance.complete(handle, event, offsets: offsets, context)
    }

    /// Leaves the group: revokes the assignment (through the rebalance callback) and commits.
    func closeConsumer() throws {
        context.startClosing()
        if let parked = context.takeParkedRebalance() { completeRebalance(parked, offsets: []) }
        let result = rd_kafka_consumer_close(handle)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaLibrary.error(result, "close consumer") }
    }
}
