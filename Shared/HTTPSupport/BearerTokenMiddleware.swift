import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <token>`; anything else is refused with a 401 error body and
/// a `WWW-Authenticate` challenge naming `realm`. The scheme is case-insensitive (RFC 9110).
public struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expected: [UInt8]
    private let realm: String

    public init(token: String, realm: String) {
        self.expected = Array(token.utf8)
        self.realm = realm
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], let presented = Self.credentials(header),
              Self.constantTimeEquals(presented, expected)
        else {
            throw APIError(.unauthorized, "a valid bearer token is required",
                           headers: [.wwwAuthenticate: #"Bearer realm="\#(realm)""#])
        }
        return try await next(request, context)
    }

    /// The bytes after `Bearer ` (in any case), or nil for another scheme or none.
    public static func credentials(_ header: String) -> [UInt8]? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count >= scheme.count,
              zip(bytes, scheme).allSatisfy({ presented, wanted in presented | 0x20 == wanted || presented == wanted })
        else { return nil }
        return Array(bytes[scheme.count...])
    }

    /// Whether `presented` equals `expected`, in a time that depends only on `expected`'s
    /// length: every byte of it is looked at, with no early exit at the first difference and no
    /// loop over a longer presented value (whose length would then show in the timing).
    public static func constantTimeEquals(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(presented.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            let byte = index < presented.count ? presented[index] : ~expected[index]
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }
}
