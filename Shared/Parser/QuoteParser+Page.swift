import Foundation
import QuotewireModels

extension QuoteParser {
    /// Parses an article taken from a web page: its body paragraphs and what the page's markup
    /// says about it (``PageMetadata``, from page extraction).
    ///
    /// The text read is ``pageText(body:metadata:)``: the headline, the captions, then the body,
    /// one paragraph each, so quotation offsets are Unicode-scalar offsets into it. The body goes
    /// through the same pipeline as plain text (ticker lines, furniture, quotations, speakers);
    /// the headline and captions are taken as given instead of guessed from the layout (and
    /// their quotations, as in plain text, are kept only when the body does not repeat them).
    /// The metadata's outlet, byline, canonical URL and time fill the article's fields; a `url`
    /// or `publishedAt` given here (by whoever submitted the page) wins over the page's own.
    public func parse(
        body paragraphs: [String], metadata: PageMetadata, articleId: String, url: String? = nil,
        publishedAt: Date? = nil, receivedAt: Date? = nil
    ) -> ParsedArticle {
        let page = PageText(body: paragraphs, metadata: metadata)
        var article = page.bytes.withUnsafeBufferPointer { b in
            parse(utf8: b, known: page.known, articleId: articleId, url: url ?? metadata.canonicalURL,
                  publishedAt: publishedAt ?? metadata.publishedAt, receivedAt: receivedAt)
        }
        if let outlet = metadata.outlet { article.source = outlet }
        if let byline = metadata.byline { article.byline = byline }
        return article
    }

    /// The text ``parse(body:metadata:articleId:url:publishedAt:receivedAt:)`` reads, to which
    /// its quotation offsets refer: the headline, each caption and each body paragraph on a
    /// line of its own (line breaks inside one are spaces), blank lines between them.
    public static func pageText(body paragraphs: [String], metadata: PageMetadata) -> String {
        String(decoding: PageText(body: paragraphs, metadata: metadata).bytes, as: UTF8.self)
    }
}

/// A page's parts laid out as text for the parser, with the ranges of the known ones.
struct PageText {
    var bytes: [UInt8] = []
    var known = KnownParts()

    init(body paragraphs: [String], metadata: PageMetadata) {
        if let headline = metadata.headline { known.headline = append(headline) }
        for caption in metadata.captions {
            if let range = append(caption) { known.captions.append(range) }
        }
        known.bodyStart = bytes.count
        for paragraph in paragraphs { _ = append(paragraph) }
    }

    /// Appends one part as a line (after a blank line when not first); nil when it has no text.
    private mutating func append(_ part: String) -> Range<Int>? {
        var line: [UInt8] = []
        line.reserveCapacity(part.utf8.count)
        var space = false
        for c in part.utf8 {
            if c == 0x0A || c == 0x0D || c == 0x20 || c == 0x09 {
                space = !line.isEmpty
                continue
            }
            if space { line.append(0x20) }
            space = false
            line.append(c)
        }
        guard !line.isEmpty else { return nil }
        if !bytes.isEmpty { bytes.append(contentsOf: [0x0A, 0x0A]) }
        let start = bytes.count
        bytes.append(contentsOf: line)
        return start..<bytes.count
    }
}
