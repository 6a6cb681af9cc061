import HTTPSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@Suite struct OperationalRoutesTests {
    struct Shards: Encodable, Sendable {
        var shards: [Int]
    }

    /// A readiness the test changes while the router asks it.
    final class Switch: Sendable {
        let isOn = Atomic<Bool>(false)
    }

    func withRoutes(
        _ readiness: @escaping @Sendable () async -> Readiness,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await RouterFixture.test(routes: { router in
            OperationalRoutes.add(to: router, readiness: readiness, metrics: { Array("up 1\n".utf8) })
        }, body)
    }

    @Test func healthAndMetricsAnswerWhetherReadyOrNot() async throws {
        try await withRoutes({ .notReady(reason: "not yet") }) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(RouterFixture.object(response) == RouterFixture.object(#"{"status":"ok"}"#))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(RouterFixture.text(response) == "up 1\n")
            }
        }
    }

    @Test func readyIsStatusReady() async throws {
        try await withRoutes({ .ready() }) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(RouterFixture.object(response) == RouterFixture.object(#"{"status":"ready"}"#))
            }
        }
    }

    @Test func aServicesDetailsJoinTheReadyObject() async throws {
        try await withRoutes({ .ready(details: Shards(shards: [0, 1, 2])) }) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(RouterFixture.object(response) == RouterFixture.object(#"{"status":"ready","shards":[0,1,2]}"#))
            }
        }
    }

    @Test func notReadyIs503WithTheErrorBodyAndItsHeaders() async throws {
        try await withRoutes({ .notReady(reason: "the broker is away", headers: APIError.retryAfter(.seconds(5))) }) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                #expect(RouterFixture.error(response)?.error == .init(status: 503, message: "the broker is away"))
            }
        }
    }

    @Test func readinessIsAskedOnEveryRequest() async throws {
        let ready = Switch()
        try await withRoutes({ .from(ready.isOn.load(ordering: .relaxed), otherwise: "not yet") }) { client in
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
            ready.isOn.store(true, ordering: .relaxed)
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }
}
