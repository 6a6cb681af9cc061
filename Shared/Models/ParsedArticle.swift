import Foundation

/// Whether a quotation is whole speech or a fragment inside the writer's sentence.
public enum QuotationKind: String, Codable, Sendable, Equatable {
    /// A sentence or more of speech.
    case direct
    /// A quoted fragment inside the writer's own sentence, like `'not easy'`.
    case partial
}

/// One quotation: who said what.
public struct Quotation: Codable, Sendable, Equatable, Hashable {
    /// The quoted words without their quote marks.
    public var text: String
    /// The fullest name the article gives the speaker, or nil when it does not say.
    public var speaker: String?
    /// How the attributing sentence refers to the speaker ("Rutte", "he", "the Ukrainian leader").
    public var speakerMention: String?
    /// The speaker's title or apposition ("NATO chief").
    public var speakerRole: String?
    /// The speech verb or phrase ("said", "told", "according to").
    public var cue: String?
    public var kind: QuotationKind
    /// Unicode scalar offset of the first quoted character in the text the parser read.
    public var start: Int
    /// Unicode scalar offset one past the last quoted character (exclusive).
    public var end: Int
    /// The parser's attribution rule that found the speaker ("cueAfter", "quotationParagraph"), or nil
    /// when none did: says why a speaker was given.
    public var attribution: String?

    public init(
        text: String, speaker: String?, speakerMention: String?, speakerRole: String?,
        cue: String?, kind: QuotationKind, start: Int, end: Int, attribution: String? = nil
    ) {
        self.text = text
        self.speaker = speaker
        self.speakerMention = speakerMention
        self.speakerRole = speakerRole
        self.cue = cue
        self.kind = kind
        self.start = start
        self.end = end
        self.attribution = attribution
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case text, speaker, speakerMention, speakerRole, cue, kind, start, end, attribution
    }

    // Nil fields are written as `null` so every message has the same shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(speaker, forKey: .speaker)
        try c.encode(speakerMention, forKey: .speakerMention)
        try c.encode(speakerRole, forKey: .speakerRole)
        try c.encode(cue, forKey: .cue)
        try c.encode(kind, forKey: .kind)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(attribution, forKey: .attribution)
    }
}

/// A price line from a ticker block (`RIO 0.44% 57.26 $`).
public struct MarketQuote: Codable, Sendable, Equatable, Hashable {
    public var symbol: String
    public var changePercent: Double?
    public var price: Double
    /// ISO 4217 code ("USD", "EUR", "GBP", "JPY", "GBX"), or nil when the line has none.
    public var currency: String?
    /// The exchange header above the block ("NYSE - LSE"), or nil.
    public var exchange: String?

    public init(symbol: String, changePercent: Double?, price: Double, currency: String?, exchange: String?) {
        self.symbol = symbol
        self.changePercent = changePercent
        self.price = price
        self.currency = currency
        self.exchange = exchange
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case symbol, changePercent, price, currency, exchange
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(changePercent, forKey: .changePercent)
        try c.encode(price, forKey: .price)
        try c.encode(currency, forKey: .currency)
        try c.encode(exchange, forKey: .exchange)
    }
}

/// An article after parsing (topic `quotes.parsed`): structure, quotations and market quotes.
public struct ParsedArticle: Codable, Sendable, Equatable {
    public var schemaVersion: Int
    public var articleId: String
    public var source: String?
    public var headline: String?
    public var byline: String?
    public var caption: String?
    public var photoCredit: String?
    public var headings: [String]
    public var url: String?
    public var publishedAt: Date?
    public var receivedAt: Date?
    /// Body paragraphs only: no headline, ticker lines, caption, headings or furniture.
    public var paragraphs: [String]
    public var quotations: [Quotation]
    public var marketQuotes: [MarketQuote]

    public init(
        schemaVersion: Int = SchemaVersion.current,
        articleId: String,
        source: String? = nil,
        headline: String? = nil,
        byline: String? = nil,
        caption: String? = nil,
        photoCredit: String? = nil,
        headings: [String] = [],
        url: String? = nil,
        publishedAt: Date? = nil,
        receivedAt: Date? = nil,
        paragraphs: [String] = [],
        quotations: [Quotation] = [],
        marketQuotes: [MarketQuote] = []
    ) {
        self.schemaVersion = schemaVersion
        self.articleId = articleId
        self.source = source
        self.headline = headline
        self.byline = byline
        self.caption = caption
        self.photoCredit = photoCredit
        self.headings = headings
        self.url = url
        self.publishedAt = publishedAt
        self.receivedAt = receivedAt
        self.paragraphs = paragraphs
        self.quotations = quotations
        self.marketQuotes = marketQuotes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion, articleId, source, headline, byline, caption, photoCredit, headings
        case url, publishedAt, receivedAt, paragraphs, quotations, marketQuotes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(articleId, forKey: .articleId)
        try c.encode(source, forKey: .source)
        try c.encode(headline, forKey: .headline)
        try c.encode(byline, forKey: .byline)
        try c.encode(caption, forKey: .caption)
        try c.encode(photoCredit, forKey: .photoCredit)
        try c.encode(headings, forKey: .headings)
        try c.encode(url, forKey: .url)
        try c.encode(publishedAt, forKey: .publishedAt)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(paragraphs, forKey: .paragraphs)
        try c.encode(quotations, forKey: .quotations)
        try c.encode(marketQuotes, forKey: .marketQuotes)
    }
}
