import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A service's own errors as ``APIError``s, for ``ErrorMiddleware``: nil for an error it does
/// not know. Given the request's logger, to record errors that are the server's fault.
public typealias ErrorTranslation = @Sendable (_ error: any Error, _ logger: Logger) -> APIError?

/// Turns every error a route throws into the JSON error body with a precise status, so nothing
/// leaves as a bare 500. A service maps its own error types with `translate`; anything neither
/// it nor this middleware knows is logged and answered 500 without its details.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    private let translate: ErrorTranslation

    public init(translate: @escaping ErrorTranslation = { _, _ in nil }) {
        self.translate = translate
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return answer(for: error, path: request.uri.path, logger: context.logger).response()
        }
    }

    func answer(for error: any Error, path: String, logger: Logger) -> APIError {
        if let error = error as? APIError { return error }
        if let translated = translate(error, logger) { return translated }
        switch error {
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "the body is larger than the limit")
        case let error as HTTPError:
            return APIError(error.status, error.body ?? Self.defaultMessage(error.status))
        case let error as any HTTPResponseError:
            return APIError(error.status, Self.defaultMessage(error.status))
        default:
            logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(path)"])
            return APIError(.internalServerError, "internal error")
        }
    }

    /// The message for a status raised without one.
    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "no such route"
        case .methodNotAllowed: "method not allowed"
        default: status.reasonPhrase.isEmpty ? "request failed" : status.reasonPhrase.lowercased()
        }
    }
}
