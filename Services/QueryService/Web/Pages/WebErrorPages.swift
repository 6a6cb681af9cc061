import HTTPSupport
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import QuotewireIndex

/// Turns whatever a page throws into an HTML error page with the status the API would give
/// (``APIError``, index errors as the API maps them, a 404 for an address no route has), so a
/// browser never sees a JSON body or a bare 500. Errors that are the server's fault are logged.
struct WebErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let renderer: PageRenderer

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = Self.answer(for: error, logger: context.logger, path: request.uri.path)
            let view = ErrorView(heading: Self.heading(answer.status), message: answer.message)
            var response: Response
            do {
                response = try renderer.page("error", view, chrome: Chrome(title: Self.heading(answer.status)), status: answer.status)
            } catch {
                response = Response(status: answer.status, headers: [.contentType: "text/plain; charset=utf-8"],
                                    body: ResponseBody(byteBuffer: ByteBuffer(string: answer.message)))
            }
            for field in answer.headers { response.headers.append(field) }
            return response
        }
    }

    static func answer(for error: any Error, logger: Logger, path: String) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as IndexError:
            if !error.isUserError { logger.error("index error", metadata: ["error": "\(error)", "path": "\(path)"]) }
            return APIError(error)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "the form is larger than the limit")
        case let error as HTTPError where error.status == .notFound:
            return APIError(.notFound, "There is no page at this address.")
        case let error as any HTTPResponseError:
            return APIError(error.status, error.status.reasonPhrase)
        default:
            logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(path)"])
            return APIError(.internalServerError, "Something went wrong on the server; it has been logged.")
        }
    }

    static func heading(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "That address could not be read"
        case 401: "Sign in first"
        case 403: "Not allowed"
        case 404: "Not found"
        case 405: "Not here"
        case 503: "The index is not available"
        default: status.code >= 500 ? "Server error" : "Request refused"
        }
    }
}
