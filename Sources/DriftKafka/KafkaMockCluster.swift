internal import CRdKafka
import Logging

/// librdkafka's in-process mock cluster, for tests that need no broker: clients connect to
/// `bootstrapServers`; topics are created with the mock API (the mock has no auto-creation a test could rely
/// on), and produce requests can be made to fail with chosen broker errors, which a real broker cannot be
/// asked to do. Never a substitute for the real broker tests.
public final class KafkaMockCluster: Sendable {
    private let client: RDKafkaClient
    public let bootstrapServers: String

    public init(logger: Logger) throws {
        client = try RDKafkaClient(.producer, properties: ["test.mock.num.brokers": "1"], logger: logger)
        guard let cluster = rd_kafka_handle_mock_cluster(client.handle) else {
            throw KafkaError(.configuration(property: "test.mock.num.brokers"), "librdkafka made no mock cluster")
        }
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    private var cluster: OpaquePointer { rd_kafka_handle_mock_cluster(client.handle)! }

    public func createTopic(_ name: String, partitions: Int32 = 1) throws {
        let result = rd_kafka_mock_topic_create(cluster, name, partitions, 1)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaLibrary.error(result, "mock topic \(name)") }
    }

    /// The next produce requests (one per code, in order) fail with these errors.
    public func failProduceRequests(with codes: [KafkaError.Code]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: $0.rawValue) }
        let produceRequest: Int16 = 0  // the Produce API key
        errors.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, produceRequest, buffer.count, buffer.baseAddress)
        }
    }
}
