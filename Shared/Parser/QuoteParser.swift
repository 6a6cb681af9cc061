import Foundation
import QuotewireModels

/// Text in, `ParsedArticle` out: page structure, quotations with their speakers, market quotes.
///
/// Pure and thread-safe: no I/O, no shared mutable state. It works on the UTF-8
/// bytes in linear time, so it is fit for a hot path.
///
/// Conventions:
/// - An organisation speaker is reported without its article ("Ukrainian army" for
///   "The Ukrainian army … said", then "…," it said).
/// - A quotation over several paragraphs is one `Quotation`: `start` is its first
///   quoted character, `end` its last; `text` joins the paragraphs' quoted parts with a
///   blank line (so it is not the raw slice, which holds the re-opening mark).
/// - A quotation with no attribution continues the speaker of the quotation before it
///   in the same paragraph (a split quotation) or of the paragraph before (a quotation
///   paragraph); one in a lone paragraph attributed to an unresolvable pronoun has
///   `speaker == nil`.
///
/// ```swift
/// let article = QuoteParser().parse(text, articleId: ArticleID.derive(url: nil, body: text))
/// for q in article.quotations { print(q.speaker ?? "?", q.text) }
/// ```
public struct QuoteParser: Sendable {
    /// Makes a parser; it holds no state.
    public init() {}

    /// Parses plain text. Quotation offsets are Unicode-scalar offsets into `text`.
    public func parse(
        _ text: String, articleId: String, url: String? = nil, publishedAt: Date? = nil, receivedAt: Date? = nil
    ) -> ParsedArticle {
        var copy = text
        return copy.withUTF8 { parse(utf8: $0, articleId: articleId, url: url, publishedAt: publishedAt, receivedAt: receivedAt) }
    }

    /// Parses UTF-8 bytes; invalid sequences are replaced with U+FFFD first (offsets then refer to the repaired text).
    public func parse(
        bytes: [UInt8], articleId: String, url: String? = nil, publishedAt: Date? = nil, receivedAt: Date? = nil
    ) -> ParsedArticle {
        bytes.withUnsafeBufferPointer { b in
            if UTF8Validation.isValid(b) {
                return parse(utf8: b, articleId: articleId, url: url, publishedAt: publishedAt, receivedAt: receivedAt)
            }
            return parse(String(decoding: b, as: UTF8.self), articleId: articleId, url: url,
                         publishedAt: publishedAt, receivedAt: receivedAt)
        }
    }

    /// Parses bytes that are known to be valid UTF-8 (the caller guarantees it).
    public func parse(
        utf8 b: UnsafeBufferPointer<UInt8>, articleId: String, url: String? = nil, publishedAt: Date? = nil,
        receivedAt: Date? = nil
    ) -> ParsedArticle {
        let layout = PageStructure.analyze(b)
        var extractor = QuotationExtractor(b)
        let found = extractor.extract(layout)
        func str(_ r: Range<Int>?) -> String? { r.map { ByteText.string(b, $0.lowerBound, $0.upperBound) } }
        var article = ParsedArticle(
            articleId: articleId, source: str(layout.source), headline: str(layout.headline), byline: str(layout.byline),
            caption: str(layout.caption), photoCredit: str(layout.photoCredit),
            headings: layout.headings.map { ByteText.string(b, $0.lowerBound, $0.upperBound) },
            url: url, publishedAt: publishedAt, receivedAt: receivedAt,
            paragraphs: layout.paragraphs.map { ByteText.string(b, $0.lowerBound, $0.upperBound) },
            marketQuotes: layout.marketQuotes)
        article.quotations = Self.quotations(b, found)
        return article
    }

    /// Dedupes (body before headline and caption), orders by position and converts to scalar offsets.
    private static func quotations(_ b: UnsafeBufferPointer<UInt8>, _ found: [FoundQuotation]) -> [Quotation] {
        if found.isEmpty { return [] }
        var seen: Set<[UInt8]> = []
        var kept: [FoundQuotation] = []
        for pass in 0..<2 {
            // The headline or caption repeating a body quotation is reported once;
            // the same words quoted twice in the body by different people stay two quotations.
            for f in found where f.auxiliary == (pass == 1) {
                let key = normalized(b, f.span)
                if pass == 1, seen.contains(key) { continue }
                seen.insert(key)
                kept.append(f)
            }
        }
        kept.sort { $0.span.start < $1.span.start }
        var offsets: [Int] = []
        offsets.reserveCapacity(kept.count * 2)
        for f in kept { offsets.append(f.span.start); offsets.append(f.span.end) }
        let scalarOffsets = ScalarOffsets.convert(b, sortedOrNot: offsets)
        var out: [Quotation] = []
        out.reserveCapacity(kept.count)
        for (i, f) in kept.enumerated() {
            let s = f.span
            let text: String
            if s.pieces.isEmpty {
                text = ByteText.string(b, s.start, s.end)
            } else {
                text = s.pieces.map { ByteText.string(b, $0.lowerBound, $0.upperBound) }.joined(separator: "\n\n")
            }
            out.append(Quotation(text: text, speaker: f.speaker.speaker, speakerMention: f.speaker.mention,
                                 speakerRole: f.speaker.role, cue: f.speaker.cue, kind: f.kind,
                                 start: scalarOffsets[2 * i], end: scalarOffsets[2 * i + 1]))
        }
        return out
    }

    /// Lower-cased ASCII letters and digits of a span: "Not easy." and "not easy" are the same words.
    private static func normalized(_ b: UnsafeBufferPointer<UInt8>, _ s: QuoteSpan) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(64, s.end - s.start))
        for i in s.start..<s.end {
            let c = b[i]
            if ByteText.isASCIIAlnum(c) || c >= 0x80 { out.append(ByteText.isASCIIUpper(c) ? c | 0x20 : c) }
        }
        return out
    }
}

/// Byte offsets to Unicode-scalar offsets.
enum ScalarOffsets {
    /// Converts byte offsets (any order) to scalar offsets in one pass over the bytes.
    static func convert(_ b: UnsafeBufferPointer<UInt8>, sortedOrNot offsets: [Int]) -> [Int] {
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var out = Array(repeating: 0, count: offsets.count)
        var pos = 0
        var scalars = 0
        for idx in order {
            let target = min(offsets[idx], b.count)
            while pos < target {
                if b[pos] & 0xC0 != 0x80 { scalars += 1 }
                pos += 1
            }
            out[idx] = scalars
        }
        return out
    }
}

/// UTF-8 validation without allocating.
enum UTF8Validation {
    /// Is the buffer well-formed UTF-8?
    static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var minValue: UInt32 = 0
            var v: UInt32
            if c >= 0xC2 && c <= 0xDF { need = 1; v = UInt32(c & 0x1F); minValue = 0x80 }
            else if c >= 0xE0 && c <= 0xEF { need = 2; v = UInt32(c & 0x0F); minValue = 0x800 }
            else if c >= 0xF0 && c <= 0xF4 { need = 3; v = UInt32(c & 0x07); minValue = 0x10000 }
            else { return false }
            guard i + need < n else { return false }
            for k in 1...need {
                let d = b[i + k]
                if d & 0xC0 != 0x80 { return false }
                v = (v << 6) | UInt32(d & 0x3F)
            }
            if v < minValue || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return false }
            i += need + 1
        }
        return true
    }
}
