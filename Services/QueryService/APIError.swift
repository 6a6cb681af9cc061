import Foundation
import HTTPTypes
import Hummingbird
import QuotewireIndex

/// An error as the API reports it: a status and a message, sent as
/// `{"error":{"status":400,"message":"…"}}`.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The API view of an index error: user input → 400 / 404, an unreadable index → 503,
    /// anything else → 500.
    public init(_ error: IndexError) {
        switch error.kind {
        case .invalidQuery, .invalidArgument:
            self.init(.badRequest, error.message)
        case .notFound:
            self.init(.notFound, error.message)
        case .unavailable, .incompatibleSchema, .fileSystem:
            self.init(.serviceUnavailable, "the index is not available")
        case .database:
            self.init(.internalServerError, "the index could not answer")
        }
    }

    /// The JSON body shape.
    struct Body: Codable {
        struct Detail: Codable {
            var status: Int
            var message: String
        }
        var error: Detail
    }

    /// The response carrying this error.
    func response(extraHeaders: HTTPFields = [:]) -> Response {
        JSONResponse.make(Body(error: .init(status: status.code, message: message)), status: status, headers: extraHeaders)
    }
}
