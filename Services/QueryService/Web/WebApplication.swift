import HTTPSupport
import Hummingbird
import Logging
import QuotewireIndex

/// The index's web pages on a port of their own (``QueryServiceConfiguration/webPort``): the
/// search box at `/`, results, speakers, quotations, articles and tickers, server-rendered from
/// templates compiled into the binary, over the same index queries as the `/v1` API on the API
/// port (``ShardGatherer``: this node's shards, or the whole cluster's).
///
/// The web port answers nothing else: not `/v1`, not the peer route `/internal/v1/shards`, not
/// the operational routes. Every answer carries the security headers
/// (``SecurityHeadersMiddleware``); with a query token set every page asks for it
/// (``SignInMiddleware``, ``SignInController``).
public enum WebApplication {
    /// Every route the web port answers, with its methods.
    static func routes(signIn: Bool) -> [MethodCheckMiddleware<BasicRequestContext>.Route] {
        let reading: [HTTPRequest.Method] = [.get, .head]
        var routes = (WebPages<BasicRequestContext>.routes + SearchExport<BasicRequestContext>.routes + WebAssetRoutes.routes)
            .map { MethodCheckMiddleware<BasicRequestContext>.Route($0, methods: reading) }
        if signIn {
            routes += [.init("/login", methods: reading + [.post]), .init("/logout", methods: [.post])]
        }
        return routes
    }

    /// The web application, ready to run as a swift-service-lifecycle `Service` beside the API's.
    /// - Parameters:
    ///   - index: the queries' index, the one the API answers from.
    ///   - port: where to listen (0 takes a free port); the host is the configuration's.
    /// - Throws: ``WebTemplateError`` when a compiled-in template does not parse.
    public static func make(
        configuration: QueryServiceConfiguration, index: any ShardGatherer, port: Int, metrics: QueryMetrics = QueryMetrics(),
        logger: Logger = Logger(label: "quotewire-query-web"),
        onServerRunning: @escaping @Sendable (_ port: Int?) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = try makeRouter(index: index, configuration: configuration, metrics: metrics)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: "quotewire-query"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port) },
            logger: logger)
    }

    /// The router alone (for tests).
    public static func makeRouter(
        index: any ShardGatherer, configuration: QueryServiceConfiguration, metrics: QueryMetrics = QueryMetrics()
    ) throws -> Router<BasicRequestContext> {
        let token = configuration.token.flatMap { $0.isEmpty ? nil : $0 }
        let renderer = try PageRenderer(signInRequired: token != nil)
        let router = Router(context: BasicRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: WebErrorMiddleware(renderer: renderer))
        router.add(middleware: MethodCheckMiddleware(routes: routes(signIn: token != nil)))
        if let token {
            let session = WebSession(token: token)
            router.add(middleware: SignInMiddleware(session: session, token: token))
            SignInController<BasicRequestContext>(session: session, token: token, renderer: renderer).register(on: router)
        }
        WebAssetRoutes.register(on: router)
        WebPages<BasicRequestContext>(index: index, deadline: configuration.queryTimeout, renderer: renderer).register(on: router)
        SearchExport<BasicRequestContext>(index: index, deadline: configuration.queryTimeout).register(on: router)
        return router
    }
}
