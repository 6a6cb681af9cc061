import ArgumentParser
import Foundation
import Logging
import Metrics
import QueryService
import ServiceLifecycle
import UnixSignals

/// `quotewire-query`: the HTTP JSON query service over an index folder.
@main
struct QuotewireQuery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-query",
        abstract: "Serve the Quotewire index over HTTP (read-only JSON API).")

    @Option(help: "The index folder (env QUOTEWIRE_INDEX).")
    var index: String = ProcessInfo.processInfo.environment["QUOTEWIRE_INDEX"] ?? "./data/index"

    @Option(help: "The port to listen on (env QUOTEWIRE_QUERY_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["QUOTEWIRE_QUERY_PORT"] ?? "") ?? 8081

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Require this bearer token on /v1 routes (env QUOTEWIRE_QUERY_TOKEN).")
    var token: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        var logger = Logger(label: "quotewire-query")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let metrics = QueryMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let configuration = QueryServiceConfiguration(
            indexPath: index, host: host, port: port,
            token: (token ?? ProcessInfo.processInfo.environment["QUOTEWIRE_QUERY_TOKEN"]).flatMap { $0.isEmpty ? nil : $0 })
        let app = try QueryApplication.make(configuration: configuration, metrics: metrics, logger: logger)
        logger.info("starting", metadata: ["index": "\(index)", "host": "\(host)", "port": "\(port)",
                                           "auth": "\(configuration.token == nil ? "none" : "bearer")"])
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
