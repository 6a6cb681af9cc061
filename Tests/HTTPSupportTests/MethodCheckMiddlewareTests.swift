import HTTPSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MethodCheckMiddlewareTests {
    func withRoutes(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await RouterFixture.test(
            methods: [.init("/v1/articles", methods: [.post]), .init("/v1/tickers/{symbol}", methods: [.get, .head])],
            routes: { router in
                router.post("v1/articles") { _, _ in "posted" }
                router.get("v1/tickers/{symbol}") { _, context in context.parameters.get("symbol") ?? "" }
            }, body)
    }

    @Test func aKnownPathAskedWithAnotherMethodIs405WithAllow() async throws {
        try await withRoutes { client in
            try await client.execute(uri: "/v1/articles", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                #expect(RouterFixture.error(response)?.error == .init(status: 405, message: "/v1/articles answers POST"))
            }
            try await client.execute(uri: "/v1/tickers/RIO", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
        }
    }

    @Test func theRightMethodAndUnknownPathsGoThrough() async throws {
        try await withRoutes { client in
            try await client.execute(uri: "/v1/articles", method: .post) { #expect(RouterFixture.text($0) == "posted") }
            try await client.execute(uri: "/v1/tickers/RIO", method: .get) { #expect(RouterFixture.text($0) == "RIO") }
            try await client.execute(uri: "/v1/tickers/", method: .post) { #expect($0.status == .notFound, "an empty segment is no symbol") }
            try await client.execute(uri: "/v1/other", method: .post) { #expect($0.status == .notFound) }
        }
    }
}
