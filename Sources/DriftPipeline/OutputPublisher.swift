import DriftCore
import DriftKafka
import Foundation
import Logging
import Synchronization

/// Publishes a batch's outputs so that no single message can stop the monitor. Each message's failure is dealt
/// with by its kind (`KafkaError.disposition`):
/// - transient (broker down, time-outs, leader changes) or fatal for the producer (a restart recreates it):
///   the failed messages are sent again with backoff,
///   without end while the monitor runs; `/readyz` says why, and after `unhealthyAfter` of failing `/healthz`
///   does too. On shutdown it gives up after `shutdownPatience` and throws `PublicationError.brokerGone`.
/// - too large: a dead letter is truncated to what the topic takes, a window report compacted (see
///   `WindowReport.compacted`), each retried smaller until it fits or nothing is left to cut;
/// - other permanent errors, an unknown topic that stays unknown for `unknownTopicPatience`, and what cannot be
///   cut: the message is skipped — logged, counted in `driftwatch_outputs_skipped_total{topic,reason}` and in
///   the outcome — never retried again.
final class OutputPublisher: Sendable {
    struct Outcome: Sendable {
        var published: [KafkaOutgoingMessage] = []
        var skipped: [(message: KafkaOutgoingMessage, error: KafkaError)] = []
    }

    struct Settings: Sendable {
        /// The producer's `message.max.bytes`: the most a record may take.
        var maximumBytes = 1_000_000
        var unhealthyAfter: Duration = .seconds(300)
        var unknownTopicPatience: Duration = .seconds(30)
        var shutdownPatience: Duration = .seconds(10)
        var firstBackoff: Duration = .milliseconds(500)
        var maximumBackoff: Duration = .seconds(5)
    }

    private let producer: KafkaProducer
    private let settings: Settings
    private let logger: Logger
    private let metrics: PipelineMetrics
    private let failure = Mutex<(since: ContinuousClock.Instant, error: String)?>(nil)

    init(producer: KafkaProducer, settings: Settings, logger: Logger, metrics: PipelineMetrics) {
        self.producer = producer
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
    }

    /// While publishing fails: since when and why (for `/readyz` and `/healthz`).
    var failing: (duration: Duration, error: String)? {
        failure.withLock { state in state.map { (ContinuousClock.now - $0.since, $0.error) } }
    }

    /// Failing for longer than `unhealthyAfter`.
    var isUnhealthy: Bool { (failing?.duration ?? .zero) > settings.unhealthyAfter }

    /// Publishes `messages`; returns once each is acknowledged or skipped. `stopping` says the monitor is
    /// shutting down.
    func publish(_ messages: [KafkaOutgoingMessage], stopping: @Sendable () -> Bool) async throws -> Outcome {
        var outcome = Outcome()
        var pending = messages
        var backoff = settings.firstBackoff
        var unknownSince: [String: ContinuousClock.Instant] = [:]
        var stoppingSince: ContinuousClock.Instant?
        while !pending.isEmpty {
            let results = await producer.deliver(pending)
            var retry: [KafkaOutgoingMessage] = []
            var transient: KafkaError?
            for (message, result) in zip(pending, results) {
                switch result {
                case .success:
                    outcome.published.append(message)
                case .failure(let error) where error.isTooLarge:
                    if let smaller = adapt(message, error: error) {
                        retry.append(smaller)
                    } else {
                        skip(message, error, &outcome)
                    }
                case .failure(let error) where error.isUnknownTopic:
                    let since = unknownSince[message.topic, default: .now]
                    unknownSince[message.topic] = since
                    if ContinuousClock.now - since < settings.unknownTopicPatience {
                        retry.append(message)
                        transient = transient ?? error
                    } else {
                        skip(message, error, &outcome)
                    }
                case .failure(let error) where error.isTransient || error.disposition == .fatal:
                    // A fatal client error is not the message's fault: kept and retried, so the instance turns
                    // unhealthy (a restart makes a new producer) and nothing is lost.
                    retry.append(message)
                    transient = transient ?? error
                case .failure(let error):
                    skip(message, error, &outcome)
                }
            }
            pending = retry
            guard !pending.isEmpty else { break }
            if let transient {
                let since = failure.withLock { state in
                    if state == nil { state = (.now, "\(transient)") } else { state!.error = "\(transient)" }
                    return state!.since
                }
                metrics.publishFailing(true)
                metrics.publishRetried()
                if stopping() {
                    let start = stoppingSince ?? .now
                    stoppingSince = start
                    if ContinuousClock.now - start > settings.shutdownPatience {
                        throw PublicationError.brokerGone(pending: pending.count, lastError: transient)
                    }
                }
                let failingFor = ContinuousClock.now - since
                logger.warning(
                    "publishing \(pending.count) outputs failed: \(transient); retrying in \(backoff)",
                    metadata: ["publish.failing_seconds": "\(failingFor.components.seconds)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, settings.maximumBackoff)
            }
        }
        let recovered = failure.withLock { state in
            defer { state = nil }
            return state != nil
        }
        if recovered {
            metrics.publishFailing(false)
            logger.notice("publishing works again")
        }
        return outcome
    }

    /// A smaller version of a message the broker or the producer found too large, or nil when it has none.
    private func adapt(_ message: KafkaOutgoingMessage, error: KafkaError) -> KafkaOutgoingMessage? {
        let size = message.recordSize
        // What the limit is: the producer's, or (refused by the broker at or under it) half of what was sent.
        let limit = size > settings.maximumBytes ? settings.maximumBytes : size / 2
        guard limit >= 1024 else { return nil }
        if message.headers.contains(where: { $0.key == DeadLetter.errorHeader }) {
            guard let truncated = DeadLetter.truncated(message, toFit: limit) else { return nil }
            metrics.adapted(topic: message.topic, how: "truncated")
            logger.warning(
                "dead letter of \(message.value.count) bytes truncated to \(truncated.value.count) (\(error))",
                metadata: ["kafka.topic": "\(message.topic)"])
            return truncated
        }
        guard let report = try? JSONDecoder().decode(WindowReport.self, from: Data(message.value)),
            report.type == "window", report.compacted == nil || !report.features.isEmpty
        else { return nil }
        let original = report.compacted?.originalBytes ?? message.value.count
        var compacted = report.compacted(originalBytes: original, limitBytes: limit, everyFeature: false)
        var smaller = message
        smaller.value = compacted.json()
        if smaller.recordSize > limit || smaller.value.count >= message.value.count {
            compacted = report.compacted(originalBytes: original, limitBytes: limit, everyFeature: true)
            smaller.value = compacted.json()
        }
        guard smaller.value.count < message.value.count else { return nil }
        metrics.adapted(topic: message.topic, how: "compacted")
        logger.warning(
            "window report \(report.id) of \(message.value.count) bytes compacted to \(smaller.value.count) (\(error))",
            metadata: ["kafka.topic": "\(message.topic)", "model.id": "\(report.model)"])
        return smaller
    }

    private func skip(_ message: KafkaOutgoingMessage, _ error: KafkaError, _ outcome: inout Outcome) {
        let reason = error.code?.librdkafkaName ?? "error"
        metrics.skipped(topic: message.topic, reason: reason)
        logger.error(
            "output skipped for good (\(message.value.count) bytes): \(error)",
            metadata: ["kafka.topic": "\(message.topic)", "publish.reason": "\(reason)"])
        outcome.skipped.append((message, error))
    }
}

/// Why a publication ended without publishing everything.
public enum PublicationError: Error, CustomStringConvertible {
    /// Shutting down while the broker did not take the outputs: they were not acknowledged, so neither the
    /// checkpoint nor the offsets moved past them; the next start publishes them again.
    case brokerGone(pending: Int, lastError: KafkaError)

    /// `driftwatch run`'s exit code for it.
    public static let exitCode: Int32 = 3

    public var description: String {
        switch self {
        case .brokerGone(let pending, let error):
            "shut down with \(pending) outputs unacknowledged: the broker did not take them (\(error)); they are published again on the next start"
        }
    }
}
