import Foundation
import HTTPTypes
import Hummingbird

/// Puts the pages' security headers on every answer of the web port, error pages included,
/// and the time the server spent on it (`Server-Timing: app;dur=…`, in milliseconds, which the
/// browser test and the benchmark read).
///
/// - `Content-Security-Policy`: scripts, styles and images from this origin only, no inline
///   script or style, no plug-ins, frames or other hosts; forms post here only. Text that
///   slipped past the escaping still could not run.
/// - `X-Content-Type-Options: nosniff`: a response is only ever what its type says.
/// - `X-Frame-Options: DENY` (older browsers' `frame-ancestors`), `Referrer-Policy: same-origin`
///   (queries stay out of other sites' logs), `Cross-Origin-Opener-Policy: same-origin`.
/// - `Cache-Control: no-store` on pages (they may be behind a sign-in); the static files set
///   their own.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        let milliseconds = Double(seconds) * 1_000 + Double(attoseconds) / 1e15
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[.serverTiming] = "app;dur=\(String(format: "%.2f", milliseconds))"
        return response
    }
}
