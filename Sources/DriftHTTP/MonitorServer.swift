import DriftCore
import DriftStore
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// Driftwatch's HTTP server: `/healthz`, `/readyz`, `/metrics` (Prometheus text format), the JSON API over the
/// SQLite history (`/api/models`, `/api/models/{model}/windows?from&to&limit`, `/api/alerts`, `/api/triggers`)
/// and the dashboard at `/`. With a token configured every request needs it (BearerTokenMiddleware).
public enum MonitorServer {
    /// What `/readyz` reports: ready, or what the monitor is still waiting for.
    public struct Readiness: Sendable {
        public var ready: Bool
        public var waitingFor: String?

        public init(ready: Bool, waitingFor: String? = nil) {
            self.ready = ready
            self.waitingFor = waitingFor
        }
    }

    /// Where the server listens, and the bearer token every request must carry (nil: none).
    public struct Listener: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var token: String?

        public init(host: String, port: Int, token: String? = nil) {
            self.host = host
            self.port = port
            self.token = token
        }
    }

    /// The monitor settings the dashboard draws thresholds from: the defaults and each model's own.
    public struct ModelSettings: Sendable {
        public var defaults: MonitorSettings
        public var models: [String: MonitorSettings]

        public init(defaults: MonitorSettings, models: [String: MonitorSettings] = [:]) {
            self.defaults = defaults
            self.models = models
        }

        public func settings(for model: String) -> MonitorSettings { models[model] ?? defaults }
    }

    /// Everything the routes read from.
    public struct Sources: Sendable {
        public var settings: ModelSettings
        public var store: StateStore
        public var registry: PrometheusCollectorRegistry
        public var readiness: @Sendable () -> Readiness
        /// For `/healthz`: nil when healthy, else why not.
        public var unhealthy: @Sendable () -> String?

        public init(
            settings: ModelSettings, store: StateStore, registry: PrometheusCollectorRegistry,
            readiness: @escaping @Sendable () -> Readiness, unhealthy: @escaping @Sendable () -> String? = { nil }
        ) {
            self.settings = settings
            self.store = store
            self.registry = registry
            self.readiness = readiness
            self.unhealthy = unhealthy
        }
    }

    /// The server as a service, listening on `settings`' address.
    public static func application(
        _ settings: Listener, sources: Sources, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(token: settings.token, sources: sources),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "driftwatch"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }

    public static func router(token: String?, sources: Sources) -> Router<BasicRequestContext> {
        let router = Router()
        if let token { router.add(middleware: BearerTokenMiddleware(token: token)) }
        let api = HistoryAPI(store: sources.store)
        router.get("healthz") { _, _ in
            guard let reason = sources.unhealthy() else { return Response.text("ok\n") }
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "unhealthy: \(reason)\n")))
        }
        router.get("readyz") { _, _ in
            let readiness = sources.readiness()
            return Response.json(
                APIResponses.Readiness(
                    ready: readiness.ready, waitingFor: readiness.ready ? nil : readiness.waitingFor ?? "start-up"),
                status: readiness.ready ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: sources.registry.emitToBuffer())))
        }
        router.get("api/models") { _, _ in try api.models() }
        router.get("api/models/:model/windows") { request, context in
            try api.windows(model: try context.parameters.require("model"), query: request.query)
        }
        router.get("api/alerts") { request, _ in try api.alerts(query: request.query) }
        router.get("api/instance") { _, _ in try api.instance() }
        router.get("api/triggers") { request, _ in try api.triggers(query: request.query) }
        router.get("/") { request, _ in
            let windows = Int(request.uri.queryParameters.get("windows") ?? "") ?? 60
            let page = try DashboardPage(
                settings: sources.settings, store: sources.store, windows: min(max(windows, 2), 1_000))
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: page.html())))
        }
        return router
    }
}

extension Request {
    /// The query parameters (the last of repeated ones).
    fileprivate var query: [String: String] {
        uri.queryParameters.reduce(into: [:]) { $0[String($1.key)] = String($1.value) }
    }
}

extension Response {
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The HTTP server as a service next to the monitor: logs where it listens, and turns a failure to listen
/// into an error that names the address and the setting to change.
public struct MonitorHTTPService: Service {
    let settings: MonitorServer.Listener
    let sources: MonitorServer.Sources
    let logger: Logger
    let onListening: @Sendable (String) async -> Void

    public init(
        settings: MonitorServer.Listener, sources: MonitorServer.Sources, logger: Logger,
        onListening: @escaping @Sendable (_ url: String) async -> Void = { _ in }
    ) {
        self.settings = settings
        self.sources = sources
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        let listening = Atomic(false)
        let app = MonitorServer.application(settings, sources: sources, logger: logger) { [logger, onListening] port in
            listening.store(true, ordering: .relaxed)
            let url = "http://\(host):\(port)/"
            logger.notice(
                "dashboard and API listening",
                metadata: ["http.url": "\(url)", "http.auth": "\(settings.token == nil ? "none" : "bearer")"])
            await onListening(url)
        }
        do {
            try await app.run()  // Signals are the enclosing service group's (or the process's) to handle.
        } catch  where !listening.load(ordering: .relaxed) && !(error is CancellationError) {
            throw HTTPServiceError(
                "cannot listen on \(host):\(settings.port): \(error) (set http.address in the configuration, DRIFTWATCH_HTTP_ADDRESS or --http; port 0 picks a free one)"
            )
        }
    }
}

extension MonitorHTTPService {
    /// Serves until the calling task is cancelled, then shuts down gracefully: for a server run outside a
    /// `ServiceGroup` (the demo's). Cancelled directly, Hummingbird logs an error while it closes.
    public func runUntilCancelled() async throws {
        let group = ServiceGroup(services: [self], logger: logger)
        let serving = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await serving.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}

public struct HTTPServiceError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
