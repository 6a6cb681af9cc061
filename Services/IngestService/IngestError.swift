import ArticleIntake
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import QuotewireModels

/// An error as the ingest API reports it: a status, a message, maybe headers
/// (`Retry-After`, `WWW-Authenticate`), sent as `{"error":{"status":400,"message":"…"}}`.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    /// The status for a refused submission: 413 too large, 415 unsupported type, else 400.
    public init(_ error: SubmissionError) {
        switch error.kind {
        case .tooLarge: self.init(.contentTooLarge, error.message)
        case .unsupportedMediaType: self.init(.unsupportedMediaType, error.message)
        case .invalidUTF8, .empty, .invalidJSON, .invalidField: self.init(.badRequest, error.message)
        }
    }

    /// The status for a failed publish: 503 with `Retry-After` when the broker is away or the
    /// service is stopping, 413 when the broker finds the record too large, else 502.
    public init(_ error: PublishError, retryAfter: Duration) {
        let seconds = String(max(1, retryAfter.components.seconds))
        switch error.kind {
        case .unavailable:
            self.init(.serviceUnavailable, "the broker cannot take the article now; try again later (\(error.reason))",
                      headers: [.retryAfter: seconds])
        case .shuttingDown:
            self.init(.serviceUnavailable, "the service is shutting down; try again later", headers: [.retryAfter: seconds])
        case .tooLarge:
            self.init(.contentTooLarge, error.reason)
        case .refused:
            self.init(.badGateway, "the broker refused the article: \(error.reason)")
        }
    }

    struct Body: Codable {
        struct Detail: Codable {
            var status: Int
            var message: String
        }
        var error: Detail
    }

    /// The JSON response carrying this error.
    public func response() -> Response {
        JSONBody.response(Body(error: .init(status: status.code, message: message)), status: status, headers: headers)
    }
}

/// JSON response bodies in the wire coding.
enum JSONBody {
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        let data = (try? WireCoding.encoder().encode(value))
            ?? Data(#"{"error":{"status":500,"message":"the response could not be encoded"}}"#.utf8)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
