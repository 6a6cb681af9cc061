import ArgumentParser
import Foundation
import IngestService
import Logging
import QuotewireKafka
import QuotewireModels
import ServiceLifecycle
import ServiceSupport
import UnixSignals

/// `quotewire-ingest`: articles in over HTTP (and from a watched folder), onto `articles.raw`.
@main
struct QuotewireIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-ingest",
        abstract: "Accept articles over HTTP (POST /v1/articles) or from a folder and publish them to articles.raw.")

    @OptionGroup var common: CommonOptions

    @Option(help: "HTTP port (env QUOTEWIRE_INGEST_PORT).")
    var port: Int = Setting.int("QUOTEWIRE_INGEST_PORT", default: 8080)

    @Option(help: "The bearer token clients must send (env QUOTEWIRE_INGEST_TOKEN). Required, here or in --token-file.")
    var token: String?

    @Option(help: "A file holding the bearer token (env QUOTEWIRE_INGEST_TOKEN_FILE).")
    var tokenFile: String?

    @Option(help: "The largest request body or file accepted, in bytes (env QUOTEWIRE_INGEST_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = Setting.int("QUOTEWIRE_INGEST_MAX_BODY_BYTES", default: WireLimits.maxArticleBytes)

    @Option(help: "Also publish files dropped into this folder (env QUOTEWIRE_INGEST_WATCH).")
    var watch: String?

    @Option(help: "Seconds a watched file must stay unchanged before it is read (env QUOTEWIRE_INGEST_SETTLE_SECONDS).")
    var settleSeconds: Double = Setting.double("QUOTEWIRE_INGEST_SETTLE_SECONDS", default: 2)

    @Option(help: "Seconds a publish may wait for the broker before the client gets 503 (env QUOTEWIRE_INGEST_DELIVERY_TIMEOUT_SECONDS).")
    var deliveryTimeoutSeconds: Int = Setting.int("QUOTEWIRE_INGEST_DELIVERY_TIMEOUT_SECONDS", default: 5)

    @Option(help: "The topic of raw articles (env QUOTEWIRE_RAW_TOPIC).")
    var topic: String = Setting.string("QUOTEWIRE_RAW_TOPIC", default: Topics.articlesRaw)

    @Option(help: "Seconds shutdown may spend finishing publishes and flushing (env QUOTEWIRE_DRAIN_SECONDS).")
    var drainSeconds: Int = Setting.int("QUOTEWIRE_DRAIN_SECONDS", default: 10)

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        guard maxBodyBytes > 0, maxBodyBytes <= WireLimits.maxMessageBytes / 2 else {
            throw ValidationError("--max-body-bytes must be between 1 and \(WireLimits.maxMessageBytes / 2)")
        }
        guard deliveryTimeoutSeconds >= 1 else { throw ValidationError("--delivery-timeout-seconds must be at least 1") }
        guard settleSeconds >= 0 else { throw ValidationError("--settle-seconds must not be negative") }
    }

    func run() async throws {
        let token = try resolveToken()
        let logger = common.bootstrapLogging(label: "quotewire-ingest")
        var configuration = IngestServiceConfiguration(brokers: common.brokers, token: token)
        configuration.host = common.host
        configuration.port = port
        configuration.topic = topic
        configuration.maxBodyBytes = maxBodyBytes
        configuration.drainTimeout = .seconds(drainSeconds)
        configuration.producer.deliveryTimeout = .seconds(deliveryTimeoutSeconds)
        configuration.producer.properties = common.librdkafkaProperties

        let metrics = IngestMetrics()
        configuration.producer.statistics = metrics.pipeline.statisticsReporting(every: common.statisticsInterval)
        let publisher = try ArticlePublisher(configuration: configuration, metrics: metrics, logger: logger)
        let host = configuration.host
        let app = IngestApplication.make(configuration: configuration, publisher: publisher, metrics: metrics, logger: logger) { port in
            logger.info("listening", metadata: ["host": "\(host)", "port": "\(port.map(String.init) ?? "?")"])
        }
        // Graceful shutdown runs in reverse order: the server finishes its requests, the watcher
        // its file, and the publisher, stopping last, drains and flushes.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: publisher),
        ]
        if let watch = watch ?? Setting.optionalString("QUOTEWIRE_INGEST_WATCH") {
            var watchConfiguration = FolderWatchConfiguration(folder: watch)
            watchConfiguration.settleTime = .milliseconds(Int(settleSeconds * 1000))
            watchConfiguration.maxFileBytes = maxBodyBytes
            let watcher = FolderWatcher(configuration: watchConfiguration, publisher: publisher, metrics: metrics, logger: logger)
            try watcher.prepareFolders()
            services.append(.init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        services.append(.init(service: app, successTerminationBehavior: .gracefullyShutdownGroup,
                              failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The token from `--token`/`QUOTEWIRE_INGEST_TOKEN`, else from the token file; the
    /// service does not start without one.
    func resolveToken() throws -> String {
        if let token = token ?? Setting.optionalString("QUOTEWIRE_INGEST_TOKEN"), !token.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return token.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let tokenFile = tokenFile ?? Setting.optionalString("QUOTEWIRE_INGEST_TOKEN_FILE") {
            let text: String
            do {
                text = try String(contentsOfFile: tokenFile, encoding: .utf8)
            } catch {
                Self.refuse("cannot read the token file \(tokenFile): \(error.localizedDescription)")
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { Self.refuse("the token file \(tokenFile) is empty") }
            return trimmed
        }
        Self.refuse("no bearer token: set --token or QUOTEWIRE_INGEST_TOKEN, or --token-file or QUOTEWIRE_INGEST_TOKEN_FILE; the service does not run open")
    }

    static func refuse(_ message: String) -> Never {
        FileHandle.standardError.write(Data("quotewire-ingest: \(message)\n".utf8))
        Foundation.exit(78)  // EX_CONFIG
    }
}
