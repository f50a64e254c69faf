import DriftApp
import DriftConfig
import DriftCore
import DriftStats
import DriftStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@testable import DriftHTTP

/// The HTTP API, auth and dashboard, through HummingbirdTesting's router client, against a state database holding what a real monitor published:
/// DriftMonitor runs over synthetic traffic whose feature `x` shifts in the later windows.
@Suite struct RouterTests {
    struct Fixture {
        let store: StateStore
        let reports: [WindowReport]
        let alerts: [Alert]
        let triggers: [RetrainTrigger]
        var config = DriftwatchConfig()

        init() throws {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-http-\(UUID()).sqlite")
                .path
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
                    model: "fraud", modelVersion: "7", requestID: "r\(index)",
                    time: EventTime(millisecondsSinceEpoch: time),
                    features: [
                        "x": .number(random.normal(mean: time >= 34_000 ? 3 : 0, sd: 1)),
                        "y": .number(random.normal(mean: 0, sd: 1)),
                        "country": .category(random.unit() < 0.5 ? "DE" : "FR"),
                    ],
                    prediction: .score(random.unit()))
                outputs += monitor.ingest(event, at: EventPosition(partition: 0, offset: Int64(index)), receivedAt: 0)
            }
            try store.record(
                history: outputs.compactMap { output in
                    output.publishedJSON.flatMap { StateStore.HistoryRecord(output, body: $0) }
                })
            reports = outputs.compactMap { if case .report(let report) = $0 { report } else { nil } }
            alerts = outputs.compactMap { if case .alert(let alert) = $0 { alert } else { nil } }
            triggers = outputs.compactMap { if case .trigger(let trigger) = $0 { trigger } else { nil } }
        }

        func app(token: String? = nil, ready: Bool = true) -> some ApplicationProtocol {
            let sources = MonitorServer.Sources(
                settings: .init(defaults: config.monitor, models: config.models), store: store,
                registry: PrometheusCollectorRegistry(),
                readiness: { .init(ready: ready, waitingFor: ready ? nil : "partition assignment") })
            return Application(router: MonitorServer.router(token: token, sources: sources))
        }
    }

    func decode<Body: Decodable>(_ type: Body.Type, _ buffer: ByteBuffer) throws -> Body {
        try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
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
        try await fixture.app(ready: false).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try decode(APIResponses.Readiness.self, response.body)
                #expect(!body.ready && body.waitingFor == "partition assignment")
            }
        }
        try await fixture.app(ready: true).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func modelsListTheHistory() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/api/models", method: .get) { response in
                #expect(response.status == .ok)
                let models = try decode(APIResponses.Models.self, response.body).models
                #expect(models.map(\.model) == ["fraud"])
                let model = try #require(models.first)
                #expect(model.windows == 6 && model.alerts == 3 && model.triggers == 3)
                #expect(model.lastWindowEnd == fixture.reports.last?.window.end)
                #expect(model.latestReport == fixture.reports.last)
                // Bootstrapped references are stored by the pipeline, not the monitor.
                #expect(model.references.isEmpty)
            }
        }
    }

    @Test func windowsAreFilteredByTimeAndReturnedAsPublished() async throws {
        let fixture = try Fixture()
        let third = fixture.reports[2]
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/api/models/fraud/windows", method: .get) { response in
                let body = try decode(APIResponses.Windows.self, response.body)
                #expect(body.windows == fixture.reports)
            }
            // [from, to) on window ends: the third window only, once by RFC 3339 and once by epoch ms.
            let from = third.window.end
            let to = EventTime(rfc3339: third.window.end)!.millisecondsSinceEpoch + 1
            try await client.execute(uri: "/api/models/fraud/windows?from=\(from)&to=\(to)", method: .get) { response in
                let windows = try decode(APIResponses.Windows.self, response.body).windows
                #expect(windows == [third])
                // As published: the report's bytes are inside the response, unchanged.
                #expect(String(buffer: response.body).contains(String(decoding: third.json(), as: UTF8.self)))
            }
            try await client.execute(uri: "/api/models/fraud/windows?limit=2", method: .get) { response in
                let body = try decode(APIResponses.Windows.self, response.body)
                #expect(body.windows == Array(fixture.reports.suffix(2)))
            }
            try await client.execute(uri: "/api/models/fraud/windows?from=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("'from' must be an RFC 3339 time"))
            }
            try await client.execute(uri: "/api/models/nobody/windows", method: .get) { response in
                let body = try decode(APIResponses.Windows.self, response.body)
                #expect(body.windows.isEmpty)
            }
        }
    }

    @Test func alertsAndTriggers() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/api/alerts?model=fraud", method: .get) { response in
                let body = try decode(APIResponses.Alerts.self, response.body)
                #expect(body.alerts == fixture.alerts)
            }
            try await client.execute(uri: "/api/triggers", method: .get) { response in
                let entries = try decode(APIResponses.Triggers.self, response.body).triggers
                #expect(entries.map(\.event) == fixture.triggers)
                // No trainer recorded an outcome.
                #expect(entries.allSatisfy { $0.outcome == "pending" && $0.resultVersion == nil })
            }
            try await client.execute(uri: "/api/alerts?limit=0", method: .get) { #expect($0.status == .badRequest) }
        }
    }

    @Test func aTokenIsRequiredWhenConfigured() async throws {
        let fixture = try Fixture()
        let token = "s3cret-token-for-tests"
        try await fixture.app(token: token).test(.router) { client in
            for uri in ["/", "/metrics", "/api/models", "/healthz"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"driftwatch\"")
                }
            }
            try await client.execute(
                uri: "/api/models", method: .get, headers: [.authorization: "Bearer wrong-token-for-tests"]
            ) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/api/models", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                #expect($0.status == .ok)
            }
            // A browser opens the dashboard once with ?token=…; the cookie it gets back opens the rest.
            var cookie = ""
            try await client.execute(uri: "/?token=\(token)", method: .get) { response in
                #expect(response.status == .ok)
                cookie = try #require(response.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            }
            #expect(cookie == "driftwatch_token=\(token)")
            try await client.execute(uri: "/api/alerts", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/alerts", method: .get, headers: [.cookie: "driftwatch_token=nope"]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func theDashboardDrawsDriftAgainstTheThreshold() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
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
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-http-\(UUID()).sqlite")
            .path
        let sources = MonitorServer.Sources(
            settings: .init(defaults: MonitorSettings()), store: try StateStore(path: path),
            registry: PrometheusCollectorRegistry(),
            readiness: { .init(ready: false) })
        let app = Application(router: MonitorServer.router(token: nil, sources: sources))
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(String(buffer: response.body).contains("No window has been reported yet"))
            }
            try await client.execute(uri: "/api/models", method: .get) { response in
                #expect(String(buffer: response.body) == "{\"models\":[]}\n")
            }
            try await client.execute(uri: "/api/instance", method: .get) { #expect($0.status == .notFound) }
        }
    }

    /// What the pipeline stores about its standing in the group is served as it was stored, and summarised on
    /// the dashboard (and by `driftwatch status`).
    @Test func theInstanceStatusIsServedAndShown() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-http-\(UUID()).sqlite")
            .path
        let store = try StateStore(path: path)
        let status = InstanceStatus(
            group: "monitors", state: "running",
            partitions: [
                .init(topic: "predictions", partition: 1, position: 90, end: 100, lag: 10),
                .init(topic: "features", partition: 1, position: nil, end: 40, lag: nil),
                .init(topic: "predictions", partition: 4, position: 7, end: 7, lag: 0),
            ], updatedAt: "2026-12-04T04:00:00Z")
        try store.save(status)
        let sources = MonitorServer.Sources(
            settings: .init(defaults: MonitorSettings()), store: store, registry: PrometheusCollectorRegistry(),
            readiness: { .init(ready: true) })
        let app = Application(router: MonitorServer.router(token: nil, sources: sources))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/instance", method: .get) { response in
                let served = try decode(InstanceStatus.self, response.body)
                #expect(served == status)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(
                    String(buffer: response.body).contains(
                        "instance: running in group monitors · partitions 1, 4 · lag features unknown, predictions 10"))
            }
        }
    }
}
