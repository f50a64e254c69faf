internal import CRdKafka

extension RDKafkaClient {
    /// Creates topics with librdkafka's Admin API and blocks for the result (up to `timeoutMilliseconds`).
    func createTopics(_ specs: [KafkaTopicSpec], timeoutMilliseconds: Int32) throws -> [KafkaTopicCreation] {
        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for spec in specs {
            guard
                let topic = rd_kafka_NewTopic_new(
                    spec.name, spec.partitions, spec.replicationFactor, &errorText, errorText.count)
            else {
                throw KafkaError(
                    .configuration(property: spec.name), "topic \(spec.name): \(RDKafkaLibrary.text(of: errorText))")
            }
            newTopics.append(topic)
            for (key, value) in spec.config.sorted(by: { $0.key < $1.key }) {
                let result = rd_kafka_NewTopic_set_config(topic, key, value)
                guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw RDKafkaLibrary.error(result, "topic \(spec.name) config \(key)=\(value)")
                }
            }
        }
        let event = try adminRequest("create topics", RD_KAFKA_ADMIN_OP_CREATETOPICS, timeoutMilliseconds) {
            options, queue in
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        let result = rd_kafka_event_CreateTopics_result(event)
        var count = 0
        guard let topics = rd_kafka_CreateTopics_result_topics(result, &count) else { return [] }
        return (0..<count).map { index in
            let topic = topics[index]
            let code = rd_kafka_topic_result_error(topic)
            let message = rd_kafka_topic_result_error_string(topic).map { String(cString: $0) }
            let name = String(cString: rd_kafka_topic_result_name(topic))
            switch code {
            case RD_KAFKA_RESP_ERR_NO_ERROR: return KafkaTopicCreation(name: name, outcome: .created)
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: return KafkaTopicCreation(name: name, outcome: .alreadyExists)
            default:
                return KafkaTopicCreation(
                    name: name, outcome: .failed(message ?? RDKafkaLibrary.describe(code)))
            }
        }
    }
}

extension RDKafkaClient {
    /// Deletes topics with librdkafka's Admin API and blocks for the result; returns each topic's error text,
    /// nil where it was deleted.
    func deleteTopics(_ names: [String], timeoutMilliseconds: Int32) throws -> [String: String?] {
        var deleted: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { for topic in deleted { rd_kafka_DeleteTopic_destroy(topic) } }
        let event = try adminRequest("delete topics", RD_KAFKA_ADMIN_OP_DELETETOPICS, timeoutMilliseconds) {
            options, queue in
            deleted.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_DeleteTopics(handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        guard let topics = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count) else {
            return [:]
        }
        var outcome: [String: String?] = [:]
        for index in 0..<count {
            let topic = topics[index]
            let code = rd_kafka_topic_result_error(topic)
            outcome[String(cString: rd_kafka_topic_result_name(topic))] =
                code == RD_KAFKA_RESP_ERR_NO_ERROR
                ? nil
                : (rd_kafka_topic_result_error_string(topic).map { String(cString: $0) }
                    ?? RDKafkaLibrary.describe(code))
        }
        return outcome
    }
}

extension RDKafkaClient {
    /// Runs one Admin API request: `start` issues it with the options (request timeout set) and a queue of its
    /// own; returns the result event, which the caller destroys. Throws when the broker does not answer in time
    /// or the request as a whole failed.
    fileprivate func adminRequest(
        _ what: String, _ operation: rd_kafka_admin_op_t, _ timeoutMilliseconds: Int32,
        start: (OpaquePointer?, OpaquePointer?) -> Void
    ) throws -> OpaquePointer {
        var errorText = [CChar](repeating: 0, count: 512)
        let options = rd_kafka_AdminOptions_new(handle, operation)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errorText, errorText.count)
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        start(options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 1000) else {
            throw KafkaError(
                .librdkafka(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue),
                "\(what): no answer from the broker within \(timeoutMilliseconds) ms")
        }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let text = String(cString: rd_kafka_event_error_string(event))
            rd_kafka_event_destroy(event)
            throw RDKafkaLibrary.error(eventError, "\(what): \(text)")
        }
        return event
    }
}
