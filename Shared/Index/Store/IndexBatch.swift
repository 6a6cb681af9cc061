import Foundation
import QuotewireModels

/// One change to a shard, in the order the partition delivered it.
public enum IndexOperation: Sendable, Equatable {
    /// Stores `article`, replacing any earlier version with the same id (and its
    /// quotations, market quotes and speaker counts).
    /// - Parameters:
    ///   - seenAt: when the indexer received it (used when the article has no dates).
    ///   - offset: the Kafka offset of the message it came from.
    case upsert(ParsedArticle, seenAt: Date, offset: Int64)
    /// Removes the article with this id everywhere (a tombstone). Unknown ids are ignored.
    case delete(articleId: String, offset: Int64)

    /// The article id the operation touches.
    public var articleId: String {
        switch self {
        case .upsert(let article, _, _): article.articleId
        case .delete(let id, _): id
        }
    }
}

/// The position to resume a partition from: the offset of the next message to read.
public struct ConsumedOffset: Sendable, Hashable, Codable {
    public var topic: String
    public var partition: Int
    /// The offset after the last message whose effect is in the shard.
    public var nextOffset: Int64

    public init(topic: String, partition: Int, nextOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.nextOffset = nextOffset
    }
}

/// Operations plus the offsets that cover them, applied in one SQLite transaction:
/// either all of it is stored, offsets included, or none of it.
public struct IndexBatch: Sendable, Equatable {
    /// The operations, applied in order (a later operation on the same id wins).
    public var operations: [IndexOperation]
    /// The offsets to record with them, usually one (`quotes.parsed`, this shard's partition).
    public var offsets: [ConsumedOffset]

    public init(operations: [IndexOperation], offsets: [ConsumedOffset]) {
        self.operations = operations
        self.offsets = offsets
    }

    /// A batch recording a single (topic, partition, next offset).
    public init(operations: [IndexOperation], topic: String, partition: Int, nextOffset: Int64) {
        self.init(operations: operations, offsets: [ConsumedOffset(topic: topic, partition: partition, nextOffset: nextOffset)])
    }
}

/// Row counts of a shard or a whole index.
public struct IndexCounts: Sendable, Equatable, Codable {
    public var articles: Int
    public var quotations: Int
    public var speakers: Int
    public var marketQuotes: Int

    public init(articles: Int = 0, quotations: Int = 0, speakers: Int = 0, marketQuotes: Int = 0) {
        self.articles = articles
        self.quotations = quotations
        self.speakers = speakers
        self.marketQuotes = marketQuotes
    }

    static func + (lhs: IndexCounts, rhs: IndexCounts) -> IndexCounts {
        IndexCounts(
            articles: lhs.articles + rhs.articles, quotations: lhs.quotations + rhs.quotations,
            speakers: lhs.speakers + rhs.speakers, marketQuotes: lhs.marketQuotes + rhs.marketQuotes)
    }
}
