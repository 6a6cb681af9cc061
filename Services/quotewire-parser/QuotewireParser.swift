import ArgumentParser
import Logging
import ParserService
import QuotewireKafka
import ServiceSupport

/// `quotewire-parser`: consumes raw articles, publishes parsed quotations.
@main
struct QuotewireParser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-parser",
        abstract: "Parse raw articles from articles.raw into quotations and market quotes on quotes.parsed.")

    /// Where every flag's default comes from.
    private static let defaults = ParserServiceConfiguration(brokers: Setting.brokers)

    @OptionGroup var common: CommonOptions

    @Option(help: "Health and metrics port (env QUOTEWIRE_PARSER_PORT).")
    var port: Int = Setting.int("QUOTEWIRE_PARSER_PORT", default: Self.defaults.ops.port)

    @Option(help: "Consumer group (env QUOTEWIRE_PARSER_GROUP).")
    var group: String = Setting.string("QUOTEWIRE_PARSER_GROUP", default: Self.defaults.groupID)

    @Option(help: "The topic of raw articles (env QUOTEWIRE_RAW_TOPIC).")
    var inputTopic: String = Setting.string("QUOTEWIRE_RAW_TOPIC", default: Self.defaults.inputTopic)

    @Option(help: "The topic of parsed articles (env QUOTEWIRE_PARSED_TOPIC).")
    var outputTopic: String = Setting.string("QUOTEWIRE_PARSED_TOPIC", default: Self.defaults.outputTopic)

    @Option(help: "The dead-letter topic (env QUOTEWIRE_DLQ_TOPIC).")
    var deadLetterTopic: String = Setting.string("QUOTEWIRE_DLQ_TOPIC", default: Self.defaults.deadLetterTopic)

    @Option(help: "Seconds shutdown may spend flushing (env QUOTEWIRE_DRAIN_SECONDS).")
    var drainSeconds: Int = Setting.int("QUOTEWIRE_DRAIN_SECONDS", default: Self.defaults.drainTimeout.wholeSeconds)

    /// The stage's settings as the flags give them.
    var serviceConfiguration: ParserServiceConfiguration {
        var configuration = ParserServiceConfiguration(brokers: common.brokers)
        configuration.ops = ListenAddress(host: common.host, port: port)
        configuration.groupID = group
        configuration.inputTopic = inputTopic
        configuration.outputTopic = outputTopic
        configuration.deadLetterTopic = deadLetterTopic
        configuration.drainTimeout = .seconds(drainSeconds)
        configuration.consumer.properties = common.librdkafkaProperties
        configuration.producer.properties = common.librdkafkaProperties
        return configuration
    }

    func run() async throws {
        let logger = common.bootstrapLogging(label: "quotewire-parser")
        var configuration = serviceConfiguration
        let metrics = PipelineMetrics(stage: "parser")
        configuration.consumer.statistics = metrics.statisticsReporting(every: common.statisticsInterval)
        configuration.producer.statistics = metrics.statisticsReporting(every: common.statisticsInterval)
        let pipeline = ParserPipeline(configuration: configuration, metrics: metrics, logger: logger)
        let ops = OpsServer.make(address: configuration.ops, metrics: metrics, logger: logger) {
            pipeline.isReady
        }
        try await ServiceRunner.run([pipeline, ops], logger: logger)
    }
}
