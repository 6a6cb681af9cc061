import Foundation
import HTTPSupport
import HTTPTypes
import Hummingbird

/// `GET /login` (the form), `POST /login` (the token in, a session cookie out) and
/// `POST /logout`. Only registered when a query token is set.
///
/// The two POSTs are refused when a browser says another site sent them (`Sec-Fetch-Site`
/// other than `same-origin` or `none`, or an `Origin` that is not this host), so no page
/// elsewhere can sign a visitor in or out.
struct SignInController<Context: RequestContext>: Sendable {
    let session: WebSession
    let token: String
    let renderer: PageRenderer

    static var maximumFormBytes: Int { 8 * 1024 }

    func register(on router: Router<Context>) {
        router.get("login", use: form)
        router.post("login", use: signIn)
        router.post("logout", use: signOut)
    }

    @Sendable func form(_ request: Request, context: Context) async throws -> Response {
        let next = Links.localTarget(QueryParameters(form: request).raw("next"))
        return try renderer.page("login", LoginView(next: next), chrome: Chrome(title: "Sign in", searchBox: false))
    }

    @Sendable func signIn(_ request: Request, context: Context) async throws -> Response {
        try Self.refuseCrossSite(request)
        let fields = try await Self.form(request)
        let next = Links.localTarget(fields["next"])
        guard let presented = fields["token"],
              BearerTokenMiddleware<Context>.constantTimeEquals(Array(presented.utf8), Array(token.utf8))
        else {
            return try renderer.page("login", LoginView(next: next, failure: "That token is not the one this index asks for."),
                                     chrome: Chrome(title: "Sign in", searchBox: false), status: .unauthorized)
        }
        return Response(status: .seeOther, headers: [.location: next, .setCookie: session.setCookie()])
    }

    @Sendable func signOut(_ request: Request, context: Context) async throws -> Response {
        try Self.refuseCrossSite(request)
        return Response(status: .seeOther, headers: [.location: "/login", .setCookie: WebSession.clearingCookie])
    }

    /// A 403 for a form another site posted.
    static func refuseCrossSite(_ request: Request) throws {
        if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" {
            throw APIError(.forbidden, "this form only takes posts from its own pages")
        }
        if let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            guard let url = URL(string: origin), let originHost = url.host,
                  originHost + (url.port.map { ":\($0)" } ?? "") == host
            else { throw APIError(.forbidden, "this form only takes posts from its own pages") }
        }
    }

    /// The fields of an `application/x-www-form-urlencoded` body (the first of each name).
    static func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: maximumFormBytes)
        return QueryParameters.formFields(String(buffer: body))
    }
}
