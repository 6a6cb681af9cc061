import HTTPTypes
import Hummingbird

/// An error as every Quotewire HTTP service answers it: a status, a message and maybe headers
/// (`Retry-After`, `WWW-Authenticate`, `Allow`), sent as `{"error":{"status":400,"message":"…"}}`.
///
/// Handlers throw it; ``ErrorMiddleware`` turns it into the response.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    /// The body's shape, the same on every service and every status.
    public struct Body: Codable, Sendable, Equatable {
        public struct Detail: Codable, Sendable, Equatable {
            public var status: Int
            public var message: String

            public init(status: Int, message: String) {
                self.status = status
                self.message = message
            }
        }
        public var error: Detail

        public init(error: Detail) {
            self.error = error
        }
    }

    /// The JSON response carrying this error.
    public func response() -> Response {
        JSONBody.response(Body(error: .init(status: status.code, message: message)), status: status, headers: headers)
    }

    /// A `Retry-After` header telling a client to come back after `delay` (one second at least).
    public static func retryAfter(_ delay: Duration) -> HTTPFields {
        [.retryAfter: String(max(1, delay.components.seconds))]
    }
}
