import ArticleIntake
import HTTPSupport
import HTTPTypes
import Logging

/// How the ingest API answers a refused submission or a failed publish.
extension APIError {
    /// A refused submission: 413 too large, 415 unsupported type, else 400.
    init(_ error: SubmissionError) {
        switch error.kind {
        case .tooLarge: self.init(.contentTooLarge, error.message)
        case .unsupportedMediaType: self.init(.unsupportedMediaType, error.message)
        case .invalidUTF8, .empty, .invalidJSON, .invalidField: self.init(.badRequest, error.message)
        }
    }

    /// A failed publish: 503 with `Retry-After` when the broker is away or the service is
    /// stopping, 413 when the broker finds the record too large, else 502.
    init(_ error: PublishError, retryAfter: Duration) {
        switch error.kind {
        case .unavailable:
            self.init(.serviceUnavailable, "the broker cannot take the article now; try again later (\(error.reason))",
                      headers: Self.retryAfter(retryAfter))
        case .shuttingDown:
            self.init(.serviceUnavailable, "the service is shutting down; try again later", headers: Self.retryAfter(retryAfter))
        case .tooLarge:
            self.init(.contentTooLarge, error.reason)
        case .refused:
            self.init(.badGateway, "the broker refused the article: \(error.reason)")
        }
    }

    /// The ingest service's errors for ``ErrorMiddleware``.
    static func ingest(retryAfter: Duration) -> ErrorTranslation {
        { error, _ in
            switch error {
            case let error as SubmissionError: APIError(error)
            case let error as PublishError: APIError(error, retryAfter: retryAfter)
            default: nil
            }
        }
    }
}
