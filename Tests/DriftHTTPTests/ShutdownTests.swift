import DriftApp
import DriftCore
import DriftHTTP
import DriftStore
import Foundation
import Logging
import Prometheus
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The demo's server stops when its task is cancelled: gracefully, with nothing logged at error level.
@Suite struct ShutdownTests {
    /// Every record's level and message, from any thread.
    final class Records: Sendable {
        let entries = Mutex<[(Logger.Level, String)]>([])
    }

    struct CapturingHandler: LogHandler {
        let records: Records
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            records.entries.withLock { $0.append((event.level, "\(event.message)")) }
        }
    }

    @Test func aCancelledServerShutsDownWithoutLoggingErrors() async throws {
        let records = Records()
        let logger = Logger(label: "driftwatch.tests.http") { _ in CapturingHandler(records: records) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-http-\(UUID()).sqlite")
            .path
        let sources = MonitorServer.Sources(
            settings: .init(defaults: MonitorSettings()), store: try StateStore(path: path),
            registry: PrometheusCollectorRegistry(),
            readiness: { .init(ready: true) })
        let settings = MonitorServer.Listener(host: "127.0.0.1", port: 0)
        let address = Mutex<String?>(nil)
        let server = MonitorHTTPService(settings: settings, sources: sources, logger: logger) { url in
            address.withLock { $0 = url }
        }
        let running = Task { try await server.runUntilCancelled() }
        // Counted in waits, not wall-clock time: in a full run CPU-bound suites can hold the pool's threads for
        // longer than any deadline, and then neither the server nor this loop runs.
        for _ in 0..<3_000 where address.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        let url = try #require(address.withLock { $0 })
        let (_, response) = try await URLSession.shared.data(from: URL(string: url + "healthz")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)

        running.cancel()
        try await running.value
        let errors = records.entries.withLock { $0.filter { $0.0 >= .error }.map(\.1) }
        #expect(errors.isEmpty, "\(errors)")
    }
}
