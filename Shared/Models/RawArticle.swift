import Foundation

/// How an article body is encoded.
public enum ContentType: String, Codable, Sendable, Equatable, CaseIterable {
    case plainText = "text/plain"
    case html = "text/html"
}

/// An article as a scraper or user published it, before parsing (topic `articles.raw`).
public struct RawArticle: Codable, Sendable, Equatable {
    public var schemaVersion: Int
    public var articleId: String
    public var contentType: ContentType
    /// The body as received; HTML is kept as it came so a replay can extract it anew.
    public var body: String
    public var url: String?
    public var source: String?
    public var publishedAt: Date?
    public var receivedAt: Date

    /// The wire names (Codable's, and the byte-level reader's: `WireScanning`).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion, articleId, contentType, body, url, source, publishedAt, receivedAt
    }

    public init(
        schemaVersion: Int = SchemaVersion.current,
        articleId: String,
        contentType: ContentType,
        body: String,
        url: String? = nil,
        source: String? = nil,
        publishedAt: Date? = nil,
        receivedAt: Date
    ) {
        self.schemaVersion = schemaVersion
        self.articleId = articleId
        self.contentType = contentType
        self.body = body
        self.url = url
        self.source = source
        self.publishedAt = publishedAt
        self.receivedAt = receivedAt
    }

    /// A raw article whose id is derived from its URL or body (see `ArticleID`).
    public static func make(
        body: String,
        contentType: ContentType = .plainText,
        url: String? = nil,
        source: String? = nil,
        publishedAt: Date? = nil,
        receivedAt: Date = Date()
    ) -> RawArticle {
        RawArticle(
            articleId: ArticleID.derive(url: url, body: body),
            contentType: contentType,
            body: body,
            url: url,
            source: source,
            publishedAt: publishedAt,
            receivedAt: receivedAt
        )
    }
}

/// The message schema version this build writes and reads.
public enum SchemaVersion {
    public static let current = 1
}
