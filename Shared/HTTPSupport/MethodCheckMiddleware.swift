import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` when a known path is asked with a method it does not answer,
/// where the router alone would say 404.
public struct MethodCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A path template (`/v1/articles/{id}`: a braced segment matches any non-empty one) and
    /// the methods it answers.
    public struct Route: Sendable {
        public var template: String
        public var methods: [HTTPRequest.Method]

        public init(_ template: String, methods: [HTTPRequest.Method]) {
            self.template = template
            self.methods = methods
        }
    }

    private let routes: [Route]

    public init(routes: [Route]) {
        self.routes = routes
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if let route = routes.first(where: { Self.path(path, matches: $0.template) }), !route.methods.contains(request.method) {
            let allow = route.methods.map(\.rawValue).joined(separator: ", ")
            throw APIError(.methodNotAllowed, "\(path) answers \(allow)", headers: [.allow: allow])
        }
        return try await next(request, context)
    }

    static func path(_ path: String, matches template: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let parts = template.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            part.hasPrefix("{") ? !segment.isEmpty : part == segment
        }
    }
}
