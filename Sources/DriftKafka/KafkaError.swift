/// An error from librdkafka or from the wrapper, with the place in Driftwatch's code that raised it.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// A configuration property was unknown or had an invalid value.
        case configuration(property: String)
        /// The linked librdkafka is older than Driftwatch supports.
        case unsupportedLibrary
        /// librdkafka returned an error code (`rd_kafka_resp_err_t`, negative for local errors).
        case librdkafka(code: Int32)
    }

    /// The librdkafka error codes Driftwatch decides on, named as librdkafka names them (`rd_kafka_err2name`,
    /// without the `RD_KAFKA_RESP_ERR_` prefix; local errors keep their leading `_`).
    public enum Code: Int32, Sendable, CaseIterable {
        // Local (client-side) errors.
        case badMessage = -199
        case transport = -195
        case messageTimedOut = -192
        case unknownPartition = -190
        case unknownTopic = -188
        case allBrokersDown = -187
        case invalidArgument = -186
        case timedOut = -185
        case queueFull = -184
        case authentication = -169
        case fatal = -150
        // Broker errors.
        case invalidMessage = 2
        case unknownTopicOrPartition = 3
        case invalidMessageSize = 4
        case leaderNotAvailable = 5
        case notLeaderForPartition = 6
        case requestTimedOut = 7
        case networkException = 13
        case messageSizeTooLarge = 10
        case topicException = 17
        case recordListTooLarge = 18
        case notEnoughReplicas = 19
        case notEnoughReplicasAfterAppend = 20
        case topicAuthorizationFailed = 29
        case clusterAuthorizationFailed = 31
        case policyViolation = 44
        case kafkaStorageError = 56
        case invalidRecord = 87
        case throttlingQuotaExceeded = 89

        /// librdkafka's name of the code (`rd_kafka_err2name`).
        public var librdkafkaName: String {
            switch self {
            case .badMessage: "_BAD_MSG"
            case .transport: "_TRANSPORT"
            case .messageTimedOut: "_MSG_TIMED_OUT"
            case .unknownPartition: "_UNKNOWN_PARTITION"
            case .unknownTopic: "_UNKNOWN_TOPIC"
            case .allBrokersDown: "_ALL_BROKERS_DOWN"
            case .invalidArgument: "_INVALID_ARG"
            case .timedOut: "_TIMED_OUT"
            case .queueFull: "_QUEUE_FULL"
            case .authentication: "_AUTHENTICATION"
            case .fatal: "_FATAL"
            case .invalidMessage: "INVALID_MSG"
            case .unknownTopicOrPartition: "UNKNOWN_TOPIC_OR_PART"
            case .invalidMessageSize: "INVALID_MSG_SIZE"
            case .leaderNotAvailable: "LEADER_NOT_AVAILABLE"
            case .notLeaderForPartition: "NOT_LEADER_FOR_PARTITION"
            case .requestTimedOut: "REQUEST_TIMED_OUT"
            case .networkException: "NETWORK_EXCEPTION"
            case .messageSizeTooLarge: "MSG_SIZE_TOO_LARGE"
            case .topicException: "TOPIC_EXCEPTION"
            case .recordListTooLarge: "RECORD_LIST_TOO_LARGE"
            case .notEnoughReplicas: "NOT_ENOUGH_REPLICAS"
            case .notEnoughReplicasAfterAppend: "NOT_ENOUGH_REPLICAS_AFTER_APPEND"
            case .topicAuthorizationFailed: "TOPIC_AUTHORIZATION_FAILED"
            case .clusterAuthorizationFailed: "CLUSTER_AUTHORIZATION_FAILED"
            case .policyViolation: "POLICY_VIOLATION"
            case .kafkaStorageError: "KAFKA_STORAGE_ERROR"
            case .invalidRecord: "INVALID_RECORD"
            case .throttlingQuotaExceeded: "THROTTLING_QUOTA_EXCEEDED"
            }
        }
    }

    /// The name the linked librdkafka gives a code (`rd_kafka_err2name`), to check `Code` against its table.
    public static func libraryName(of code: Int32) -> String { RDKafkaLibrary.name(code) }

    /// What waiting can do about an error.
    public enum Disposition: Sendable, Equatable {
        /// The broker is down, slow, electing a leader or throttling: the same request may succeed later.
        case transient
        /// Nothing about this message will change: it is too large, invalid, refused by policy or authorization,
        /// or its topic does not exist. Retrying it can only fail again.
        case permanent
        /// The client itself is unusable (librdkafka's fatal error, e.g. a fenced idempotent producer): nothing
        /// it sends will pass until it is recreated, but the messages are not at fault and must not be dropped.
        case fatal
    }

    public let kind: Kind
    public let message: String
    public let file: String
    public let line: UInt

    public init(_ kind: Kind, _ message: String, file: String = #fileID, line: UInt = #line) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { message }

    /// The named code, when librdkafka raised one Driftwatch decides on.
    public var code: Code? {
        if case .librdkafka(let raw) = kind { return Code(rawValue: raw) }
        return nil
    }

    /// Classified where the error is born: the named permanent codes, configuration and library errors are
    /// permanent; librdkafka's `_FATAL` is fatal; every other librdkafka error (transport, timeouts, leader
    /// changes, full queues, and codes not named here) is transient.
    public var disposition: Disposition {
        guard case .librdkafka = kind else { return .permanent }
        return switch code {
        case .fatal:
            Disposition.fatal
        case .badMessage, .unknownPartition, .unknownTopic, .invalidArgument, .authentication,
            .invalidMessage, .unknownTopicOrPartition, .invalidMessageSize, .messageSizeTooLarge, .topicException,
            .recordListTooLarge, .topicAuthorizationFailed, .clusterAuthorizationFailed, .policyViolation,
            .invalidRecord:
            Disposition.permanent
        default:
            Disposition.transient
        }
    }

    /// The topic or partition does not exist: waiting will not help.
    public var isUnknownTopic: Bool {
        code == .unknownTopicOrPartition || code == .unknownTopic || code == .unknownPartition
    }

    /// The message is larger than the producer or the broker accepts.
    public var isTooLarge: Bool {
        code == .messageSizeTooLarge || code == .invalidMessageSize || code == .recordListTooLarge
    }

    /// Retrying later may work.
    public var isTransient: Bool { disposition == .transient }
}
