import ArticleIntake
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error into a JSON error body with a precise status; nothing leaves as a bare
/// 500. Unknown errors are logged and reported as 500 without their details.
struct IngestErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Paths that exist, with the methods they answer, so a wrong method gets 405, not 404.
    let routes: [String: [HTTPRequest.Method]]
    let retryAfter: Duration

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as IngestError {
            return error.response()
        } catch let error as SubmissionError {
            return IngestError(error).response()
        } catch let error as PublishError {
            return IngestError(error, retryAfter: retryAfter).response()
        } catch is NIOTooManyBytesError {
            return IngestError(.contentTooLarge, "the body is larger than the limit").response()
        } catch let error as HTTPError {
            if error.status == .notFound, let methods = routes[request.uri.path] {
                let allow = methods.map(\.rawValue).joined(separator: ", ")
                return IngestError(.methodNotAllowed, "\(request.uri.path) answers \(allow)", headers: [.allow: allow]).response()
            }
            return IngestError(error.status, error.body ?? Self.defaultMessage(error.status)).response()
        } catch let error as any HTTPResponseError {
            return IngestError(error.status, Self.defaultMessage(error.status)).response()
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return IngestError(.internalServerError, "internal error").response()
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "no such route"
        case .methodNotAllowed: "method not allowed"
        default: status.reasonPhrase.isEmpty ? "request failed" : status.reasonPhrase.lowercased()
        }
    }
}
