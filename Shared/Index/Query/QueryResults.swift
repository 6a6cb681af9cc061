import Foundation
import QuotewireModels

// The result documents of the query API. They are the JSON bodies of the query service
// and what `quotewire … --json` prints, whichever way it reached the index.

/// Whether a search hit is an article or a quotation.
public enum SearchHitType: String, Codable, Sendable, Equatable {
    case article
    case quotation
}

/// One search hit, ranked by bm25 (higher ``score`` is better).
public struct SearchHit: Codable, Sendable, Equatable {
    public var type: SearchHitType
    public var articleId: String
    public var headline: String?
    /// The best-matching passage: plain text with HTML's `&`, `<`, `>` escaped and
    /// matched terms wrapped in `<mark>`…`</mark>`.
    public var snippet: String
    /// The bm25 relevance, made positive: higher is better.
    public var score: Double
    /// For a quotation: its full text and speaker (when known).
    public var text: String?
    public var speaker: String?
    public var source: String?
    public var publishedAt: Date?
    public var receivedAt: Date?
    /// For a quotation: its ``QuotationID`` (`ARTICLE~N`).
    public var quotationId: String?

    public init(
        type: SearchHitType, articleId: String, headline: String?, snippet: String, score: Double,
        text: String? = nil, speaker: String? = nil, source: String? = nil, publishedAt: Date? = nil,
        receivedAt: Date? = nil, quotationId: String? = nil
    ) {
        self.type = type
        self.articleId = articleId
        self.headline = headline
        self.snippet = snippet
        self.score = score
        self.text = text
        self.speaker = speaker
        self.source = source
        self.publishedAt = publishedAt
        self.receivedAt = receivedAt
        self.quotationId = quotationId
    }
}

/// A page of search hits; pass ``nextCursor`` back to get the next page.
public struct SearchPage: Codable, Sendable, Equatable, PartialAnswer {
    public var results: [SearchHit]
    /// Absent on the last page.
    public var nextCursor: String?
    /// The counts of all results, when asked for.
    public var facets: SearchFacets?
    /// True when some partitions did not answer (their node is down or late, or no node
    /// serves them yet): the answer holds the others' results only. Absent when complete.
    public var partial: Bool?
    /// The partitions missing from a partial answer.
    public var missingPartitions: [Int]?

    public init(results: [SearchHit], nextCursor: String?, facets: SearchFacets? = nil) {
        self.results = results
        self.nextCursor = nextCursor
        self.facets = facets
    }
}

/// A quotation with the article it appeared in.
public struct QuotationItem: Codable, Sendable, Equatable {
    public var text: String
    public var speaker: String?
    public var speakerMention: String?
    public var speakerRole: String?
    public var kind: QuotationKind
    public var articleId: String
    public var headline: String?
    public var source: String?
    public var publishedAt: Date?
    public var receivedAt: Date?
    /// Its ``QuotationID`` (`ARTICLE~N`).
    public var quotationId: String?

    public init(
        text: String, speaker: String?, speakerMention: String?, speakerRole: String?, kind: QuotationKind,
        articleId: String, headline: String?, source: String?, publishedAt: Date?, receivedAt: Date?,
        quotationId: String? = nil
    ) {
        self.text = text
        self.speaker = speaker
        self.speakerMention = speakerMention
        self.speakerRole = speakerRole
        self.kind = kind
        self.articleId = articleId
        self.headline = headline
        self.source = source
        self.publishedAt = publishedAt
        self.receivedAt = receivedAt
        self.quotationId = quotationId
    }
}

/// Quotations, newest first (by the article's `publishedAt`, else `receivedAt`).
public struct QuotationList: Codable, Sendable, Equatable, PartialAnswer {
    public var quotations: [QuotationItem]
    /// Pass back as `cursor` for the next page; absent on the last page.
    public var nextCursor: String?
    /// True when some partitions did not answer (their node is down or late, or no node
    /// serves them yet): the answer holds the others' results only. Absent when complete.
    public var partial: Bool?
    /// The partitions missing from a partial answer.
    public var missingPartitions: [Int]?

    public init(quotations: [QuotationItem], nextCursor: String? = nil) {
        self.quotations = quotations
        self.nextCursor = nextCursor
    }
}

/// A speaker and how many quotations the index attributes to them.
public struct SpeakerItem: Codable, Sendable, Equatable {
    /// The canonical (fullest) name.
    public var name: String
    public var quotations: Int
    /// The ways articles referred to them ("Rutte", "Mark Rutte"), most frequent first.
    public var mentions: [String]

    public init(name: String, quotations: Int, mentions: [String]) {
        self.name = name
        self.quotations = quotations
        self.mentions = mentions
    }
}

/// Speakers, most quoted first.
public struct SpeakerList: Codable, Sendable, Equatable, PartialAnswer {
    public var speakers: [SpeakerItem]
    /// True when some partitions did not answer (their node is down or late, or no node
    /// serves them yet): the answer holds the others' results only. Absent when complete.
    public var partial: Bool?
    /// The partitions missing from a partial answer.
    public var missingPartitions: [Int]?

    public init(speakers: [SpeakerItem]) {
        self.speakers = speakers
    }
}

/// One market quote seen for a symbol.
public struct TickerQuote: Codable, Sendable, Equatable {
    public var price: Double
    public var changePercent: Double?
    public var currency: String?
    public var exchange: String?
    public var articleId: String
    /// The article's `publishedAt`, else its `receivedAt`, else when it was indexed.
    public var seenAt: Date

    public init(price: Double, changePercent: Double?, currency: String?, exchange: String?, articleId: String, seenAt: Date) {
        self.price = price
        self.changePercent = changePercent
        self.currency = currency
        self.exchange = exchange
        self.articleId = articleId
        self.seenAt = seenAt
    }
}

/// The market quotes of one symbol over time, oldest first (the latest `limit` of them).
public struct TickerHistory: Codable, Sendable, Equatable, PartialAnswer {
    public var symbol: String
    public var quotes: [TickerQuote]
    /// True when some partitions did not answer (their node is down or late, or no node
    /// serves them yet): the answer holds the others' results only. Absent when complete.
    public var partial: Bool?
    /// The partitions missing from a partial answer.
    public var missingPartitions: [Int]?

    public init(symbol: String, quotes: [TickerQuote]) {
        self.symbol = symbol
        self.quotes = quotes
    }
}

/// An article as stored: the `ParsedArticle` fields plus `seenAt`.
public struct StoredArticle: Codable, Sendable, Equatable {
    public var article: ParsedArticle
    /// When the indexer stored it.
    public var seenAt: Date

    public init(article: ParsedArticle, seenAt: Date) {
        self.article = article
        self.seenAt = seenAt
    }

    enum CodingKeys: String, CodingKey { case seenAt }

    public init(from decoder: any Decoder) throws {
        article = try ParsedArticle(from: decoder)
        seenAt = try decoder.container(keyedBy: CodingKeys.self).decode(Date.self, forKey: .seenAt)
    }

    public func encode(to encoder: any Encoder) throws {
        try article.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seenAt, forKey: .seenAt)
    }
}

/// An answer that may lack the results of some partitions (a node of several that could not
/// reach them all).
public protocol PartialAnswer {
    var partial: Bool? { get set }
    var missingPartitions: [Int]? { get set }
}

extension PartialAnswer {
    /// Marks the answer partial when `missing` is not empty.
    mutating func markPartial(_ missing: some Collection<Int>) {
        guard !missing.isEmpty else { return }
        partial = true
        missingPartitions = Set(missing).sorted()
    }
}
