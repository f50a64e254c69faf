import DriftKafka
import Testing

/// Errors are classified where they are born, by named codes that must be librdkafka's own.
@Suite struct KafkaErrorClassificationTests {
    @Test(arguments: KafkaError.Code.allCases)
    func namedCodesAreLibrdkafkas(code: KafkaError.Code) {
        #expect(KafkaError.libraryName(of: code.rawValue) == code.librdkafkaName, "\(code.rawValue)")
    }

    @Test func tooLargeInvalidAndRefusedArePermanentTheRestTransient() {
        func error(_ code: KafkaError.Code) -> KafkaError { KafkaError(.librdkafka(code: code.rawValue), "test") }
        for code: KafkaError.Code in [
            .messageSizeTooLarge, .invalidRecord, .policyViolation, .topicAuthorizationFailed,
            .recordListTooLarge, .unknownTopicOrPartition, .invalidMessage,
        ] {
            #expect(error(code).disposition == .permanent, "\(code)")
        }
        for code: KafkaError.Code in [
            .transport, .allBrokersDown, .timedOut, .messageTimedOut, .queueFull,
            .leaderNotAvailable, .notLeaderForPartition, .requestTimedOut, .notEnoughReplicas,
        ] {
            #expect(error(code).disposition == .transient, "\(code)")
        }
        #expect(error(.messageSizeTooLarge).isTooLarge && !error(.invalidRecord).isTooLarge)
        // A code Driftwatch does not name is assumed to pass (retried with backoff, never dropped).
        #expect(KafkaError(.librdkafka(code: 9_999), "test").disposition == .transient)
        #expect(KafkaError(.configuration(property: "x"), "test").disposition == .permanent)
        // A fatal client error is neither: the publisher keeps the messages and the instance turns unhealthy.
        #expect(error(.fatal).disposition == .fatal && !error(.fatal).isTransient)
    }
}
