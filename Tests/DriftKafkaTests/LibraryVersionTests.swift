import DriftKafka
import Logging
import Testing

@Suite struct LibraryVersionTests {
    @Test func refusesLibrariesOlderThan2_10WithAFix() throws {
        for packed: Int32 in [0x0200_02ff, 0x0208_00ff, 0x0209_09ff, 0x0109_00ff] {  // 2.0.2, 2.8.0, 2.9.9, 1.9.0
            let version = KafkaLibraryVersion(packed: packed)
            let thrown = #expect(throws: KafkaError.self) { try KafkaLibraryVersion.requireSupported(version) }
            #expect(thrown?.kind == .unsupportedLibrary)
            #expect(thrown?.message.contains("librdkafka \(version) is loaded") == true)
            #expect(thrown?.message.contains("scripts/setup") == true)
        }
    }

    @Test func accepts2_10AndNewer() throws {
        for packed: Int32 in [0x020A_00ff, 0x020E_02ff, 0x0300_00ff] {  // 2.10.0, 2.14.2, 3.0.0
            try KafkaLibraryVersion.requireSupported(KafkaLibraryVersion(packed: packed))
        }
    }

    @Test func decodesThePackedForm() {
        let version = KafkaLibraryVersion(packed: 0x020E_02ff)
        #expect((version.major, version.minor, version.revision) == (2, 14, 2))
        #expect(version.description == "2.14.2")
    }

    /// The binary must load the librdkafka scripts/setup built (via its rpath), not Debian's 2.0.2.
    @Test func theLoadedLibraryIsSupported() throws {
        #expect(
            KafkaLibraryVersion.runtime >= KafkaLibraryVersion.minimumSupported, "loaded \(KafkaLibraryVersion.runtime)"
        )
        try KafkaLibraryVersion.requireSupported()
    }

    @Test func deliveryGuaranteesCannotBeConfiguredAway() throws {
        var consumer = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: "127.0.0.1:1"), groupID: "g")
        consumer.client.properties["enable.auto.offset.store"] = "true"
        let thrown = #expect(throws: KafkaError.self) {
            try KafkaConsumer(configuration: consumer, logger: .init(label: "t"))
        }
        #expect(thrown?.kind == .configuration(property: "enable.auto.offset.store"))

        var producer = KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: "127.0.0.1:1"))
        producer.client.properties["enable.idempotence"] = "false"
        #expect(throws: KafkaError.self) { try KafkaProducer(configuration: producer, logger: .init(label: "t")) }
    }
}
