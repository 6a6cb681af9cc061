import Hummingbird

/// Requires `Authorization: Bearer <token>` (401 with a JSON body otherwise). The scheme is
/// case-insensitive (RFC 9110); the token is compared in constant time.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], let presented = Self.credentials(header),
              Self.constantTimeEquals(presented, Array(token.utf8))
        else {
            return APIError(.unauthorized, "a valid bearer token is required")
                .response(extraHeaders: [.wwwAuthenticate: #"Bearer realm="quotewire""#])
        }
        return try await next(request, context)
    }

    /// The bytes after `Bearer ` (any case), or nil for another scheme.
    static func credentials(_ header: String) -> [UInt8]? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count >= scheme.count,
              zip(bytes, scheme).allSatisfy({ presented, wanted in presented | 0x20 == wanted || presented == wanted })
        else { return nil }
        return Array(bytes[scheme.count...])
    }

    /// Whether `presented` equals `expected`, in a time that depends only on `expected`'s
    /// length: every byte of it is looked at, with no early exit on the first difference and
    /// no loop over a longer presented value (which would reveal the token's length).
    static func constantTimeEquals(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(presented.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            let a = index < presented.count ? presented[index] : ~expected[index]
            difference |= a ^ expected[index]
        }
        return difference == 0
    }
}
