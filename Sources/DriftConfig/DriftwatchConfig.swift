import DriftCore
import DriftKafka
import Foundation

/// Everything `driftwatch run` needs, as read from `config/driftwatch.yaml` plus environment overrides.
public struct DriftwatchConfig: Sendable {
    public struct Kafka: Sendable {
        public var brokers = "127.0.0.1:19092"
        public var groupID = "driftwatch"
        public var clientID = "driftwatch"
        /// The consumer group's `session.timeout.ms`.
        public var sessionTimeout: Duration = .seconds(45)
        /// The consumer's `max.poll.interval.ms`.
        public var maxPollInterval: Duration = .seconds(300)
        /// librdkafka properties for every client, passed through unchanged (SASL, TLS, …).
        public var properties: [String: String] = [:]
        /// librdkafka properties for consumers only, applied after `properties`.
        public var consumerProperties: [String: String] = [:]
        /// librdkafka properties for producers only, applied after `properties`.
        public var producerProperties: [String: String] = [:]
        /// Publishing that keeps failing this long (the broker down or refusing) makes `/healthz` fail.
        public var unhealthyAfter: Duration = .seconds(300)

        public init() {}

        /// A librdkafka property's value for a consumer or producer (its own properties win), as a number.
        func number(_ name: String, consumer: Bool, default value: Int) -> Int {
            Int((consumer ? consumerProperties[name] : producerProperties[name]) ?? properties[name] ?? "") ?? value
        }
    }

    /// Topic names by role; the defaults are the names of the event contracts.
    public struct Topics: Sendable, Equatable {
        public var predictions = "predictions"
        public var features = "features"
        public var labels = "labels"
        public var deployments = "model.deployments"
        public var reports = "driftwatch.reports"
        public var alerts = "driftwatch.alerts"
        public var triggers = "retrain.triggers"
        public var deadletter = "driftwatch.deadletter"
        /// Compacted: references bootstrapped by any instance, keyed `model/version`, read whole by every instance.
        public var changelog = "driftwatch.changelog"
        /// Where late events are copied to (unchanged, with a `driftwatch.late` header); nil: only counted.
        public var late: String?

        public init() {}

        /// The roles in contract order, with the field that names each role's topic.
        static let fields: [(role: String, name: WritableKeyPath<Topics, String> & Sendable)] = [
            ("predictions", \.predictions), ("features", \.features), ("labels", \.labels),
            ("deployments", \.deployments), ("reports", \.reports), ("alerts", \.alerts),
            ("triggers", \.triggers), ("deadletter", \.deadletter), ("changelog", \.changelog),
        ]

        public static let roles = fields.map(\.role)

        /// The topic an output of this role goes to.
        public func topic(of role: Publication.Role) -> String {
            switch role {
            case .reports: reports
            case .triggers: triggers
            case .alerts: alerts
            case .changelog: changelog
            }
        }

        /// The topic name of a role (nil for an unknown role); setting nil is ignored.
        public subscript(role: String) -> String? {
            get { Self.fields.first { $0.role == role }.map { self[keyPath: $0.name] } }
            set {
                guard let newValue, let field = Self.fields.first(where: { $0.role == role }) else { return }
                self[keyPath: field.name] = newValue
            }
        }

        /// Every name with a suffix, for runs that need topics of their own (the demo, tests).
        public func suffixed(_ suffix: String) -> Topics {
            var copy = self
            for role in Self.roles { copy[role] = "\(self[role]!)\(suffix)" }
            copy.late = late.map { "\($0)\(suffix)" }
            return copy
        }
    }

    /// What input the monitor accepts; the rest goes to the dead-letter topic.
    public struct Input: Sendable {
        public enum UnknownModels: String, Sendable, CaseIterable {
            /// Monitor every model that sends events (references bootstrapped when none is stored).
            case accept
            /// Only the models of the `models` section; events of others are dead-lettered.
            case deadletter
        }

        public var maximumMessageBytes = 1_000_000
        public var unknownModels = UnknownModels.accept
        /// Events of one input partition the event-time merge may hold before that partition's fetching is
        /// paused (`input.max_held_events`); resumed at half.
        public var maximumHeldEvents = 100_000

        public init() {}
    }

    /// The training service (`driftwatch-trainer`).
    public struct Trainer: Sendable {
        public var groupID = "driftwatch-trainer"
        /// Fewer labelled training examples in the trigger's range: no retraining, an alert instead.
        public var minimumExamples = 200
        /// A candidate below this hold-out accuracy is rejected (and so is one below the deployed version's).
        public var accuracyFloor = 0.6

        public init() {}
    }

    /// Where alerts go besides `driftwatch.alerts`.
    public struct Alerts: Sendable {
        /// An HTTP(S) endpoint that gets each alert as a Slack-compatible JSON body (WebhookNotifier).
        public struct Webhook: Sendable, Equatable {
            public var url: URL
            public var timeout: Duration = .seconds(5)
            /// Attempts per alert (network errors, 429 and 5xx are retried with exponential backoff).
            public var attempts = 5
            /// Alerts waiting for delivery at most; more are dropped (and logged), the stream never waits.
            public var queueLimit = 1_000

            public init(url: URL) { self.url = url }
        }

        public var webhook: Webhook?

        public init() {}
    }

    /// The HTTP server: `/metrics`, `/healthz`, `/readyz`, the JSON API and the dashboard.
    public struct HTTP: Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 9464
        /// A bearer token every request must carry (`Authorization: Bearer …`); required off loopback.
        public var token: String?

        public init() {}

        /// True for 127.0.0.0/8, ::1 and localhost: nobody else can connect.
        public var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
    }

    public var kafka = Kafka()
    /// Nil: no HTTP server (`http.enabled: false`).
    public var http: HTTP? = HTTP()
    public var input = Input()
    public var alerts = Alerts()
    public var trainer = Trainer()
    public var topics = Topics()
    /// The defaults of every model.
    public var monitor = MonitorSettings()
    /// Models with settings of their own (the `models` section), each starting from the defaults.
    public var models: [String: MonitorSettings] = [:]
    /// The SQLite database with reference profiles.
    public var storePath = ".driftwatch/driftwatch.sqlite"
    /// How much event time of published outputs the database keeps for the API, the dashboard and `status`
    /// (older records are deleted); nil keeps everything.
    public var historyRetention: Int64? = 14 * 86_400_000
    /// Where this configuration came from, for messages.
    public var source = "built-in defaults"

    public init() {}

    /// What enters the monitor: `input.max_message_bytes`, and the configured models only when
    /// `input.unknown_models` is `deadletter`.
    public var admission: InputAdmission {
        InputAdmission(
            maximumBytes: input.maximumMessageBytes,
            knownModels: input.unknownModels == .deadletter ? Set(models.keys) : nil)
    }

    public var clientConfiguration: KafkaClientConfiguration {
        KafkaClientConfiguration(
            bootstrapServers: kafka.brokers, clientID: kafka.clientID, properties: kafka.properties)
    }

    public var consumerConfiguration: KafkaConsumerConfiguration {
        var client = clientConfiguration
        client.properties.merge(kafka.consumerProperties) { _, new in new }
        var configuration = KafkaConsumerConfiguration(client: client, groupID: kafka.groupID)
        configuration.sessionTimeout = kafka.sessionTimeout
        configuration.maxPollInterval = kafka.maxPollInterval
        return configuration
    }

    /// The most a produced record may take: the producer's `message.max.bytes` (librdkafka's default 1 000 000).
    public var producerMessageMaxBytes: Int { kafka.number("message.max.bytes", consumer: false, default: 1_000_000) }

    /// Where the message size limits disagree, each naming the keys: a message the monitor accepts
    /// (`input.max_message_bytes`) must be one the consumer can fetch (`fetch.max.bytes`,
    /// `receive.message.max.bytes`), and the producer must take at least a truncated dead letter with its headers.
    /// Larger dead letters are truncated to `message.max.bytes`, and reports too large for it compacted.
    public func messageSizeProblems() -> [String] {
        var problems: [String] = []
        let accepted = input.maximumMessageBytes
        let fetch = kafka.number("fetch.max.bytes", consumer: true, default: 52_428_800)
        let receive = kafka.number("receive.message.max.bytes", consumer: true, default: 100_000_000)
        if accepted > fetch {
            problems.append(
                "input.max_message_bytes (\(accepted)) is larger than the consumer's fetch.max.bytes (\(fetch)): raise "
                    + "kafka.consumer_properties.fetch.max.bytes or lower input.max_message_bytes")
        }
        if accepted + 512 > receive {
            problems.append(
                "input.max_message_bytes (\(accepted)) + 512 is larger than the consumer's receive.message.max.bytes "
                    + "(\(receive)): raise kafka.consumer_properties.receive.message.max.bytes or lower input.max_message_bytes"
            )
        }
        if producerMessageMaxBytes < 16_384 {
            problems.append(
                "the producer's message.max.bytes (\(producerMessageMaxBytes)) is under 16384: too small for window "
                    + "reports and truncated dead letters; raise kafka.producer_properties.message.max.bytes")
        }
        return problems
    }

    public var producerConfiguration: KafkaProducerConfiguration {
        var client = clientConfiguration
        client.properties.merge(kafka.producerProperties) { _, new in new }
        var configuration = KafkaProducerConfiguration(client: client)
        // A delivery that has not been acknowledged after 30 s is failed and sent again by the pipeline
        // (librdkafka's default waits 5 minutes); producer_properties may say otherwise.
        if client.properties["message.timeout.ms"] == nil { configuration.messageTimeout = .seconds(30) }
        return configuration
    }
}
