import HTTPSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct ErrorMiddlewareTests {
    struct ServiceFault: Error {}
    struct Unknown: Error {}

    func withFailingRoutes(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await RouterFixture.test(
            translate: { error, _ in error is ServiceFault ? APIError(.badGateway, "the service's own mapping") : nil },
            routes: { router in
                router.get("api") { _, _ -> String in
                    throw APIError(.tooManyRequests, "slow down", headers: APIError.retryAfter(.milliseconds(300)))
                }
                router.get("http") { _, _ -> String in throw HTTPError(.badRequest, message: "told by Hummingbird") }
                router.get("bare") { _, _ -> String in throw HTTPError(.conflict) }
                router.get("large") { _, _ -> String in throw NIOTooManyBytesError(maxBytes: 16) }
                router.get("service") { _, _ -> String in throw ServiceFault() }
                router.get("unknown") { _, _ -> String in throw Unknown() }
            }, body)
    }

    @Test(arguments: [
        ("/api", 429, "slow down"),
        ("/http", 400, "told by Hummingbird"),
        ("/bare", 409, "conflict"),
        ("/large", 413, "the body is larger than the limit"),
        ("/service", 502, "the service's own mapping"),
        ("/unknown", 500, "internal error"),
        ("/nowhere", 404, "no such route"),
    ])
    func everyErrorLeavesAsTheOneJSONBody(path: String, status: Int, message: String) async throws {
        try await withFailingRoutes { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status.code == status)
                #expect(response.headers[.contentType] == "application/json")
                #expect(RouterFixture.error(response)?.error == .init(status: status, message: message))
            }
        }
    }

    @Test func theErrorsHeadersGoWithIt() async throws {
        try await withFailingRoutes { client in
            try await client.execute(uri: "/api", method: .get) { response in
                #expect(response.headers[.retryAfter] == "1", "at least one second")
            }
        }
    }

    @Test func theBodyIsExactlyTheDocumentedShape() async throws {
        try await withFailingRoutes { client in
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(RouterFixture.object(response) == RouterFixture.object(#"{"error":{"status":404,"message":"no such route"}}"#))
            }
        }
    }
}
