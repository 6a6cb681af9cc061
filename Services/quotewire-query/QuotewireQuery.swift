import ArgumentParser
import Foundation
import Logging
import Metrics
import QueryService
import ServiceLifecycle
import ServiceSupport
import UnixSignals

/// `quotewire-query`: the HTTP JSON query service over an index folder.
@main
struct QuotewireQuery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-query",
        abstract: "Serve the Quotewire index over HTTP (read-only JSON API).")

    @Option(help: "The index folder (env QUOTEWIRE_INDEX).")
    var index: String = Setting.string("QUOTEWIRE_INDEX", default: "./data/index")

    @Option(help: "The port to listen on (env QUOTEWIRE_QUERY_PORT).")
    var port: Int = Setting.int("QUOTEWIRE_QUERY_PORT", default: 8081)

    @Option(help: "The address to listen on (env QUOTEWIRE_HOST).")
    var host: String = Setting.string("QUOTEWIRE_HOST", default: "127.0.0.1")

    @Option(help: "Require this bearer token on /v1 routes (env QUOTEWIRE_QUERY_TOKEN).")
    var token: String?

    @OptionGroup var logging: LogOptions

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let logger = logging.bootstrapLogging(label: "quotewire-query")
        let metrics = QueryMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let configuration = QueryServiceConfiguration(
            indexPath: index, host: host, port: port,
            token: (token ?? Setting.optionalString("QUOTEWIRE_QUERY_TOKEN")).flatMap { $0.isEmpty ? nil : $0 })
        let app = try QueryApplication.make(configuration: configuration, metrics: metrics, logger: logger)
        logger.info("starting", metadata: ["index": "\(index)", "host": "\(host)", "port": "\(port)",
                                           "auth": "\(configuration.token == nil ? "none" : "bearer")"])
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
