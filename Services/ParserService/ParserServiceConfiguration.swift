import QuotewireKafka
import QuotewireModels
import ServiceSupport

/// Settings of the parser stage; defaults make the pieces find each other on one machine.
/// The executable's flags take their defaults from here.
public struct ParserServiceConfiguration: Sendable {
    public var brokers: String
    /// Where the health and metrics server listens.
    public var ops = ListenAddress(port: 8082)
    /// The consumer group every parser instance joins; instances share the partitions.
    public var groupID = "quote-parser"
    public var inputTopic = Topics.articlesRaw
    public var outputTopic = Topics.quotesParsed
    public var deadLetterTopic = Topics.deadLetter
    /// Consumer tuning (batch size, prefetch bound, group timeouts) and raw librdkafka keys.
    public var consumer: ConsumerConfiguration
    /// Producer tuning and raw librdkafka keys.
    public var producer: ProducerConfiguration
    /// The longest pause between attempts to publish while the broker is away.
    public var maxRetryDelay: Duration = .seconds(5)
    /// How long shutdown may spend flushing the producer.
    public var drainTimeout: Duration = .seconds(10)

    public init(brokers: String) {
        self.brokers = brokers
        self.consumer = ConsumerConfiguration(brokers: brokers, groupID: groupID)
        self.consumer.clientID = "quotewire-parser"
        self.producer = ProducerConfiguration(brokers: brokers)
        self.producer.clientID = "quotewire-parser"
    }
}
