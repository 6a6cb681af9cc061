import ArgumentParser
import Logging
import QuotewireKafka
import QuotewireModels
import ParserService
import ServiceSupport

/// `quotewire-parser`: consumes raw articles, publishes parsed quotations.
@main
struct QuotewireParser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotewire-parser",
        abstract: "Parse raw articles from articles.raw into quotations and market quotes on quotes.parsed.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Health and metrics port (env QUOTEWIRE_PARSER_PORT).")
    var port: Int = Setting.int("QUOTEWIRE_PARSER_PORT", default: 8082)

    @Option(help: "Consumer group (env QUOTEWIRE_PARSER_GROUP).")
    var group: String = Setting.string("QUOTEWIRE_PARSER_GROUP", default: "quote-parser")

    @Option(help: "The topic of raw articles (env QUOTEWIRE_RAW_TOPIC).")
    var inputTopic: String = Setting.string("QUOTEWIRE_RAW_TOPIC", default: Topics.articlesRaw)

    @Option(help: "The topic of parsed articles (env QUOTEWIRE_PARSED_TOPIC).")
    var outputTopic: String = Setting.string("QUOTEWIRE_PARSED_TOPIC", default: Topics.quotesParsed)

    @Option(help: "The dead-letter topic (env QUOTEWIRE_DLQ_TOPIC).")
    var deadLetterTopic: String = Setting.string("QUOTEWIRE_DLQ_TOPIC", default: Topics.deadLetter)

    @Option(help: "Seconds shutdown may spend flushing (env QUOTEWIRE_DRAIN_SECONDS).")
    var drainSeconds: Int = Setting.int("QUOTEWIRE_DRAIN_SECONDS", default: 10)

    func run() async throws {
        let logger = common.bootstrapLogging(label: "quotewire-parser")
        var configuration = ParserServiceConfiguration(brokers: common.brokers)
        configuration.groupID = group
        configuration.inputTopic = inputTopic
        configuration.outputTopic = outputTopic
        configuration.deadLetterTopic = deadLetterTopic
        configuration.drainTimeout = .seconds(drainSeconds)
        configuration.consumer.properties = common.librdkafkaProperties
        configuration.producer.properties = common.librdkafkaProperties
        let metrics = PipelineMetrics(stage: "parser")
        configuration.consumer.statistics = metrics.statisticsReporting(every: common.statisticsInterval)
        configuration.producer.statistics = metrics.statisticsReporting(every: common.statisticsInterval)
        let pipeline = ParserPipeline(configuration: configuration, metrics: metrics, logger: logger)
        let ops = OpsServer.make(host: common.host, port: port, metrics: metrics, logger: logger) { pipeline.isReady }
        try await StageRunner.run(stage: pipeline, ops: ops, logger: logger)
    }
}
