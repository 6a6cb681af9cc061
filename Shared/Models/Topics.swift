/// The Kafka topics the services talk over (DESIGN.md, "Topics").
public enum Topics {
    /// Raw articles keyed by article id; a null value deletes the article.
    public static let articlesRaw = "articles.raw"
    /// Parsed articles keyed by article id; a null value deletes the article.
    public static let quotesParsed = "quotes.parsed"
    /// Messages a stage could not handle, unchanged, with `DeadLetterHeader`s.
    public static let deadLetter = "articles.dlq"
    /// Which indexer node serves which partitions of `quotes.parsed`, and at what query URL
    /// (``NodeAdvertisement`` keyed by node; compacted, one partition).
    public static let indexNodes = "index.nodes"

    /// Every topic the pipeline uses, in pipeline order.
    public static let all = [articlesRaw, quotesParsed, deadLetter]
    /// Partitions each topic gets when it is created by the tooling.
    public static let defaultPartitions = 3
}

/// Header names a dead-lettered message carries.
public enum DeadLetterHeader {
    public static let error = "quotewire-error"
    public static let stage = "quotewire-stage"
    public static let sourceTopic = "quotewire-source-topic"
    public static let sourcePartition = "quotewire-source-partition"
    public static let sourceOffset = "quotewire-source-offset"
}

/// Wire limits shared by producers, topics and the ingest service.
public enum WireLimits {
    /// The largest article body ingest accepts, in bytes (4 MB).
    public static let maxArticleBytes = 4 * 1024 * 1024
    /// The largest Kafka message a producer sends: the article plus its JSON envelope.
    public static let maxMessageBytes = 10 * 1024 * 1024
}
