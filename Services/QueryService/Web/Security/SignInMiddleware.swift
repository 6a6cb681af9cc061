import HTTPSupport
import HTTPTypes
import Hummingbird

/// With a query token set, every page asks for it, as the API does: a request passes with a
/// session cookie (``WebSession``) or with `Authorization: Bearer <token>` (for scripts and the
/// benchmark). A page asked for without either is sent to the sign-in form, which comes back to
/// it; anything else is a 401. The sign-in form and the stylesheet, script and icon are open.
struct SignInMiddleware<Context: RequestContext>: RouterMiddleware {
    let session: WebSession
    let token: String

    static var openPaths: Set<String> { ["/login", "/static/site.css", "/static/site.js", "/static/icon.svg"] }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) || isSignedIn(request) {
            return try await next(request, context)
        }
        guard request.method == .get || request.method == .head else {
            throw APIError(.unauthorized, "sign in first")
        }
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return Response(status: .seeOther, headers: [.location: "/login?" + Links.encodeQuery([("next", target)])])
    }

    func isSignedIn(_ request: Request) -> Bool {
        if let cookie = request.cookies[WebSession.cookieName], session.accepts(cookie.value) { return true }
        if let header = request.headers[.authorization], let presented = BearerTokenMiddleware<Context>.credentials(header) {
            return BearerTokenMiddleware<Context>.constantTimeEquals(presented, Array(token.utf8))
        }
        return false
    }
}
