import Foundation
import PageExtraction
import QuoteParser
import QuotewireModels

/// What must hold when the parser reads any bytes, as plain text and as HTML:
///
/// - `parse(_:)` and `parse(bytes:)` give the same article (invalid UTF-8 repaired the same way);
/// - every quotation has text, `0 <= start <= end <=` the text's scalar count, and its text
///   (each blank-line-separated part, in order) lies inside `start..<end`;
/// - `ParsedArticleJSONWriter` and `QuoteParser.writeJSON` decode with `WireCoding` to the
///   article, write the same bytes as each other, and the same bytes as Codable once keys
///   are sorted (also with a url and dates set);
/// - as an HTML page (``PageExtractor`` over libxml2, then `QuoteParser.parse(body:metadata:)`):
///   the page's bytes and their text give the same article; it writes no more text (body, and
///   each metadata field) than the page holds once decoded; from valid UTF-8 without a U+FFFD or
///   a character reference it makes none (no sequence cut in two); no paragraph is empty or
///   holds a line break; the page parse holds the quotation properties above against
///   `QuoteParser.pageText`, and its JSON those of the writers; that text parses as text too.
public enum ParserProperties {
    /// The article id of every parse: quotes, a backslash, a slash and a control character test the escaping.
    static let articleId = "fuzz \"id\" \\ / \u{1}"

    /// - Throws: ``PropertyViolation`` for the first property that does not hold.
    public static func check(_ bytes: [UInt8]) throws(PropertyViolation) {
        try checkParse(bytes, as: "text")
        try checkPage(bytes)
    }

    // MARK: HTML

    static func checkPage(_ bytes: [UInt8]) throws(PropertyViolation) {
        let decoded = bytes.withUnsafeBufferPointer { b in try? PageCharset.string(b) } ?? String(decoding: bytes, as: UTF8.self)
        let page = PageExtractor.extract(decoded)
        if let fromBytes = bytes.withUnsafeBufferPointer({ b in try? PageExtractor.extract(bytes: b) }), fromBytes != page {
            throw PropertyViolation("html: extract(bytes:) equals extract(_:) of the decoded text", "they differ")
        }
        let limit = decoded.utf8.count
        let bodyBytes = page.paragraphs.reduce(0) { $0 + $1.utf8.count }
        guard bodyBytes <= limit else {
            throw PropertyViolation("html: the body is not longer than the page", "\(limit) bytes in, \(bodyBytes) out")
        }
        let m = page.metadata
        for (name, value) in [("headline", m.headline), ("outlet", m.outlet), ("byline", m.byline), ("canonicalURL", m.canonicalURL)]
            + m.captions.map({ ("caption", $0) }) {
            guard let value else { continue }
            guard value.utf8.count <= limit else {
                throw PropertyViolation("html: \(name) is not longer than the page", "\(limit) bytes in, \(value.utf8.count) out")
            }
        }
        for p in page.paragraphs where p.isEmpty || p.contains("\n") {
            throw PropertyViolation("html: paragraphs are one non-empty line", String(reflecting: String(p.prefix(120))))
        }
        if String(validating: bytes, as: UTF8.self) != nil, !decoded.contains("\u{FFFD}"), !decoded.contains("&#") {
            let out = page.paragraphs + [m.headline, m.outlet, m.byline].compactMap { $0 } + m.captions
            if let bad = out.first(where: { $0.contains("\u{FFFD}") }) {
                throw PropertyViolation("html: valid UTF-8 stays whole", String(reflecting: String(bad.prefix(120))))
            }
        }
        let parser = QuoteParser()
        let article = parser.parse(body: page.paragraphs, metadata: m, articleId: articleId)
        let text = QuoteParser.pageText(body: page.paragraphs, metadata: m)
        try checkQuotations(article, in: text, as: "html page")
        try checkJSON(ParsedArticleJSONWriter.data(article), of: article, exact: true, as: "html page: ParsedArticleJSONWriter.write")
        try checkParse(Array(text.utf8), as: "html")
    }

    // MARK: Parsing

    static func checkParse(_ bytes: [UInt8], as label: String) throws(PropertyViolation) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parser = QuoteParser()
        let article = parser.parse(text, articleId: articleId)
        let fromBytes = parser.parse(bytes: bytes, articleId: articleId)
        guard fromBytes == article else {
            throw PropertyViolation("\(label): parse(bytes:) equals parse(_:)", difference(article, fromBytes))
        }
        try checkQuotations(article, in: text, as: label)

        // The writer on the parse result, and `writeJSON(bytes:)` (the `parse --jsonl` path): the same
        // bytes (after whatever is already in the buffer), so Codable is compared with once for both.
        let written = ParsedArticleJSONWriter.data(article)
        let lead: [UInt8] = Array("[1,".utf8)
        var direct = lead
        let wasValid = bytes.withUnsafeBufferPointer { parser.writeJSON(bytes: $0, articleId: articleId, into: &direct) }
        guard wasValid == (String(validating: bytes, as: UTF8.self) != nil) else {
            throw PropertyViolation("\(label): writeJSON(bytes:) tells whether the bytes were valid UTF-8", "it said \(wasValid)")
        }
        guard direct.starts(with: lead) else {
            throw PropertyViolation("\(label): writeJSON appends", "the buffer's first bytes were changed")
        }
        let directJSON = Array(direct[lead.count...])
        guard directJSON == written else {
            try checkJSON(directJSON, of: article, exact: true, as: "\(label): QuoteParser.writeJSON")
            try checkJSON(written, of: article, exact: true, as: "\(label): ParsedArticleJSONWriter.write")
            throw PropertyViolation("\(label): QuoteParser.writeJSON writes ParsedArticleJSONWriter's bytes",
                                    firstDifference(directJSON, written))
        }
        try checkJSON(written, of: article, exact: true, as: "\(label): ParsedArticleJSONWriter.write and QuoteParser.writeJSON")

        // The fields the parser leaves empty, on their own: a url and dates (any from year 1 to 19999,
        // some with a fraction, which the JSON drops as Codable's does).
        let h = fnv1a(bytes)
        let dated = ParsedArticle(articleId: "", url: String(text.unicodeScalars.prefix(200)), publishedAt: date(h),
                                  receivedAt: h & 1 == 0 ? nil : date(h >> 20 ^ h << 7))
        try checkJSON(ParsedArticleJSONWriter.data(dated), of: dated, exact: false,
                      as: "\(label): ParsedArticleJSONWriter.write of a url and dates")
    }

    /// Offsets in range, text not empty, text inside its span.
    static func checkQuotations(_ article: ParsedArticle, in text: String, as label: String) throws(PropertyViolation) {
        let scalars = Array(text.unicodeScalars)
        for (i, q) in article.quotations.enumerated() {
            let name = "\(label): quotation \(i)"
            guard q.start >= 0, q.start <= q.end, q.end <= scalars.count else {
                throw PropertyViolation("\(name): 0 <= start <= end <= text length",
                                        "start \(q.start), end \(q.end), text length \(scalars.count)")
            }
            guard !q.text.isEmpty else {
                throw PropertyViolation("\(name): text is not empty", "empty at \(q.start)..<\(q.end)")
            }
            var span = String.UnicodeScalarView()
            span.append(contentsOf: scalars[q.start..<q.end])
            let spanBytes = Array(String(span).utf8)
            var from = 0
            for part in split(Array(q.text.utf8), by: [0x0A, 0x0A]) {
                guard let at = find(part, in: spanBytes, from: from) else {
                    throw PropertyViolation("\(name): its text lies in start..<end, in order",
                                            "text \(excerpt(Array(q.text.utf8), around: 0)) span \(excerpt(spanBytes, around: 0))")
                }
                from = at + part.count
            }
        }
    }

    // MARK: JSON

    /// `json` decodes, to `article` when `exact` (else to what Codable's JSON decodes to), and
    /// is Codable's JSON once keys are sorted.
    static func checkJSON(_ json: [UInt8], of article: ParsedArticle, exact: Bool, as label: String) throws(PropertyViolation) {
        let decoded: ParsedArticle
        do {
            decoded = try WireCoding.decode(ParsedArticle.self, from: Data(json))
        } catch {
            throw PropertyViolation("\(label): decodes with WireCoding", "\(error)")
        }
        let codable: [UInt8]
        do {
            codable = Array(try WireCoding.encoder().encode(article))
        } catch {
            throw PropertyViolation("\(label): Codable can encode the article", "\(error)")
        }
        if exact {
            guard decoded == article else {
                throw PropertyViolation("\(label): decodes to the article", difference(article, decoded))
            }
        } else {
            let viaCodable: ParsedArticle
            do {
                viaCodable = try WireCoding.decode(ParsedArticle.self, from: Data(codable))
            } catch {
                throw PropertyViolation("\(label): Codable's JSON decodes", "\(error)")
            }
            guard decoded == viaCodable else {
                throw PropertyViolation("\(label): decodes to what Codable's JSON decodes to", difference(viaCodable, decoded))
            }
        }
        guard let mine = JSONCanonicalForm.of(json) else {
            throw PropertyViolation("\(label): is well-formed JSON", excerpt(json, around: 0))
        }
        guard let theirs = JSONCanonicalForm.of(codable) else {
            throw PropertyViolation("\(label): Codable's JSON is well-formed", excerpt(codable, around: 0))
        }
        guard mine == theirs else {
            throw PropertyViolation("\(label): same bytes as Codable once keys are sorted", firstDifference(mine, theirs))
        }
    }

    // MARK: Helpers

    /// A date from a hash: whole seconds from 0001-01-01 to 19999-12-31, a quarter of them with a fraction.
    static func date(_ h: UInt64) -> Date {
        let first: Int64 = -62_135_596_800
        let last: Int64 = 568_971_820_799
        let seconds = first + Int64(h % UInt64(last - first + 1))
        let fraction = h >> 62 == 0 ? Double(h >> 40 & 0x3FF) / 1024 : 0
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    static func split(_ bytes: [UInt8], by separator: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i + separator.count <= bytes.count {
            if bytes[i..<i + separator.count].elementsEqual(separator) {
                parts.append(bytes[start..<i])
                i += separator.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(bytes[start...])
        return parts
    }

    static func find(_ needle: ArraySlice<UInt8>, in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count - from else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Where two byte strings first differ, with some context from each.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let at = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        return "at byte \(at) of \(a.count)/\(b.count): \(excerpt(a, around: at)) vs \(excerpt(b, around: at))"
    }

    static func excerpt(_ bytes: [UInt8], around at: Int) -> String {
        let lo = max(0, at - 60)
        let hi = min(bytes.count, at + 60)
        return String(reflecting: String(decoding: bytes[lo..<hi], as: UTF8.self))
    }

    /// The first field that differs between two articles.
    static func difference(_ a: ParsedArticle, _ b: ParsedArticle) -> String {
        let fields: [(String, Bool)] = [
            ("schemaVersion", a.schemaVersion == b.schemaVersion), ("articleId", a.articleId == b.articleId),
            ("source", a.source == b.source), ("headline", a.headline == b.headline), ("byline", a.byline == b.byline),
            ("caption", a.caption == b.caption), ("photoCredit", a.photoCredit == b.photoCredit),
            ("headings", a.headings == b.headings), ("url", a.url == b.url), ("publishedAt", a.publishedAt == b.publishedAt),
            ("receivedAt", a.receivedAt == b.receivedAt), ("paragraphs", a.paragraphs == b.paragraphs),
            ("quotations", a.quotations == b.quotations), ("marketQuotes", a.marketQuotes == b.marketQuotes),
        ]
        let differing = fields.filter { !$0.1 }.map(\.0)
        var detail = "fields differ: \(differing.joined(separator: ", "))"
        if a.publishedAt != b.publishedAt {
            detail += "; publishedAt \(String(describing: a.publishedAt?.timeIntervalSince1970)) vs \(String(describing: b.publishedAt?.timeIntervalSince1970))"
        }
        if a.quotations != b.quotations, let i = (0..<min(a.quotations.count, b.quotations.count)).first(where: { a.quotations[$0] != b.quotations[$0] }) {
            detail += "; quotation \(i): \(a.quotations[i]) vs \(b.quotations[i])"
        }
        if a.marketQuotes != b.marketQuotes {
            detail += "; \(a.marketQuotes) vs \(b.marketQuotes)"
        }
        return detail
    }
}
