import Crypto
import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <token>`; anything else gets a JSON 401.
///
/// The comparison does not depend on where the tokens differ or on their lengths: both are
/// hashed with SHA-256 and the digests compared byte by byte without an early exit.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expected: [UInt8]

    init(token: String) {
        self.expected = Self.digest(token)
    }

    /// The SHA-256 digest a presented token is compared through.
    static func digest(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], Self.matches(header, expected: expected) else {
            throw IngestError(.unauthorized, "a valid bearer token is required",
                              headers: [.wwwAuthenticate: #"Bearer realm="quotewire-ingest""#])
        }
        return try await next(request, context)
    }

    static func matches(_ header: String, expected: [UInt8]) -> Bool {
        let scheme = "bearer "
        guard header.utf8.count > scheme.utf8.count, header.lowercased().hasPrefix(scheme) else { return false }
        let presented = Array(SHA256.hash(data: Array(header.utf8.dropFirst(scheme.utf8.count))))
        var difference: UInt8 = 0
        for (a, b) in zip(presented, expected) {
            difference |= a ^ b
        }
        return difference == 0 && presented.count == expected.count
    }
}
