import HTTPSupport
import HTTPTypes
import Logging
import QuotewireIndex

/// How the query API answers an index error.
extension APIError {
    /// User input → 400 / 404, an unreadable index → 503, anything else → 500.
    init(_ error: IndexError) {
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

    /// The query service's errors for ``ErrorMiddleware``: index errors, logged when they are
    /// not the client's fault.
    static let query: ErrorTranslation = { error, logger in
        guard let error = error as? IndexError else { return nil }
        if !error.isUserError {
            logger.error("index error", metadata: ["error": "\(error)"])
        }
        return APIError(error)
    }
}
