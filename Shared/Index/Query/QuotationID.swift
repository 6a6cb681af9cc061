/// The address of one quotation: its article's id and its place among the article's quotations,
/// counted from 0, written `ARTICLE~N` (`~` is no character of an article id, so the text splits
/// back without doubt). It names the same quotation for as long as the article is not replaced.
public struct QuotationID: Sendable, Hashable, CustomStringConvertible {
    public var articleId: String
    public var ordinal: Int

    /// The separator between the article id and the place.
    static let separator: Character = "~"
    /// More quotations than any article holds.
    static let maximumOrdinal = 99_999

    public init(articleId: String, ordinal: Int) {
        self.articleId = articleId
        self.ordinal = ordinal
    }

    /// Reads `ARTICLE~N`.
    /// - Throws: ``IndexError`` `.invalidArgument` when the text is not one.
    public init(parsing text: String) throws(IndexError) {
        let invalid = IndexError(.invalidArgument, "a quotation id is an article id, ~ and the quotation's place (from 0)")
        guard let split = text.lastIndex(of: Self.separator) else { throw invalid }
        let place = text[text.index(after: split)...]
        guard (1...5).contains(place.count), place.allSatisfy(\.isASCII), let ordinal = Int(place),
              (0...Self.maximumOrdinal).contains(ordinal)
        else { throw invalid }
        self.articleId = try IndexReader.validateArticleID(String(text[..<split]))
        self.ordinal = ordinal
    }

    public var description: String { "\(articleId)\(Self.separator)\(ordinal)" }
}
