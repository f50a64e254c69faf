import DriftApp
import DriftHTTP
import Foundation
import Hummingbird
import Synchronization
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The server under test, listening on a free loopback port for the duration of a test, and a client that
/// talks to it over a real socket (no cookies kept, no redirects followed).
struct LiveServer {
    let settings: DriftwatchConfig.HTTP
    let sources: MonitorServer.Sources

    struct Response {
        var status: HTTPResponse.Status
        /// By lowercased name.
        var headers: [String: String]
        var body: ByteBuffer
    }

    struct Client {
        let base: String
        let session: URLSession

        func execute(
            uri: String, method: String = "GET", headers: [String: String] = [:], _ check: (Response) async throws -> Void
        ) async throws {
            var request = URLRequest(url: URL(string: base + uri)!)
            request.httpMethod = method
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await session.data(for: request)
            let http = response as! HTTPURLResponse
            var fields: [String: String] = [:]
            for case (let name as String, let value as String) in http.allHeaderFields { fields[name.lowercased()] = value }
            try await check(Response(status: .init(code: http.statusCode), headers: fields, body: ByteBuffer(bytes: data)))
        }
    }

    func serve(_ body: (Client) async throws -> Void) async throws {
        var settings = self.settings
        settings.host = "127.0.0.1"
        settings.port = 0
        let address = Mutex<String?>(nil)
        let server = MonitorHTTPService(settings: settings, sources: sources, logger: .init(label: "test")) { url in
            address.withLock { $0 = url }
        }
        let running = Task { try await server.run() }
        defer { running.cancel() }
        var base: String?
        for _ in 0..<500 where base == nil {
            base = address.withLock { $0 }
            if base == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        let session = URLSession(configuration: configuration)
        try await body(Client(base: String(try #require(base).dropLast()), session: session))
    }
}
