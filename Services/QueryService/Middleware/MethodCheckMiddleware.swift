import Hummingbird

/// Answers 405 (with `Allow`) for a known path asked with a method other than GET/HEAD,
/// instead of the router's 404.
struct MethodCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: [String]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method != .get, request.method != .head, matchesRoute(request.uri.path) {
            return APIError(.methodNotAllowed, "only GET is allowed here").response(extraHeaders: [.allow: "GET, HEAD"])
        }
        return try await next(request, context)
    }

    func matchesRoute(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.contains { template in
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { return false }
            return zip(parts, segments).allSatisfy { part, segment in
                part.hasPrefix("{") ? !segment.isEmpty : part == segment
            }
        }
    }
}
