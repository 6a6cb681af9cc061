import Foundation

/// What a page's markup says about its article, beside the body text: read by page extraction
/// from structured data, `<meta>` tags and the markup itself, and handed to the parser, whose
/// own guesses from the text's layout it overrides.
public struct PageMetadata: Codable, Sendable, Equatable {
    /// The article's headline (`og:title`, JSON-LD `headline`, the article's `<h1>`, `<title>` without the site's name).
    public var headline: String?
    /// The publication (`og:site_name`, JSON-LD `publisher`).
    public var outlet: String?
    /// Who wrote it (author `<meta>`, JSON-LD `author`, `rel=author`, a byline element), without a leading "By".
    public var byline: String?
    /// When it was published (`article:published_time`, JSON-LD `datePublished`, `<time datetime>`).
    public var publishedAt: Date?
    /// The page's own address for itself (`<link rel=canonical>`, `og:url`).
    public var canonicalURL: String?
    /// Image and video captions taken out of the body, in page order.
    public var captions: [String]

    public init(
        headline: String? = nil, outlet: String? = nil, byline: String? = nil, publishedAt: Date? = nil,
        canonicalURL: String? = nil, captions: [String] = []
    ) {
        self.headline = headline
        self.outlet = outlet
        self.byline = byline
        self.publishedAt = publishedAt
        self.canonicalURL = canonicalURL
        self.captions = captions
    }
}
