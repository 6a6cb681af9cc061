import Foundation
import HTTPSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A router wired the way the services wire theirs (error middleware outermost, then the 405
/// check), tested through HummingbirdTesting's `.router` framework: no socket.
enum RouterFixture {
    static func test<Value: Sendable>(
        methods: [MethodCheckMiddleware<BasicRequestContext>.Route] = [],
        translate: @escaping ErrorTranslation = { _, _ in nil },
        routes: (Router<BasicRequestContext>) -> Void,
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let router = Router()
        router.add(middleware: ErrorMiddleware(translate: translate))
        router.add(middleware: MethodCheckMiddleware(routes: methods))
        routes(router)
        return try await Application(router: router).test(.router, body)
    }

    /// The error body of a response, or nil when it has another shape.
    static func error(_ response: TestResponse) -> APIError.Body? {
        try? JSONDecoder().decode(APIError.Body.self, from: Data(response.body.readableBytesView))
    }

    /// The body as a JSON object (key order aside), or nil when it is none.
    static func object(_ response: TestResponse) -> NSDictionary? {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? NSDictionary
    }

    /// `text`, a JSON object, as ``object(_:)`` gives it.
    static func object(_ text: String) -> NSDictionary? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSDictionary
    }

    /// The body as text.
    static func text(_ response: TestResponse) -> String {
        String(buffer: response.body)
    }
}
