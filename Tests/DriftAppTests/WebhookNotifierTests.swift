import DriftCore
import Foundation
import Glibc
import Logging
import Synchronization
import Testing

@testable import DriftApp
@testable import DriftConfig
@testable import DriftPipeline

/// Webhook delivery against a real HTTP listener on loopback: Slack-compatible body, CloudEvents headers,
/// retries on 5xx, no retry on other 4xx, each alert id posted once.
@Suite struct WebhookNotifierTests {
    /// A one-connection-at-a-time HTTP/1.1 listener that answers with the scripted statuses in turn (then 200)
    /// and records each request's head and body.
    final class Listener: Sendable {
        let port: UInt16
        private let socket: Int32
        private let requests = Mutex<[(head: String, body: String)]>([])
        private let statuses: Mutex<[Int]>

        init(statuses: [Int]) throws {
            self.statuses = Mutex(statuses)
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            guard bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            socket = fd
            port = UInt16(bigEndian: address.sin_port)
            let thread = Thread { [self] in serve() }
            thread.start()
        }

        var received: [(head: String, body: String)] { requests.withLock { $0 } }

        private func serve() {
            while true {
                let connection = accept(socket, nil, nil)
                guard connection >= 0 else { return }
                var data = [UInt8]()
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = read(connection, &buffer, buffer.count)
                    guard count > 0 else { break }
                    data += buffer[0..<count]
                    let text = String(decoding: data, as: UTF8.self)
                    guard let split = text.range(of: "\r\n\r\n") else { continue }
                    let head = String(text[..<split.lowerBound])
                    let length =
                        head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                    let body = String(text[split.upperBound...])
                    guard body.utf8.count >= length else { continue }
                    requests.withLock { $0.append((head, body)) }
                    let status = statuses.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
                    let reply = "HTTP/1.1 \(status) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    _ = reply.withCString { write(connection, $0, strlen($0)) }
                    break
                }
                close(connection)
            }
        }

        deinit { close(socket) }
    }

    static func alert(rule: String = "accuracy-floor") throws -> Alert {
        let json = try Data(contentsOf: TopicContractTests.topics.appendingPathComponent("samples/alert.json"))
        var alert = try JSONDecoder().decode(Alert.self, from: json)
        alert.id += "/\(rule)-\(UUID().uuidString)"
        return alert
    }

    static func notifier(_ listener: Listener, attempts: Int = 3) -> WebhookNotifier {
        var settings = DriftwatchConfig.Alerts.Webhook(url: URL(string: "http://127.0.0.1:\(listener.port)/hook")!)
        settings.attempts = attempts
        return WebhookNotifier(settings: settings, logger: Logger(label: "test"))
    }

    @Test func anAlertIsPostedAsSlackJSONAndRetriedAfterServerErrors() async throws {
        let listener = try Listener(statuses: [503, 500])
        let notifier = Self.notifier(listener)
        let alert = try Self.alert()
        notifier.notify(alertJSON: alert.json())
        notifier.notify(alertJSON: alert.json())  // a replayed duplicate: posted once
        notifier.finish()
        await notifier.run()

        let requests = listener.received
        #expect(requests.count == 3)  // 503, 500, then 200; the duplicate is skipped
        let head = try #require(requests.last?.head.lowercased())
        #expect(head.hasPrefix("post /hook http/1.1"))
        #expect(head.contains("ce-id: \(alert.id.lowercased())"))
        #expect(head.contains("ce-type: dev.driftwatch.alert"))
        let body = try #require(
            try JSONSerialization.jsonObject(with: Data(requests.last!.body.utf8)) as? [String: Any])
        let text = try #require(body["text"] as? String)
        #expect(
            text.contains(alert.data.model) && text.contains(alert.data.rule)
                && text.contains("[\(alert.data.severity.rawValue)]"))
        let attachments = try #require(body["attachments"] as? [[String: Any]])
        #expect(attachments.first?["fields"] as? [[String: Any]] != nil)
    }

    @Test func aRefusedAlertIsNotRetried() async throws {
        let listener = try Listener(statuses: [400])
        let notifier = Self.notifier(listener)
        notifier.notify(alertJSON: try Self.alert().json())
        notifier.finish()
        await notifier.run()
        #expect(listener.received.count == 1)
    }

    @Test func anUnreachableEndpointIsGivenUpAfterItsAttempts() async throws {
        var settings = DriftwatchConfig.Alerts.Webhook(url: URL(string: "http://127.0.0.1:9/hook")!)
        settings.attempts = 2
        let notifier = WebhookNotifier(settings: settings, logger: Logger(label: "test"))
        #expect(await notifier.post(try Self.alert()) == false)
    }
}
