import DriftConfig
import DriftCore
import Foundation
import Logging
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Delivers alerts to an HTTP endpoint as Slack-compatible JSON (`text` plus an attachment with the
/// evidence; Slack's incoming webhooks and most chat tools accept it) with the CloudEvents id, type and
/// source in `ce-*` headers, so any receiver can de-duplicate. `notify` never waits: alerts queue (bounded;
/// when full the newest are dropped and logged) and `run` posts them one by one, retrying network errors,
/// 429 and 5xx with exponential backoff. An id delivered once by this process is not posted again (a replay
/// after a crash may post it again: at least once).
public final class WebhookNotifier: Sendable {
    private let settings: DriftwatchConfig.Alerts.Webhook
    private let logger: Logger
    private let queue: AsyncStream<Alert>
    private let continuation: AsyncStream<Alert>.Continuation
    private let delivered = Mutex<(ids: Set<String>, order: [String])>(([], []))
    private let session: URLSession

    public init(settings: DriftwatchConfig.Alerts.Webhook, logger: Logger) {
        self.settings = settings
        self.logger = logger
        (queue, continuation) = AsyncStream.makeStream(
            of: Alert.self, bufferingPolicy: .bufferingOldest(settings.queueLimit))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = settings.timeout.seconds
        session = URLSession(configuration: configuration)
    }

    /// Queues an alert (its CloudEvent JSON) for delivery; returns at once.
    public func notify(alertJSON bytes: [UInt8]) {
        guard let alert = try? JSONDecoder().decode(Alert.self, from: Data(bytes)) else { return }
        if case .dropped = continuation.yield(alert) {
            logger.error("webhook queue full (\(settings.queueLimit)): alert \(alert.id) not delivered")
        }
    }

    /// No more alerts: `run` returns once the queued ones are delivered or given up.
    public func finish() { continuation.finish() }

    /// Posts queued alerts until `finish` (or cancellation).
    public func run() async {
        for await alert in queue {
            guard !isDelivered(alert.id) else { continue }
            if await post(alert) { remember(alert.id) }
        }
    }

    /// Posts with retries; true when the endpoint accepted it.
    func post(_ alert: Alert) async -> Bool {
        var request = URLRequest(url: settings.url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(alert.id, forHTTPHeaderField: "ce-id")
        request.setValue(alert.type, forHTTPHeaderField: "ce-type")
        request.setValue(alert.source, forHTTPHeaderField: "ce-source")
        request.setValue(alert.specversion, forHTTPHeaderField: "ce-specversion")
        request.httpBody = Data(Self.body(for: alert))
        var delay = Duration.milliseconds(500)
        for attempt in 1...settings.attempts {
            let outcome: String
            do {
                let (_, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { return true }
                outcome = "HTTP \(status)"
                if status != 429 && !(500..<600).contains(status) {
                    logger.error("webhook refused alert \(alert.id) (\(outcome)); not retried")
                    return false
                }
            } catch {
                outcome = "\(error.localizedDescription)"
            }
            guard attempt < settings.attempts, !Task.isCancelled else {
                logger.error("webhook: alert \(alert.id) not delivered after \(attempt) attempts (\(outcome))")
                return false
            }
            logger.warning("webhook: alert \(alert.id) attempt \(attempt) failed (\(outcome)); retrying in \(delay)")
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(30))
        }
        return false
    }

    private func isDelivered(_ id: String) -> Bool { delivered.withLock { $0.ids.contains(id) } }

    private func remember(_ id: String) {
        delivered.withLock {
            $0.ids.insert(id)
            $0.order.append(id)
            if $0.order.count > 10_000 {
                $0.ids.remove($0.order.removeFirst())
            }
        }
    }

    /// `{"text": …, "attachments": [{"color", "title", "fields"}]}`: Slack's incoming-webhook format.
    static func body(for alert: Alert) -> [UInt8] {
        struct Field: Encodable { var title: String, value: String, short: Bool }
        struct Attachment: Encodable { var color: String, title: String, fields: [Field] }
        struct Body: Encodable { var text: String, attachments: [Attachment] }
        let data = alert.data
        let evidence =
            data.features.map { feature in
                "\(feature.name): " + feature.breaches.map(describe).joined(separator: ", ")
            } + data.windowBreaches.map(describe)
        let color =
            switch data.severity {
            case .info: "#439FE0"
            case .warning: "warning"
            case .critical: "danger"
            }
        let body = Body(
            text:
                "[\(data.severity.rawValue)] \(data.model) v\(data.modelVersion): rule \(data.rule) fired on the window "
                + "\(data.window.start) – \(data.window.end)",
            attachments: [
                Attachment(
                    color: color, title: "Evidence (reference version \(data.referenceVersion))",
                    fields: evidence.map { Field(title: "", value: $0, short: false) } + [
                        Field(title: "report", value: data.reportID, short: false),
                        Field(title: "alert id", value: alert.id, short: false),
                    ])
            ])
        return CanonicalJSON.encode(body)
    }

    private static func describe(_ breach: RuleEvidence.Breach) -> String {
        "\(breach.statistic) \(breach.value) (\(breach.comparison) \(breach.threshold))"
    }
}
