import ArgumentParser
import Foundation
import IngestService
import Logging
import QuotewireKafka
import QuotewireModels
import ServiceLifecycle
import ServiceSupport

/// `quotewire-ingest`: articles in over HTTP (and from a watched folder), onto `articles.raw`.
@main
struct QuotewireIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-ingest",
        abstract: "Accept articles over HTTP (POST /v1/articles) or from a folder and publish them to articles.raw.")

    /// Where every flag's default comes from (the token, required, has none).
    private static let defaults = IngestServiceConfiguration(brokers: Setting.brokers, token: "")
    private static let watchDefaults = FolderWatchConfiguration(folder: "")

    @OptionGroup var common: CommonOptions

    @Option(help: "HTTP port (env QUOTEWIRE_INGEST_PORT).")
    var port: Int = Setting.int("QUOTEWIRE_INGEST_PORT", default: Self.defaults.port)

    @Option(help: "The bearer token clients must send (env QUOTEWIRE_INGEST_TOKEN). Required, here or in --token-file.")
    var token: String?

    @Option(help: "A file holding the bearer token (env QUOTEWIRE_INGEST_TOKEN_FILE).")
    var tokenFile: String?

    @Option(help: "The largest request body or file accepted, in bytes (env QUOTEWIRE_INGEST_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = Setting.int("QUOTEWIRE_INGEST_MAX_BODY_BYTES", default: Self.defaults.maxBodyBytes)

    @Option(help: "Also publish files dropped into this folder (env QUOTEWIRE_INGEST_WATCH).")
    var watch: String?

    @Option(help: "Seconds a watched file must stay unchanged before it is read (env QUOTEWIRE_INGEST_SETTLE_SECONDS).")
    var settleSeconds: Double = Setting.double("QUOTEWIRE_INGEST_SETTLE_SECONDS", default: Self.watchDefaults.settleTime.secondsValue)

    @Option(help: "Seconds a publish may wait for the broker before the client gets 503 (env QUOTEWIRE_INGEST_DELIVERY_TIMEOUT_SECONDS).")
    var deliveryTimeoutSeconds: Int = Setting.int("QUOTEWIRE_INGEST_DELIVERY_TIMEOUT_SECONDS", default: Self.defaults.producer.deliveryTimeout.wholeSeconds)

    @Option(help: "The topic of raw articles (env QUOTEWIRE_RAW_TOPIC).")
    var topic: String = Setting.string("QUOTEWIRE_RAW_TOPIC", default: Self.defaults.topic)

    @Option(help: "Seconds shutdown may spend finishing publishes and flushing (env QUOTEWIRE_DRAIN_SECONDS).")
    var drainSeconds: Int = Setting.int("QUOTEWIRE_DRAIN_SECONDS", default: Self.defaults.drainTimeout.wholeSeconds)

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        guard maxBodyBytes > 0, maxBodyBytes <= WireLimits.maxMessageBytes / 2 else {
            throw ValidationError("--max-body-bytes must be between 1 and \(WireLimits.maxMessageBytes / 2)")
        }
        guard deliveryTimeoutSeconds >= 1 else { throw ValidationError("--delivery-timeout-seconds must be at least 1") }
        guard settleSeconds >= 0 else { throw ValidationError("--settle-seconds must not be negative") }
    }

    /// The service's settings as the flags give them.
    func serviceConfiguration(token: String) -> IngestServiceConfiguration {
        var configuration = IngestServiceConfiguration(brokers: common.brokers, token: token)
        configuration.host = common.host
        configuration.port = port
        configuration.topic = topic
        configuration.maxBodyBytes = maxBodyBytes
        configuration.drainTimeout = .seconds(drainSeconds)
        configuration.producer.deliveryTimeout = .seconds(deliveryTimeoutSeconds)
        configuration.producer.properties = common.librdkafkaProperties
        return configuration
    }

    /// Folder mode's settings, when a folder is to be watched.
    var watchConfiguration: FolderWatchConfiguration? {
        guard let folder = watch ?? Setting.optionalString("QUOTEWIRE_INGEST_WATCH") else { return nil }
        var configuration = FolderWatchConfiguration(folder: folder)
        configuration.settleTime = .milliseconds(Int(settleSeconds * 1000))
        configuration.maxFileBytes = maxBodyBytes
        return configuration
    }

    func run() async throws {
        let token = try resolveToken()
        let logger = common.bootstrapLogging(label: "quotewire-ingest")
        var configuration = serviceConfiguration(token: token)
        let metrics = IngestMetrics()
        configuration.producer.statistics = metrics.pipeline.statisticsReporting(every: common.statisticsInterval)
        let publisher = try ArticlePublisher(configuration: configuration, metrics: metrics, logger: logger)
        let host = configuration.host
        let app = IngestApplication.make(configuration: configuration, publisher: publisher, metrics: metrics, logger: logger) { port in
            logger.info("listening", metadata: ["host": "\(host)", "port": "\(port.map(String.init) ?? "?")"])
        }
        // Graceful shutdown runs in reverse order: the server finishes its requests, the watcher
        // its file, and the publisher, stopping last, drains and flushes.
        var services: [any Service] = [publisher]
        if let watchConfiguration {
            let watcher = FolderWatcher(configuration: watchConfiguration, publisher: publisher, metrics: metrics, logger: logger)
            try watcher.prepareFolders()
            services.append(watcher)
        }
        services.append(app)
        try await ServiceRunner.run(services, logger: logger)
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
