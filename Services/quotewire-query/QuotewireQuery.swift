import ArgumentParser
import Logging
import Metrics
import QueryService
import ServiceSupport

/// `quotewire-query`: the HTTP JSON query service over an index folder.
@main
struct QuotewireQuery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-query",
        abstract: "Serve the Quotewire index over HTTP (read-only JSON API).")

    /// Where every flag's default comes from.
    private static let defaults = QueryServiceConfiguration()

    @Option(help: "The index folder (env QUOTEWIRE_INDEX).")
    var index: String = Setting.string("QUOTEWIRE_INDEX", default: Self.defaults.indexPath)

    @Option(help: "The port of the JSON API to listen on (env QUOTEWIRE_QUERY_PORT).")
    var port: Int = Setting.int("QUOTEWIRE_QUERY_PORT", default: Self.defaults.port)

    @Option(help: "The port of the web pages (search, speakers, quotations, articles, tickers), or off for none (env QUOTEWIRE_WEB_PORT).")
    var webPort: WebPort = Setting.optionalString("QUOTEWIRE_WEB_PORT").flatMap(WebPort.init(argument:))
        ?? .port(Self.defaults.webPort ?? ServiceDefaults.webPort)

    @Option(help: "The address to listen on (env QUOTEWIRE_HOST).")
    var host: String = Setting.string("QUOTEWIRE_HOST", default: Self.defaults.host)

    @Option(help: "Require this bearer token on /v1 routes (env QUOTEWIRE_QUERY_TOKEN).")
    var token: String?

    @OptionGroup var logging: LogOptions

    @OptionGroup var node: NodeOptions

    @Option(help: "With --node-id: Kafka bootstrap brokers, to read which node serves which partition (env QUOTEWIRE_BROKERS).")
    var brokers: String = Setting.brokers

    @Option(help: "With --node-id: how long a query waits for another node, in milliseconds, before answering without its partitions (env QUOTEWIRE_PEER_TIMEOUT_MS).")
    var peerTimeoutMilliseconds: Int = Setting.int("QUOTEWIRE_PEER_TIMEOUT_MS", default: 2_000)

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if case let .port(web) = webPort {
            guard (0...65_535).contains(web) else { throw ValidationError("--web-port must be between 0 and 65535, or off") }
            guard web != port || web == 0 else { throw ValidationError("--web-port must differ from --port") }
        }
        guard peerTimeoutMilliseconds > 0 else { throw ValidationError("--peer-timeout-milliseconds must be positive") }
    }

    /// The service's settings as the flags give them.
    var serviceConfiguration: QueryServiceConfiguration {
        var configuration = QueryServiceConfiguration()
        configuration.indexPath = index
        configuration.host = host
        configuration.port = port
        if case let .port(web) = webPort { configuration.webPort = web } else { configuration.webPort = nil }
        configuration.token = (token ?? Setting.optionalString("QUOTEWIRE_QUERY_TOKEN")).flatMap { $0.isEmpty ? nil : $0 }
        if let nodeID = node.nodeID {
            var cluster = ClusterConfiguration(nodeID: nodeID, brokers: brokers)
            cluster.nodesTopic = node.nodesTopic
            cluster.peerTimeout = .milliseconds(peerTimeoutMilliseconds)
            configuration.cluster = cluster
        }
        return configuration
    }

    func run() async throws {
        let logger = logging.bootstrapLogging(label: "quotewire-query")
        let metrics = QueryMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let configuration = serviceConfiguration
        let directory = configuration.cluster.map { NodeDirectory(configuration: $0, logger: logger) }
        let index = QueryIndex(configuration: configuration, directory: directory, logger: logger)
        let app = try QueryApplication.make(configuration: configuration, metrics: metrics, logger: logger, directory: directory,
                                            index: index)
        let web = try configuration.webPort.map { port in
            try WebApplication.make(configuration: configuration, index: index.gatherer, port: port, metrics: metrics, logger: logger)
        }
        logger.info("starting", metadata: ["index": "\(configuration.indexPath)", "host": "\(configuration.host)",
                                           "port": "\(configuration.port)",
                                           "webPort": "\(configuration.webPort.map(String.init) ?? "off")",
                                           "auth": "\(configuration.token == nil ? "none" : "bearer")",
                                           "node": "\(configuration.cluster?.nodeID ?? "-")"])
        try await ServiceRunner.run([app] + (web.map { [$0] } ?? []) + (directory.map { [$0] } ?? []), logger: logger)
    }
}

/// `--web-port`: a port, or `off`.
enum WebPort: ExpressibleByArgument, Equatable {
    case port(Int)
    case off

    init?(argument: String) {
        if argument.lowercased() == "off" {
            self = .off
        } else if let port = Int(argument) {
            self = .port(port)
        } else {
            return nil
        }
    }

    var defaultValueDescription: String {
        switch self {
        case let .port(port): String(port)
        case .off: "off"
        }
    }
}
