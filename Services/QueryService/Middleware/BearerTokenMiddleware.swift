import Hummingbird

/// Requires `Authorization: Bearer <token>` (401 with a JSON body otherwise).
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              Self.constantTimeEquals(Array(header.utf8.dropFirst("Bearer ".utf8.count)), Array(token.utf8))
        else {
            return APIError(.unauthorized, "a valid bearer token is required")
                .response(extraHeaders: [.wwwAuthenticate: #"Bearer realm="quotewire""#])
        }
        return try await next(request, context)
    }

    /// Compares without returning early on the first differing byte.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        for index in 0..<max(lhs.count, rhs.count) {
            let a = index < lhs.count ? lhs[index] : 0
            let b = index < rhs.count ? rhs[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }
}
