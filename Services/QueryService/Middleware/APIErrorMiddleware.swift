import Hummingbird
import Logging
import QuotewireIndex

/// Turns every error into a JSON error body with the right status; nothing leaves as a
/// bare 500. Unknown errors are logged and reported as 500 without their details.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as IndexError {
            if !error.isUserError {
                context.logger.error("index error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            return APIError(error).response()
        } catch let error as HTTPError {
            let message = error.body ?? Self.defaultMessage(error.status)
            return APIError(error.status, message).response()
        } catch let error as any HTTPResponseError {
            return APIError(error.status, Self.defaultMessage(error.status)).response()
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return APIError(.internalServerError, "internal error").response()
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
