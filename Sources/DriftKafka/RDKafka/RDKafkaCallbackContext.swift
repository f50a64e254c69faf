internal import CRdKafka
import Logging
import Synchronization

/// The Swift object behind librdkafka's `opaque` pointer. It is retained by `RDKafkaClient` for the whole life
/// of the `rd_kafka_t` and released only after `rd_kafka_destroy` returns, so every callback finds it alive.
/// Callbacks arrive on librdkafka's threads: the logger is thread-safe and the rebalance handler is set once
/// before the handle exists; the last fatal error is guarded by a mutex.
final class RDKafkaCallbackContext: Sendable {
    let logger: Logger
    let rebalanceHandler: (@Sendable (KafkaRebalanceEvent) -> [KafkaTopicPartitionOffset])?
    /// Rebalance events are parked for the owner to complete (`RDKafkaRebalance`), not handled in the callback.
    let defersRebalances: Bool
    /// See `KafkaConsumerConfiguration.companionTopics`.
    let companionTopics: [String]
    private let lastError = Mutex<KafkaError?>(nil)
    private let givenUp = Mutex<Set<KafkaTopicPartition>>([])
    private let parked = Mutex<KafkaRebalanceEvent?>(nil)
    private let closing = Atomic(false)

    init(
        logger: Logger, rebalanceHandler: (@Sendable (KafkaRebalanceEvent) -> [KafkaTopicPartitionOffset])?,
        defersRebalances: Bool = false, companionTopics: [String] = []
    ) {
        self.logger = logger
        self.rebalanceHandler = rebalanceHandler
        self.defersRebalances = defersRebalances
        self.companionTopics = companionTopics
    }

    /// The group's partitions with their companions' partitions of the same numbers, each once, in order.
    func withCompanions(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition] {
        guard !companionTopics.isEmpty else { return partitions }
        var seen = Set<KafkaTopicPartition>()
        return partitions.flatMap { partition in
            [partition] + companionTopics.map { KafkaTopicPartition(topic: $0, partition: partition.partition) }
        }.filter { seen.insert($0).inserted }
    }

    /// A rebalance event waiting for its owner to complete it.
    var hasParkedRebalance: Bool { parked.withLock { $0 != nil } }

    func park(_ event: KafkaRebalanceEvent) { parked.withLock { $0 = event } }

    func takeParkedRebalance() -> KafkaRebalanceEvent? {
        parked.withLock { event in
            defer { event = nil }
            return event
        }
    }

    /// Set while the consumer closes: rebalances are then completed in the callback, without a handler.
    var isClosing: Bool { closing.load(ordering: .sequentiallyConsistent) }

    func startClosing() { closing.store(true, ordering: .sequentiallyConsistent) }

    /// A fatal client error seen by the error callback, if any.
    var fatalError: KafkaError? { lastError.withLock { $0 } }

    func recordFatal(_ error: KafkaError) { lastError.withLock { $0 = error } }

    /// Partitions revoked or lost since the last call (the rebalance callback records them).
    func takeGivenUp() -> Set<KafkaTopicPartition> {
        givenUp.withLock { partitions in
            defer { partitions = [] }
            return partitions
        }
    }

    func recordGivenUp(_ partitions: [KafkaTopicPartition]) { givenUp.withLock { $0.formUnion(partitions) } }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaCallbackContext? {
        opaque.map { Unmanaged<RDKafkaCallbackContext>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Installs the log, error and (for consumers) rebalance callbacks on `conf`.
    func install(on conf: OpaquePointer, rebalance: Bool) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            guard let context = RDKafkaCallbackContext.from(rd_kafka_opaque(rk)) else { return }
            let text = message.map { String(cString: $0) } ?? ""
            let facilityText = facility.map { String(cString: $0) } ?? ""
            context.logger.log(
                level: Logger.Level(syslog: level), "\(text)", metadata: ["kafka.facility": "\(facilityText)"])
        }
        rd_kafka_conf_set_error_cb(conf) { rk, code, reason, opaque in
            guard let context = RDKafkaCallbackContext.from(opaque) else { return }
            let text = reason.map { String(cString: $0) } ?? RDKafkaLibrary.describe(rd_kafka_resp_err_t(code))
            if rd_kafka_resp_err_t(code) == RD_KAFKA_RESP_ERR__FATAL, let rk {
                var buffer = [CChar](repeating: 0, count: 512)
                let original = rd_kafka_fatal_error(rk, &buffer, buffer.count)
                let detail = RDKafkaLibrary.text(of: buffer)
                context.recordFatal(RDKafkaLibrary.error(original, "fatal librdkafka error: \(detail)"))
                context.logger.critical("fatal librdkafka error: \(detail)")
            } else {
                // Transient (broker down, timeouts): librdkafka retries by itself.
                context.logger.warning("librdkafka: \(text)", metadata: ["kafka.error": "\(code)"])
            }
        }
        if rebalance {
            rd_kafka_conf_set_rebalance_cb(conf) { rk, code, partitions, opaque in
                guard let rk, let context = RDKafkaCallbackContext.from(opaque) else { return }
                RDKafkaRebalance.handle(rk, code, partitions, context)
            }
        }
    }
}

extension Logger.Level {
    /// Maps a syslog severity (librdkafka's log levels) to a swift-log level.
    init(syslog level: Int32) {
        switch level {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }
}
