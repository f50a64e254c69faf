import Dispatch
import Logging

/// Administrative calls (librdkafka's Admin API) through a client of its own.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient

    public init(configuration: KafkaClientConfiguration, logger: Logger) throws {
        client = try RDKafkaClient(.producer, properties: configuration.merged([:], enforced: [:]), logger: logger)
    }

    /// Creates the topics; one that already exists is reported as such, not as an error.
    public func createTopics(_ specs: [KafkaTopicSpec], timeout: Duration = .seconds(30)) async throws
        -> [KafkaTopicCreation]
    {
        let client = self.client
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { [unowned client] in  // the awaiting caller keeps the admin alive
                continuation.resume(with: Result { try client.createTopics(specs, timeoutMilliseconds: milliseconds) })
            }
        }
    }

    /// Deletes the topics; throws when the broker refuses one.
    public func deleteTopics(_ names: [String], timeout: Duration = .seconds(30)) async throws {
        let client = self.client
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let outcome = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { [unowned client] in
                continuation.resume(with: Result { try client.deleteTopics(names, timeoutMilliseconds: milliseconds) })
            }
        }
        if let (name, error) = outcome.first(where: { $0.value != nil }) {
            throw KafkaError(.librdkafka(code: -1), "delete topic \(name): \(error!)")
        }
    }
}
