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

    /// The topic or partition does not exist (RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, or librdkafka's local
    /// __UNKNOWN_TOPIC / __UNKNOWN_PARTITION): waiting will not help.
    public var isUnknownTopic: Bool {
        if case .librdkafka(let code) = kind { return code == 3 || code == -188 || code == -190 }
        return false
    }

    /// Errors that mean the broker did not answer in time or could not be reached: retrying later may work.
    public var isTransient: Bool {
        if case .librdkafka = kind { return !isUnknownTopic }
        return false
    }
}
