import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HTTPSupport

@Suite struct BearerTokenMiddlewareTests {
    static let token = "s3cret-token"

    func withProtectedRoute(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await RouterFixture.test(routes: { router in
            router.group("v1").add(middleware: BearerTokenMiddleware(token: Self.token, realm: "test-realm"))
                .get("thing") { _, _ in "fine" }
            router.get("open") { _, _ in "open" }
        }, body)
    }

    @Test func theRightTokenPassesWhateverTheSchemesCase() async throws {
        try await withProtectedRoute { client in
            for header in ["Bearer \(Self.token)", "bearer \(Self.token)", "BEARER \(Self.token)"] {
                try await client.execute(uri: "/v1/thing", method: .get, headers: [.authorization: header]) { response in
                    #expect(response.status == .ok, "\(header)")
                    #expect(RouterFixture.text(response) == "fine")
                }
            }
        }
    }

    @Test(arguments: [nil, "", "Bearer", "Bearer ", "Basic czNjcmV0LXRva2Vu", "Bearer wrong", "Bearer  s3cret-token", "s3cret-token"])
    func anythingElseIsRefusedWithAChallenge(header: String?) async throws {
        try await withProtectedRoute { client in
            var headers: HTTPFields = [:]
            if let header { headers[.authorization] = header }
            try await client.execute(uri: "/v1/thing", method: .get, headers: headers) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="test-realm""#)
                #expect(RouterFixture.error(response)?.error == .init(status: 401, message: "a valid bearer token is required"))
            }
        }
    }

    @Test func routesOutsideTheGroupStayOpen() async throws {
        try await withProtectedRoute { client in
            try await client.execute(uri: "/open", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func theComparisonLooksAtEveryByteAndNotAtWhereTheyDiffer() {
        typealias Middleware = BearerTokenMiddleware<BasicRequestContext>
        let token = Array("s3cret-query-token".utf8)
        #expect(Middleware.constantTimeEquals(token, token))
        #expect(!Middleware.constantTimeEquals(Array("x3cret-query-token".utf8), token), "differs in the first byte")
        #expect(!Middleware.constantTimeEquals(Array("s3cret-query-tokex".utf8), token), "differs in the last byte")
        #expect(!Middleware.constantTimeEquals(Array("s3cret-query-toke".utf8), token), "a prefix")
        #expect(!Middleware.constantTimeEquals(Array("s3cret-query-token\u{0}".utf8), token), "a NUL after it")
        #expect(!Middleware.constantTimeEquals(token + token, token), "twice the token")
        #expect(!Middleware.constantTimeEquals([], token))
        #expect(!Middleware.constantTimeEquals(token, []))
        #expect(Middleware.constantTimeEquals([], []))
    }

    @Test func onlyTheBearerSchemeGivesCredentials() {
        typealias Middleware = BearerTokenMiddleware<BasicRequestContext>
        #expect(Middleware.credentials("Bearer abc") == Array("abc".utf8))
        #expect(Middleware.credentials("bEaReR abc") == Array("abc".utf8))
        #expect(Middleware.credentials("Bearer ") == [])
        #expect(Middleware.credentials("Bearer") == nil)
        #expect(Middleware.credentials("Bearerabc") == nil)
        #expect(Middleware.credentials("Basic abc") == nil)
    }
}
