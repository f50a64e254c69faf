import Crypto
import DriftCore
import DriftKafka

/// Builds `driftwatch.deadletter` records: the original key and bytes, with headers naming the error and the
/// source topic, partition and offset so the message can be found and replayed. A record the output topic
/// cannot take whole is truncated (`truncated(toFit:)`): its headers then say so, with the original's size
/// and SHA-256, and the source headers say where the whole message still lives.
public enum DeadLetter {
    public static let errorHeader = "driftwatch.error"
    public static let errorKindHeader = "driftwatch.error.kind"
    public static let sourceTopicHeader = "driftwatch.source.topic"
    public static let sourcePartitionHeader = "driftwatch.source.partition"
    public static let sourceOffsetHeader = "driftwatch.source.offset"
    /// `true` on a record whose value is the first bytes of the original only.
    public static let truncatedHeader = "driftwatch.truncated"
    public static let originalSizeHeader = "driftwatch.original.size"
    /// Lower-case hex SHA-256 of the whole original value (`sha256sum` prints the same).
    public static let originalSHA256Header = "driftwatch.original.sha256"

    static func message(for original: KafkaMessage, error: EventDecodingError, topic: String) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(
            topic: topic, key: original.key, value: original.value,
            headers: [
                KafkaHeader(key: errorHeader, string: error.message),
                KafkaHeader(key: errorKindHeader, string: error.kind.rawValue),
                KafkaHeader(key: sourceTopicHeader, string: original.topic),
                KafkaHeader(key: sourcePartitionHeader, string: String(original.partition)),
                KafkaHeader(key: sourceOffsetHeader, string: String(original.offset)),
            ])
    }

    /// The dead letter cut to at most `limit` bytes in all, with the truncation headers; nil when not even the
    /// headers fit.
    static func truncated(_ message: KafkaOutgoingMessage, toFit limit: Int) -> KafkaOutgoingMessage? {
        let original = message.value
        var result = message
        result.headers.removeAll { [truncatedHeader, originalSizeHeader, originalSHA256Header].contains($0.key) }
        result.headers += [
            KafkaHeader(key: truncatedHeader, string: "true"),
            KafkaHeader(key: originalSizeHeader, string: String(original.count)),
            KafkaHeader(key: originalSHA256Header, string: SHA256.hash(data: original).map { hex($0) }.joined()),
        ]
        result.value = []
        let room = limit - result.recordSize
        guard room > 0 else { return nil }
        result.value = Array(original.prefix(room))
        return result
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}

extension KafkaOutgoingMessage {
    /// What a record costs beyond its key, value and headers in a produce request (record batch header,
    /// varints, attributes): librdkafka's `message.max.bytes` counts them too.
    static let recordOverhead = 512

    /// The size the record counts against `message.max.bytes`, with a margin for the batch around it.
    var recordSize: Int {
        value.count + (key?.count ?? 0) + Self.recordOverhead
            + headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) }
    }
}
