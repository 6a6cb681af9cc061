import Foundation
import HTTPSupport
import Hummingbird
import Logging
import QuotewireIndex

/// Builds the query service: an HTTP JSON API over a read-only index folder, with the
/// ``OperationalRoutes`` and `/openapi.json` beside it.
public enum QueryApplication {
    /// Every route the service answers (all GET), as OpenAPI path templates.
    public static var routes: [String] {
        OperationalRoutes.paths + ["/openapi.json"] + QueryController<BasicRequestContext>.routes
    }

    /// The application, ready to run as a swift-service-lifecycle `Service`.
    /// `onServerRunning` receives the bound port (useful with port 0).
    /// - Throws: ``APIError`` when the OpenAPI document is missing from the bundle.
    public static func make(
        configuration: QueryServiceConfiguration, metrics: QueryMetrics = QueryMetrics(),
        logger: Logger = Logger(label: "quotewire-query"),
        onServerRunning: @escaping @Sendable (_ port: Int?) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        var readerConfiguration = IndexReaderConfiguration()
        readerConfiguration.refreshInterval = configuration.refreshInterval
        let reader = IndexReader(folder: IndexFolder(path: configuration.indexPath), configuration: readerConfiguration)
        let router = try makeRouter(reader: reader, configuration: configuration, metrics: metrics)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "quotewire-query"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port) },
            logger: logger)
    }

    /// The router alone (for tests and for embedding).
    public static func makeRouter(
        reader: IndexReader, configuration: QueryServiceConfiguration, metrics: QueryMetrics
    ) throws -> Router<BasicRequestContext> {
        let openAPI = try OpenAPIDocument.load()
        let router = Router(context: BasicRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware(translate: APIError.query))
        router.add(middleware: MethodCheckMiddleware(routes: routes.map { .init($0, methods: [.get, .head]) }))

        OperationalRoutes.add(
            to: router,
            readiness: {
                guard let partitions = try? reader.openPartitions() else {
                    return .notReady(reason: "the index folder is not readable")
                }
                return .ready(details: OpenShards(shards: partitions))
            },
            metrics: {
                await metrics.refreshIndexGauges(reader)
                return metrics.render()
            })
        router.get("openapi.json") { _, _ in
            JSONBody.bytes(openAPI)
        }

        let v1 = router.group("v1")
        if let token = configuration.token, !token.isEmpty {
            v1.add(middleware: BearerTokenMiddleware(token: token, realm: "quotewire"))
        }
        QueryController<BasicRequestContext>(reader: reader, deadline: configuration.queryTimeout).register(on: v1)
        return router
    }

    /// What `/readyz` adds when ready: the partitions whose shards are open.
    struct OpenShards: Encodable, Sendable {
        var shards: [Int]
    }
}
