import QuotewireKafka
import QuotewireModels

/// Settings of the parser stage; defaults make the pieces find each other on one machine.
public struct ParserServiceConfiguration: Sendable {
    public var brokers: String
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
        self.consumer = ConsumerConfiguration(brokers: brokers, groupID: "quote-parser")
        self.consumer.clientID = "quotewire-parser"
        self.producer = ProducerConfiguration(brokers: brokers)
        self.producer.clientID = "quotewire-parser"
    }
}
