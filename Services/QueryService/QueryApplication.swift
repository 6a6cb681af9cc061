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
    /// `onServerRunning` receives the bound port (useful with port 0). With a `directory`
    /// (which the caller runs), the service is one node of several: it answers for the whole
    /// index, asking the other nodes for their partitions.
    /// - Throws: ``APIError`` when the OpenAPI document is missing from the bundle.
    /// Pass the `index` the web pages (``WebApplication``) answer from too, so both read one set of
    /// shard connections; without one, the application makes its own.
    public static func make(
        configuration: QueryServiceConfiguration, metrics: QueryMetrics = QueryMetrics(),
        logger: Logger = Logger(label: "quotewire-query"), directory: NodeDirectory? = nil, index: QueryIndex? = nil,
        onServerRunning: @escaping @Sendable (_ port: Int?) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let index = index ?? QueryIndex(configuration: configuration, directory: directory, logger: logger)
        let router = try makeRouter(reader: index.reader, configuration: configuration, metrics: metrics, cluster: index.cluster)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                 serverName: "quotewire-query"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port) },
            logger: logger)
    }

    /// The router alone (for tests and for embedding).
    public static func makeRouter(
        reader: IndexReader, configuration: QueryServiceConfiguration, metrics: QueryMetrics,
        cluster: ClusterGatherer? = nil
    ) throws -> Router<BasicRequestContext> {
        let openAPI = try OpenAPIDocument.load()
        let router = Router(context: BasicRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware(translate: APIError.query))
        router.add(middleware: MethodCheckMiddleware(
            routes: routes.map { .init($0, methods: [.get, .head]) } + [.init(PeerClient.path, methods: [.post])]))

        OperationalRoutes.add(
            to: router,
            readiness: {
                guard let partitions = try? reader.openPartitions() else {
                    return .notReady(reason: "the index folder is not readable")
                }
                guard let cluster else { return .ready(details: OpenShards(shards: partitions)) }
                guard cluster.directory.isReady else { return .notReady(reason: "the node directory is still being read") }
                let routes = cluster.directory.routes()
                return .ready(details: OpenShards(shards: partitions, serving: routes.local.sorted(),
                                                  unserved: routes.unserved.sorted()))
            },
            metrics: {
                await metrics.refreshIndexGauges(reader)
                return metrics.render()
            })
        router.get("openapi.json") { _, _ in
            JSONBody.bytes(openAPI)
        }

        let v1 = router.group("v1")
        let internalV1 = router.group("internal/v1")
        if let token = configuration.token, !token.isEmpty {
            v1.add(middleware: BearerTokenMiddleware(token: token, realm: "quotewire"))
            internalV1.add(middleware: BearerTokenMiddleware(token: token, realm: "quotewire"))
        }
        QueryController<BasicRequestContext>(index: cluster ?? reader, deadline: configuration.queryTimeout).register(on: v1)
        PeerController<BasicRequestContext>(reader: reader, cluster: cluster).register(on: internalV1)
        return router
    }

    /// What `/readyz` adds when ready: the partitions whose shards are open; on a node of
    /// several, also those it serves and those nobody serves now.
    struct OpenShards: Encodable, Sendable {
        var shards: [Int]
        var serving: [Int]?
        var unserved: [Int]?
    }
}

/// The index a query service answers from: its folder's reader and, on a node of several, the
/// gatherer that asks the other nodes too. The API and the web pages share one.
public struct QueryIndex: Sendable {
    public let reader: IndexReader
    public let cluster: ClusterGatherer?

    /// What the queries run on: the cluster's gatherer on a node of several, else the reader.
    public var gatherer: any ShardGatherer { cluster ?? reader }

    public init(configuration: QueryServiceConfiguration, directory: NodeDirectory?, logger: Logger) {
        var readerConfiguration = IndexReaderConfiguration()
        readerConfiguration.refreshInterval = configuration.refreshInterval
        reader = IndexReader(folder: IndexFolder(path: configuration.indexPath), configuration: readerConfiguration)
        cluster = directory.map { [reader] in
            ClusterGatherer(local: reader, directory: $0, peers: PeerClient(token: configuration.token),
                            timeout: $0.configuration.peerTimeout, logger: logger)
        }
    }
}
