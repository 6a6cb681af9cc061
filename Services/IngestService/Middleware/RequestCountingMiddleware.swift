import HTTPTypes
import Hummingbird

/// Counts answered requests by matched route and status. Sits outside the error middleware,
/// so it sees the status every client got.
struct RequestCountingMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: IngestMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            // Unmatched paths share one label so clients cannot grow the series without bound.
            metrics.request(route: context.endpointPath ?? "unmatched", status: response.status.code)
            return response
        } catch {
            metrics.request(route: context.endpointPath ?? "unmatched", status: (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }
}
