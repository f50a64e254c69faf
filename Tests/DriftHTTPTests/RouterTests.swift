import DriftApp
import DriftCore
import DriftStore
@testable import DriftHTTP
import Foundation
import DriftStats
import Hummingbird
import Prometheus
import Testing

/// The HTTP API, auth and dashboard, over a socket, against a state database holding what a real monitor published:
/// DriftMonitor runs over synthetic traffic whose feature `x` shifts in the later windows.
@Suite struct RouterTests {
    struct Fixture {
        let store: StateStore
        let reports: [WindowReport]
        let alerts: [Alert]
        let triggers: [RetrainTrigger]
        var config = DriftwatchConfig()

        init() throws {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-http-\(UUID()).sqlite").path
            store = try StateStore(path: path)
            var settings = MonitorSettings()
            settings.windowSize = 10_000
            settings.allowedLateness = 0
            settings.bootstrapEvents = 200
            settings.policy.minimumWindowEvents = 20
            config.monitor = settings
            var monitor = DriftMonitor(settings: settings)
            var outputs: [MonitorOutput] = []
            var random = SplitMix64(seed: 7)
            // 20 ms apart: 200 reference events (4 s), then 6 windows of 10 s; x shifts from 34 s on.
            for index in 0..<3_200 {
                let time = Int64(index) * 20
                let event = PredictionEvent(
                    model: "fraud", modelVersion: "7", requestID: "r\(index)", time: EventTime(millisecondsSinceEpoch: time),
                    features: [
                        "x": .number(random.normal(mean: time >= 34_000 ? 3 : 0, sd: 1)),
                        "y": .number(random.normal(mean: 0, sd: 1)), "country": .category(random.unit() < 0.5 ? "DE" : "FR"),
                    ],
                    prediction: .score(random.unit()))
                outputs += monitor.ingest(event, at: EventPosition(partition: 0, offset: Int64(index)), receivedAt: 0)
            }
            try store.record(history: outputs.compactMap { output in
                output.publishedJSON.flatMap { StateStore.HistoryRecord(output, body: $0) }
            })
            reports = outputs.compactMap { if case .report(let report) = $0 { report } else { nil } }
            alerts = outputs.compactMap { if case .alert(let alert) = $0 { alert } else { nil } }
            triggers = outputs.compactMap { if case .trigger(let trigger) = $0 { trigger } else { nil } }
        }

        func app(token: String? = nil, ready: Bool = true) -> LiveServer {
            let sources = MonitorServer.Sources(
                config: config, store: store, registry: PrometheusCollectorRegistry(),
                readiness: { .init(ready: ready, waitingFor: ready ? nil : "partition assignment") })
            var settings = DriftwatchConfig.HTTP()
            settings.token = token
            return LiveServer(settings: settings, sources: sources)
        }
    }

    func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test func theFixtureDrifts() throws {
        let fixture = try Fixture()
        #expect(fixture.reports.count == 6)
        #expect(fixture.reports.map(\.status) == [.ok, .ok, .ok, .drift, .drift, .drift])
        #expect(fixture.alerts.count == 3)
        #expect(fixture.triggers.count == 3)
    }

    @Test func healthAndReadiness() async throws {
        let fixture = try Fixture()
        try await fixture.app(ready: false).serve { client in
            try await client.execute(uri: "/healthz") { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz") { response in
                #expect(response.status == .serviceUnavailable)
                let body = try json(response.body)
                #expect(body["waiting_for"] as? String == "partition assignment")
            }
        }
        try await fixture.app(ready: true).serve { client in
            try await client.execute(uri: "/readyz") { #expect($0.status == .ok) }
        }
    }

    @Test func modelsListTheHistory() async throws {
        let fixture = try Fixture()
        try await fixture.app().serve { client in
            try await client.execute(uri: "/api/models") { response in
                #expect(response.status == .ok)
                let models = try #require(try json(response.body)["models"] as? [[String: Any]])
                #expect(models.map { $0["model"] as? String } == ["fraud"])
                #expect(models.first?["windows"] as? Int == 6)
                #expect(models.first?["alerts"] as? Int == 3)
                #expect(models.first?["triggers"] as? Int == 3)
                let latest = try #require(models.first?["latest_report"] as? [String: Any])
                #expect(latest["id"] as? String == fixture.reports.last?.id)
                let references = try #require(models.first?["references"] as? [[String: Any]])
                #expect(references.isEmpty)  // Bootstrapped references are stored by the pipeline, not the monitor.
            }
        }
    }

    @Test func windowsAreFilteredByTimeAndReturnedAsPublished() async throws {
        let fixture = try Fixture()
        let third = fixture.reports[2]
        try await fixture.app().serve { client in
            try await client.execute(uri: "/api/models/fraud/windows") { response in
                let windows = try #require(try json(response.body)["windows"] as? [[String: Any]])
                #expect(windows.compactMap { $0["id"] as? String } == fixture.reports.map(\.id))
            }
            // [from, to) on window ends: the third window only, once by RFC 3339 and once by epoch ms.
            let from = third.window.end
            let to = EventTime(rfc3339: third.window.end)!.millisecondsSinceEpoch + 1
            try await client.execute(uri: "/api/models/fraud/windows?from=\(from)&to=\(to)") { response in
                let windows = try #require(try json(response.body)["windows"] as? [[String: Any]])
                #expect(windows.compactMap { $0["id"] as? String } == [third.id])
                let published = try JSONSerialization.jsonObject(with: Data(third.json())) as? NSDictionary
                #expect(windows.first.map { NSDictionary(dictionary: $0) } == published)
            }
            try await client.execute(uri: "/api/models/fraud/windows?limit=2") { response in
                let windows = try #require(try json(response.body)["windows"] as? [[String: Any]])
                #expect(windows.compactMap { $0["id"] as? String } == fixture.reports.suffix(2).map(\.id))
            }
            try await client.execute(uri: "/api/models/fraud/windows?from=yesterday") { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("'from' must be an RFC 3339 time"))
            }
            try await client.execute(uri: "/api/models/nobody/windows") { response in
                let body = try json(response.body)
                #expect((body["windows"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func alertsAndTriggers() async throws {
        let fixture = try Fixture()
        try await fixture.app().serve { client in
            try await client.execute(uri: "/api/alerts?model=fraud") { response in
                let alerts = try #require(try json(response.body)["alerts"] as? [[String: Any]])
                #expect(alerts.compactMap { $0["id"] as? String } == fixture.alerts.map(\.id))
            }
            try await client.execute(uri: "/api/triggers") { response in
                let entries = try #require(try json(response.body)["triggers"] as? [[String: Any]])
                #expect(entries.compactMap { ($0["event"] as? [String: Any])?["id"] as? String } == fixture.triggers.map(\.id))
                #expect(entries.allSatisfy { $0["outcome"] as? String == "pending" })  // No training service recorded one.
            }
            try await client.execute(uri: "/api/alerts?limit=0") { #expect($0.status == .badRequest) }
        }
    }

    @Test func aTokenIsRequiredWhenConfigured() async throws {
        let fixture = try Fixture()
        let token = "s3cret-token-for-tests"
        try await fixture.app(token: token).serve { client in
            for uri in ["/", "/metrics", "/api/models", "/healthz"] {
                try await client.execute(uri: uri) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers["www-authenticate"] == "Bearer realm=\"driftwatch\"")
                }
            }
            try await client.execute(uri: "/api/models", headers: ["Authorization": "Bearer wrong-token-for-tests"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/api/models", headers: ["Authorization": "Bearer \(token)"]) {
                #expect($0.status == .ok)
            }
            // A browser opens the dashboard once with ?token=…; the cookie it gets back opens the rest.
            var cookie = ""
            try await client.execute(uri: "/?token=\(token)") { response in
                #expect(response.status == .ok)
                cookie = try #require(response.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
            }
            #expect(cookie == "driftwatch_token=\(token)")
            try await client.execute(uri: "/api/alerts", headers: ["Cookie": cookie]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/alerts", headers: ["Cookie": "driftwatch_token=nope"]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func theDashboardDrawsDriftAgainstTheThreshold() async throws {
        let fixture = try Fixture()
        try await fixture.app().serve { client in
            try await client.execute(uri: "/") { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<svg data-chart=\"drift\""))
                #expect(html.contains("data-threshold=\"0.2\""))
                #expect(html.contains("<svg data-chart=\"heatmap\""))
                #expect(html.contains("<svg data-chart=\"timeline\""))
                // One polyline per feature, and the drifted windows of x flagged.
                #expect(html.components(separatedBy: "<polyline class=\"series\" data-series=\"x\"").count == 2)
                #expect(html.components(separatedBy: "class=\"point flagged\"").count - 1 == 3)
                #expect(html.components(separatedBy: "class=\"series drifted\"").count - 1 == 3)
                #expect(!html.contains("http://") && !html.contains("https://"))  // Nothing from elsewhere.
            }
        }
    }

    @Test func anEmptyDatabaseSaysSo() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-http-\(UUID()).sqlite").path
        let sources = MonitorServer.Sources(
            config: DriftwatchConfig(), store: try StateStore(path: path), registry: PrometheusCollectorRegistry(),
            readiness: { .init(ready: false) })
        let app = LiveServer(settings: DriftwatchConfig.HTTP(), sources: sources)
        try await app.serve { client in
            try await client.execute(uri: "/") { response in
                #expect(String(buffer: response.body).contains("No window has been reported yet"))
            }
            try await client.execute(uri: "/api/models") { response in
                #expect(String(buffer: response.body) == "{\"models\":[]}\n")
            }
        }
    }
}
