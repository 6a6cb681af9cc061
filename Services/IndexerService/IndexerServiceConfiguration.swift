import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import ServiceSupport

/// Settings of the indexer stage. The executable's flags take their defaults from here.
public struct IndexerServiceConfiguration: Sendable {
    public var brokers: String
    /// Where the health and metrics server listens.
    public var ops = ListenAddress(port: 8083)
    /// The consumer group indexer instances share; partitions move between them without loss.
    public var groupID = "indexer"
    public var topic = Topics.quotesParsed
    public var deadLetterTopic = Topics.deadLetter
    /// The index folder: one shard file per partition.
    public var indexPath: String
    /// A partition's batch is written when it holds this many records... (each partition
    /// has a batch of its own, written in parallel, so this bounds memory per partition)
    public var maxBatchRecords = 250
    /// ...or when its oldest record waited this long.
    public var maxBatchDelay: Duration = .milliseconds(200)
    public var consumer: ConsumerConfiguration
    public var producer: ProducerConfiguration
    public var writer = IndexWriterConfiguration()
    /// When set, the indexer is one node of several and advertises its partitions.
    public var advertising: NodeAdvertising?
    /// How long shutdown may spend flushing dead letters.
    public var drainTimeout: Duration = .seconds(10)

    public init(brokers: String, indexPath: String = ServiceDefaults.indexPath) {
        self.brokers = brokers
        self.indexPath = indexPath
        self.consumer = ConsumerConfiguration(brokers: brokers, groupID: groupID)
        self.consumer.clientID = "quotewire-indexer"
        self.consumer.batchSize = 250
        // The indexer's memory bound: at most this much prefetched per partition. It must
        // hold more than a batch (250 records of ~8 KB), or the indexer waits for fetches
        // after every batch: 1-2 MB made it 40-120% slower.
        self.consumer.prefetchKilobytes = 4 * 1024
        self.producer = ProducerConfiguration(brokers: brokers)
        self.producer.clientID = "quotewire-indexer"
    }
}
