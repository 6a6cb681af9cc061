import HTTPSupport
import Hummingbird
import Logging

/// Builds the ingest HTTP service: `POST /v1/articles` (bearer token) and the
/// ``OperationalRoutes`` (`/healthz`, `/readyz`, `/metrics`).
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
        router.add(middleware: ErrorMiddleware(translate: APIError.ingest(retryAfter: configuration.retryAfter)))
        router.add(middleware: MethodCheckMiddleware(
            routes: [.init("/v1/articles", methods: [.post])] + OperationalRoutes.paths.map { .init($0, methods: [.get]) }))

        let retryAfter = configuration.retryAfter
        OperationalRoutes.add(
            to: router,
            readiness: {
                publisher.isReady
                    ? .ready()
                    : .notReady(reason: "the broker is not reachable or the service is stopping", headers: APIError.retryAfter(retryAfter))
            },
            metrics: { metrics.render() })

        let v1 = router.group("v1").add(middleware: BearerTokenMiddleware(token: configuration.token, realm: "quotewire-ingest"))
        ArticleController<BasicRequestContext>(publisher: publisher, maxBodyBytes: configuration.maxBodyBytes).register(on: v1)
        return router
    }
}
