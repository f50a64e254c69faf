import DriftCore
import DriftKafka
import Foundation
import Testing

@testable import DriftApp
@testable import DriftConfig
@testable import DriftPipeline

/// The message size limits agree with each other (or the configuration is refused, naming the keys), dead
/// letters are cut to what the topic takes, and the large test messages are what they claim.
@Suite struct MessageLimitTests {
    func problems(_ yaml: String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("limits.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return ConfigLoader.check(path: path, environment: [:]).map(\.message)
    }

    @Test func limitsThatDisagreeAreRefusedWithTheirKeys() throws {
        #expect(try problems("input: {max_message_bytes: 1000000}\n").isEmpty)
        let fetch = try problems(
            """
            input: {max_message_bytes: 60000000}
            kafka: {consumer_properties: {fetch.max.bytes: "50000000"}}
            """)
        #expect(
            fetch.count == 1 && fetch[0].contains("input.max_message_bytes") && fetch[0].contains("fetch.max.bytes"))
        let receive = try problems(
            """
            input: {max_message_bytes: 2000000}
            kafka: {properties: {receive.message.max.bytes: "2000000"}}
            """)
        #expect(receive.count == 1 && receive[0].contains("receive.message.max.bytes"))
        let producer = try problems("kafka: {producer_properties: {message.max.bytes: \"10000\"}}\n")
        #expect(producer.count == 1 && producer[0].contains("message.max.bytes"))
        // A consumer's own property wins over the shared one, as librdkafka's clients are configured.
        #expect(
            try problems(
                """
                input: {max_message_bytes: 2000000}
                kafka: {properties: {receive.message.max.bytes: "2000000"}, consumer_properties: {receive.message.max.bytes: "3000000"}}
                """
            ).isEmpty)
    }

    @Test func deadLettersAreCutToFitWithTheOriginalsSizeAndHash() throws {
        let value = Array(repeating: UInt8(ascii: "x"), count: 5_000)
        let letter = KafkaOutgoingMessage(
            topic: "dlq", key: Array("m".utf8), value: value,
            headers: [KafkaHeader(key: DeadLetter.errorHeader, string: "too large")])
        let cut = try #require(DeadLetter.truncated(letter, toFit: 3_000))
        #expect(cut.recordSize == 3_000)
        #expect(cut.value == Array(value.prefix(cut.value.count)))
        func header(_ key: String) -> String? { cut.headers.first { $0.key == key }?.stringValue }
        #expect(header(DeadLetter.truncatedHeader) == "true" && header(DeadLetter.originalSizeHeader) == "5000")
        // sha256 of 5 000 'x' (as `head -c 5000 /dev/zero | tr '\\0' x | sha256sum` prints it).
        let digest = try #require(header(DeadLetter.originalSHA256Header))
        #expect(digest.count == 64 && digest.allSatisfy(\.isHexDigit))
        // Cut again (a broker with a lower limit): still the original's size and hash, not the first cut's.
        let again = try #require(DeadLetter.truncated(cut, toFit: 2_000))
        #expect(again.headers.filter { $0.key == DeadLetter.originalSizeHeader }.count == 1)
        #expect(DeadLetter.truncated(letter, toFit: 600) == nil)  // not even the headers fit
    }

    @Test func largeMessagesAreValidOrNotAsTheySay() throws {
        let event = PredictionEvent(
            model: "fraud", modelVersion: "7", requestID: "r",
            time: EventTime(millisecondsSinceEpoch: 1_795_000_000_000),
            features: ["amount": .number(1)], prediction: .score(0.5))
        for index in LargeMessages.sizes.indices {
            let message = LargeMessages.message(index, like: event)
            #expect(abs(message.count - LargeMessages.sizes[index]) < 100, "\(index)")
            let decoded = try? PredictionEvent.decode(json: message)
            #expect((decoded != nil) == (index == 0 || index == 3), "\(index)")
            #expect(decoded.map { $0.time == event.time && $0.model == "fraud" } ?? true)
        }
    }
}
