import HTTPSupport
import Hummingbird
import Logging

/// The small HTTP server a pipeline stage runs beside its work: the ``OperationalRoutes``
/// (`/healthz`, `/readyz`, `/metrics`) and nothing else.
public enum OpsServer {
    /// - Parameters:
    ///   - beforeScrape: runs before each `/metrics` answer, to refresh gauges that are cheaper
    ///     to read on demand than to keep current (the index's size on disk).
    ///   - ready: whether the stage can do its job now.
    public static func make(
        address: ListenAddress, metrics: PipelineMetrics, logger: Logger,
        beforeScrape: @escaping @Sendable () async -> Void = {},
        ready: @escaping @Sendable () async -> Bool
    ) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: MethodCheckMiddleware(routes: OperationalRoutes.paths.map { .init($0, methods: [.get]) }))
        OperationalRoutes.add(
            to: router,
            readiness: { .from(await ready(), otherwise: "the stage cannot reach the broker or is stopping") },
            metrics: {
                await beforeScrape()
                return metrics.render()
            })
        return Application(router: router, configuration: .init(address: .hostname(address.host, port: address.port)), logger: logger)
    }
}
