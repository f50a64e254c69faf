internal import CRdKafka

/// Process-wide facts about the loaded librdkafka.
enum RDKafkaLibrary {
    static var runtimeVersion: KafkaLibraryVersion { KafkaLibraryVersion(packed: rd_kafka_version()) }

    /// librdkafka's text for an error code.
    static func describe(_ code: rd_kafka_resp_err_t) -> String {
        String(cString: rd_kafka_err2str(code))
    }

    /// librdkafka's name for an error code (`rd_kafka_err2name`).
    static func name(_ code: Int32) -> String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
    }

    /// The text librdkafka wrote into an `errstr` buffer.
    static func text(of buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func error(_ code: rd_kafka_resp_err_t, _ context: String, file: String = #fileID, line: UInt = #line)
        -> KafkaError
    {
        KafkaError(.librdkafka(code: code.rawValue), "\(context): \(describe(code))", file: file, line: line)
    }
}
