import ArgumentParser
import IndexerService
import Logging
import QuotewireIndex
import QuotewireKafka
import ServiceSupport

/// `quotewire-indexer`: keeps the SQLite index folder up to date from quotes.parsed.
@main
struct QuotewireIndexer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-indexer",
        abstract: "Index parsed articles from quotes.parsed into a folder of SQLite FTS5 shards, one per partition.")

    /// Where every flag's default comes from.
    private static let defaults = IndexerServiceConfiguration(brokers: Setting.brokers)

    @OptionGroup var common: CommonOptions

    @Option(help: "The index folder (env QUOTEWIRE_INDEX).")
    var index: String = Setting.string("QUOTEWIRE_INDEX", default: Self.defaults.indexPath)

    @Option(help: "Health and metrics port (env QUOTEWIRE_INDEXER_PORT).")
    var port: Int = Setting.int("QUOTEWIRE_INDEXER_PORT", default: Self.defaults.ops.port)

    @Option(help: "Consumer group (env QUOTEWIRE_INDEXER_GROUP).")
    var group: String = Setting.string("QUOTEWIRE_INDEXER_GROUP", default: Self.defaults.groupID)

    @Option(help: "The topic of parsed articles (env QUOTEWIRE_PARSED_TOPIC).")
    var topic: String = Setting.string("QUOTEWIRE_PARSED_TOPIC", default: Self.defaults.topic)

    @Option(help: "The dead-letter topic (env QUOTEWIRE_DLQ_TOPIC).")
    var deadLetterTopic: String = Setting.string("QUOTEWIRE_DLQ_TOPIC", default: Self.defaults.deadLetterTopic)

    @Option(help: "Write a partition's batch once it holds this many records (env QUOTEWIRE_BATCH_RECORDS).")
    var batchRecords: Int = Setting.int("QUOTEWIRE_BATCH_RECORDS", default: Self.defaults.maxBatchRecords)

    @Option(help: "Write a partition's batch once its oldest record waited this many milliseconds (env QUOTEWIRE_BATCH_MS).")
    var batchMilliseconds: Int = Setting.int("QUOTEWIRE_BATCH_MS", default: Self.defaults.maxBatchDelay.wholeMilliseconds)

    @Option(help: "Seconds shutdown may spend flushing (env QUOTEWIRE_DRAIN_SECONDS).")
    var drainSeconds: Int = Setting.int("QUOTEWIRE_DRAIN_SECONDS", default: Self.defaults.drainTimeout.wholeSeconds)

    @OptionGroup var node: NodeOptions

    @Option(help: "With --node-id: the base URL other nodes reach this node's query service at, like http://host:8081 (env QUOTEWIRE_ADVERTISE_URL).")
    var advertiseURL: String?

    @Flag(help: "Replay quotes.parsed from the beginning into a new index generation, swap it in, and exit.")
    var rebuild = false

    func validate() throws {
        guard batchRecords > 0 else { throw ValidationError("--batch-records must be positive") }
        guard batchMilliseconds > 0 else { throw ValidationError("--batch-milliseconds must be positive") }
        if node.nodeID != nil, resolvedAdvertiseURL == nil {
            throw ValidationError("--node-id needs --advertise-url (or QUOTEWIRE_ADVERTISE_URL): where other nodes reach this node's query service")
        }
    }

    private var resolvedAdvertiseURL: String? {
        (advertiseURL ?? Setting.optionalString("QUOTEWIRE_ADVERTISE_URL")).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The stage's settings as the flags give them.
    var serviceConfiguration: IndexerServiceConfiguration {
        var configuration = IndexerServiceConfiguration(brokers: common.brokers, indexPath: index)
        configuration.ops = ListenAddress(host: common.host, port: port)
        configuration.groupID = group
        configuration.topic = topic
        configuration.deadLetterTopic = deadLetterTopic
        configuration.maxBatchRecords = batchRecords
        configuration.maxBatchDelay = .milliseconds(batchMilliseconds)
        configuration.drainTimeout = .seconds(drainSeconds)
        if let nodeID = node.nodeID, let url = resolvedAdvertiseURL {
            var advertising = NodeAdvertising(nodeID: nodeID, queryURL: url)
            advertising.nodesTopic = node.nodesTopic
            configuration.advertising = advertising
        }
        configuration.consumer.properties = common.librdkafkaProperties
        configuration.producer.properties = common.librdkafkaProperties
        return configuration
    }

    func run() async throws {
        let logger = common.bootstrapLogging(label: "quotewire-indexer")
        var configuration = serviceConfiguration
        if rebuild {
            try await IndexRebuilder(configuration: configuration, logger: logger).run()
            return
        }
        let metrics = PipelineMetrics(stage: "indexer")
        configuration.consumer.statistics = metrics.statisticsReporting(every: common.statisticsInterval)
        configuration.producer.statistics = metrics.statisticsReporting(every: common.statisticsInterval)
        let pipeline = IndexerPipeline(configuration: configuration, metrics: metrics, logger: logger)
        let folder = IndexFolder(path: configuration.indexPath)
        let ops = OpsServer.make(address: configuration.ops, metrics: metrics, logger: logger, beforeScrape: {
            let shards = (try? folder.shardFiles()) ?? [:]
            metrics.indexDiskUsage(ShardDiskUsage(shardFiles: Array(shards.values)))
        }) { pipeline.isReady }
        try await ServiceRunner.run([pipeline, ops], logger: logger)
    }
}
