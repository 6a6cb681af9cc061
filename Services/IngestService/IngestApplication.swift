import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Builds the ingest HTTP service: `POST /v1/articles` (bearer token), `/healthz`, `/readyz`, `/metrics`.
///
/// ```swift
/// let publisher = try ArticlePublisher(configuration: configuration, metrics: metrics, logger: logger)
/// let app = IngestApplication.make(configuration: configuration, publisher: publisher, metrics: metrics, logger: logger)
/// try await ServiceGroup(services: [publisher, app], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public enum IngestApplication {
    /// The application, ready to run as a swift-service-lifecycle `Service`. On graceful
    /// shutdown it stops accepting connections and finishes the requests in flight.
    /// `onServerRunning` receives the bound port (useful with port 0).
    public static func make(
        configuration: IngestServiceConfiguration, publisher: ArticlePublisher, metrics: IngestMetrics,
        logger: Logger, onServerRunning: @escaping @Sendable (_ port: Int?) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(configuration: configuration, publisher: publisher, metrics: metrics),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "quotewire-ingest"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port) },
            logger: logger)
    }

    /// The router alone.
    public static func makeRouter(
        configuration: IngestServiceConfiguration, publisher: ArticlePublisher, metrics: IngestMetrics
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestCountingMiddleware(metrics: metrics))
        router.add(middleware: IngestErrorMiddleware(
            routes: ["/v1/articles": [.post], "/healthz": [.get], "/readyz": [.get], "/metrics": [.get]],
            retryAfter: configuration.retryAfter))

        router.get("healthz") { _, _ in
            JSONBody.response(["status": "ok"], status: .ok)
        }
        router.get("readyz") { _, _ in
            publisher.isReady
                ? JSONBody.response(["status": "ready"], status: .ok)
                : IngestError(.serviceUnavailable, "the broker is not reachable or the service is stopping",
                              headers: [.retryAfter: String(max(1, configuration.retryAfter.components.seconds))]).response()
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }

        let v1 = router.group("v1").add(middleware: BearerTokenMiddleware(token: configuration.token))
        ArticleController<BasicRequestContext>(publisher: publisher, maxBodyBytes: configuration.maxBodyBytes).register(on: v1)
        return router
    }
}
