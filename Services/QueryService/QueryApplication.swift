import Foundation
import Hummingbird
import Logging
import QuotewireIndex

/// Builds the query service: an HTTP JSON API over a read-only index folder.
///
/// ```swift
/// let app = try QueryApplication.make(configuration: .init(indexPath: "./data/index", port: 8081))
/// try await ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
/// ```
public enum QueryApplication {
    /// Every route the service answers (all GET), as OpenAPI path templates.
    public static var routes: [String] {
        ["/healthz", "/readyz", "/metrics", "/openapi.json"] + QueryController<BasicRequestContext>.routes
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
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: MethodCheckMiddleware(routes: routes))

        router.get("healthz") { _, _ in
            JSONResponse.make(["status": "ok"])
        }
        router.get("readyz") { _, _ in
            guard let partitions = try? reader.openPartitions() else {
                return APIError(.serviceUnavailable, "the index folder is not readable").response()
            }
            return JSONResponse.make(Readiness(status: "ready", shards: partitions))
        }
        router.get("metrics") { _, _ in
            await metrics.refreshIndexGauges(reader)
            return JSONResponse.body(Data(metrics.render()), status: .ok,
                                     contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("openapi.json") { _, _ in
            JSONResponse.body(openAPI, status: .ok)
        }

        let v1 = router.group("v1")
        if let token = configuration.token, !token.isEmpty {
            v1.add(middleware: BearerTokenMiddleware(token: token))
        }
        QueryController<BasicRequestContext>(reader: reader, deadline: configuration.queryTimeout).register(on: v1)
        return router
    }

    struct Readiness: Codable {
        var status: String
        var shards: [Int]
    }
}
