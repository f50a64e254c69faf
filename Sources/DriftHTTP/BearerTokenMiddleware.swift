import Foundation
import Hummingbird

/// Refuses requests without `Authorization: Bearer <token>` (401, with a `WWW-Authenticate` challenge).
/// A browser may instead open any page once with `?token=<token>`: the answer sets an HttpOnly cookie that
/// later requests carry. Tokens are compared in constant time.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    static var cookieName: String { "driftwatch_token" }
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            matches(String(header.dropFirst(7)))
        {
            return try await next(request, context)
        }
        if let cookie = request.cookies[Self.cookieName], matches(cookie.value) {
            return try await next(request, context)
        }
        if let query = request.uri.queryParameters.get("token"), matches(query) {
            var response = try await next(request, context)
            response.setCookie(
                Cookie(name: Self.cookieName, value: token, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        return Response(
            status: .unauthorized,
            headers: [.wwwAuthenticate: "Bearer realm=\"driftwatch\"", .contentType: "application/json"],
            body: .init(
                byteBuffer: ByteBuffer(string: #"{"error":"a bearer token is required (Authorization: Bearer …)"}"#)))
    }

    private func matches(_ candidate: String) -> Bool {
        let given = Array(candidate.utf8)
        let expected = Array(token.utf8)
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in expected.indices { difference |= expected[index] ^ (index < given.count ? given[index] : 0) }
        return difference == 0
    }
}
