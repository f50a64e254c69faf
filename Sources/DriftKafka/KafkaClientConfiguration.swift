/// Settings shared by every Kafka client. Any librdkafka property (CONFIGURATION.md) can be added to
/// `properties`, so SASL, TLS and tuning need no code; the typed fields are the ones Driftwatch reads itself.
public struct KafkaClientConfiguration: Sendable {
    /// `bootstrap.servers`: comma-separated host:port list.
    public var bootstrapServers: String
    /// `client.id`, shown in broker logs.
    public var clientID: String = "driftwatch"
    /// Extra librdkafka properties, applied after the typed fields.
    public var properties: [String: String] = [:]

    public init(bootstrapServers: String, clientID: String = "driftwatch", properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.properties = properties
    }

    func merged(_ typed: [String: String], enforced: [String: String]) throws -> [String: String] {
        var all = ["bootstrap.servers": bootstrapServers, "client.id": clientID]
        all.merge(typed) { _, new in new }
        all.merge(properties) { _, new in new }
        for (key, value) in enforced {
            if let given = all[key], given != value {
                throw KafkaError(
                    .configuration(property: key),
                    "librdkafka property \(key)=\(given) is not allowed: Driftwatch's delivery guarantees need \(key)=\(value); remove it from the kafka section"
                )
            }
            all[key] = value
        }
        return all
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, as librdkafka's `*.ms` properties take them.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension KafkaClientConfiguration {
    /// Checks one librdkafka property the way `rd_kafka_conf_set` will: unknown names and invalid values throw.
    public static func validate(property key: String, value: String) throws {
        try RDKafkaConfig.validate(key, value)
    }
}
