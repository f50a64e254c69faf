import DriftConfig
import DriftCore
import DriftKafka
import DriftStore
import Foundation
import Logging

/// The pipeline's side of the state topics: `model.deployments` (references announced by the training service)
/// and `driftwatch.changelog` (references bootstrapped and checkpoints published by any instance), read whole
/// by every instance. Deployments and changelog references are installed in the monitor and stored; checkpoints
/// go to the `CheckpointBook`; an unusable deployment is dead-lettered.
struct StateTopics: Sendable {
    let reader: StateTopicsReader
    let config: DriftwatchConfig
    let store: StateStore
    let checkpoints: CheckpointBook
    let logger: Logger
    private(set) var partitions: [KafkaTopicPartition] = []

    init(config: DriftwatchConfig, store: StateStore, checkpoints: CheckpointBook, logger: Logger) throws {
        reader = try StateTopicsReader(
            configuration: config.consumerConfiguration,
            topics: [config.topics.deployments, config.topics.changelog], logger: logger)
        self.config = config
        self.store = store
        self.checkpoints = checkpoints
        self.logger = logger
    }

    /// Assigns every partition of the state topics; a topic that does not exist is a configuration error.
    mutating func start() async throws {
        let reader = reader
        do {
            partitions = try await untilTheBrokerAnswers("reading the state topics", logger: logger) {
                try await reader.start()
            }
        } catch let error as KafkaError where error.isUnknownTopic {
            throw ConfigError(
                file: config.source,
                "cannot read the topics '\(config.topics.deployments)' and '\(config.topics.changelog)': \(error) "
                    + "(create the topics with `driftwatch topics apply`)")
        }
    }

    /// Reads the state topics to their current end (at most 5 s) into `monitor`; returns the records read and
    /// the dead letters of unusable deployments.
    func readToEnd(into monitor: inout DriftMonitor) async throws -> (records: Int, deadLetters: [KafkaOutgoingMessage])
    {
        let messages = try await reader.readToEnd(partitions: partitions, timeout: .seconds(5))
        return (messages.count, apply(messages, to: &monitor))
    }

    /// What arrived since the last read, without waiting, into `monitor`.
    func poll(into monitor: inout DriftMonitor) async throws -> [KafkaOutgoingMessage] {
        apply(try await reader.poll(), to: &monitor)
    }

    func close() async throws { try await reader.close() }

    /// Installs (and stores) the references of deployments and changelog records, and takes the checkpoints.
    /// Returns dead letters for unusable deployments.
    func apply(_ messages: [KafkaMessage], to monitor: inout DriftMonitor) -> [KafkaOutgoingMessage] {
        var deadLetters: [KafkaOutgoingMessage] = []
        for message in messages {
            let fromChangelog = message.topic == config.topics.changelog
            if fromChangelog && checkpoints.take(message) { continue }
            do {
                let deployment = try DeploymentEvent.decode(json: message.value)
                var reference =
                    try deployment.reference
                    ?? Self.reference(at: deployment.referenceURI!, version: deployment.modelVersion)
                if fromChangelog { reference.source = .bootstrap }
                try store.save(reference, model: deployment.model)
                monitor.install(reference, model: deployment.model)
                logger.log(
                    level: fromChangelog ? .debug : .notice,
                    fromChangelog ? "reference restored" : "reference deployed",
                    metadata: ["model.id": "\(deployment.model)", "model.version": "\(deployment.modelVersion)"])
            } catch {
                let problem = error as? EventDecodingError ?? EventDecodingError(.invalidValue, "\(error)")
                logger.warning(
                    "unusable \(fromChangelog ? "changelog record" : "deployment"): \(problem.message)",
                    metadata: ["kafka.topic": "\(message.topic)", "kafka.offset": "\(message.offset)"])
                if !fromChangelog {
                    deadLetters.append(
                        DeadLetter.message(for: message, error: problem, topic: config.topics.deadletter))
                }
            }
        }
        return deadLetters
    }

    /// Reads a profile's JSON from a `file://` URI (or a plain path).
    static func reference(at uri: String, version: String) throws -> ReferenceProfile {
        let path = uri.hasPrefix("file://") ? String(uri.dropFirst("file://".count)) : uri
        guard !uri.contains("://") || uri.hasPrefix("file://"), let data = FileManager.default.contents(atPath: path)
        else {
            throw EventDecodingError(.invalidValue, "reference_uri '\(uri)' is not a readable file:// path")
        }
        var profile = try ReferenceProfile.decode(json: Array(data))
        profile.modelVersion = version
        profile.source = .deployment
        return profile
    }
}

/// Runs `body` until the broker answers: transient Kafka errors (timeouts, an unreachable or paused broker, a
/// produce that was not acknowledged within `message.timeout.ms`) are logged and retried with backoff up to
/// 5 s; anything else is thrown, and so is cancellation or a graceful shutdown.
func untilTheBrokerAnswers<T>(_ what: String, logger: Logger, _ body: () async throws -> T) async throws -> T {
    var delay = Duration.milliseconds(500)
    while true {
        do {
            return try await body()
        } catch let error as KafkaError where error.isTransient && !isStopping() {
            logger.warning("\(what): \(error); retrying in \(delay)")
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}
