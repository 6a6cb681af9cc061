/// What a page's markup says about its article, collected during the walk: the raw material
/// of ``PageMetadata`` and of the structured-data body.
struct PageSignals {
    /// The text of an element wanted whole.
    struct Capture {
        enum Kind: Equatable {
            /// An `<h1>`.
            case heading
            /// A `<time>`.
            case time
            /// A `<figcaption>`, `<caption>` or an element with a caption class.
            case caption
            /// `rel=author`, `itemprop=author`.
            case author
            /// An element whose class or id names a byline or author.
            case byline
        }

        var element: Int32
        var kind: Kind
        /// Its bytes in ``PageTree/text`` (block boundaries are newlines there).
        var text: Range<Int>
    }

    /// The first `<title>`.
    var title: String?
    /// `<meta>` contents by property, name or itemprop (lower-cased); the first of each.
    var metas: [String: String] = [:]
    /// `<link rel=canonical>`.
    var canonical: String?
    /// The `application/ld+json` scripts.
    var jsonLD: [String] = []
    /// `<time datetime>` and `itemprop=datePublished` values, with their elements, in page order.
    var times: [(element: Int32, value: String)] = []
    var captures: [Capture] = []

    /// Notes a `<meta>` or `<link>`.
    mutating func note(_ a: ElementAttributes) {
        guard let key = a.key else { return }
        if let href = a.href {
            if key.split(separator: " ").contains("canonical"), canonical == nil { canonical = href }
            return
        }
        guard let content = a.content, !content.isEmpty, Self.metaKeys.contains(key), metas[key] == nil else { return }
        metas[key] = content
    }

    /// The `<meta>` keys metadata is read from.
    static let metaKeys: Set<String> = [
        "og:title", "twitter:title", "og:site_name", "og:url", "og:type", "og:description", "description",
        "article:published_time", "og:article:published_time", "article:author", "author", "byl", "dc.creator",
        "dcterms.creator", "sailthru.author", "parsely-author", "dc.date", "dc.date.issued", "dcterms.date", "date",
        "pubdate", "publishdate", "publish-date", "publication_date", "sailthru.date", "parsely-pub-date",
        "datepublished", "headline", "application-name", "cxenseparse:recs:publishtime",
    ]
}
