import Foundation

/// A run of text, marked (a search match, or the quotation in its paragraph) or not. Templates
/// print each run escaped, inside `<mark>` when marked: no text from the index reaches a page
/// unescaped, and no markup is read from it.
struct TextSegment: Sendable, Equatable {
    var part: String
    var marked: Bool

    /// The runs of an index snippet: plain text with `&`, `<`, `>` as entities and the matches
    /// between `<mark>` and `</mark>` (``SearchHit/snippet``), turned back into text.
    static func snippet(_ snippet: String) -> [TextSegment] {
        var segments: [TextSegment] = []
        var rest = Substring(snippet)
        var marked = false
        while !rest.isEmpty {
            let tag = marked ? "</mark>" : "<mark>"
            guard let range = rest.range(of: tag) else {
                segments.append(TextSegment(part: unescape(rest), marked: marked))
                break
            }
            if range.lowerBound > rest.startIndex {
                segments.append(TextSegment(part: unescape(rest[..<range.lowerBound]), marked: marked))
            }
            rest = rest[range.upperBound...]
            marked.toggle()
        }
        return segments
    }

    /// `paragraph` in three runs, the first occurrence of `quotation` marked; nil when the
    /// paragraph does not hold it.
    static func paragraph(_ paragraph: String, marking quotation: String) -> [TextSegment]? {
        guard !quotation.isEmpty, let range = paragraph.range(of: quotation) else { return nil }
        return [TextSegment(part: String(paragraph[..<range.lowerBound]), marked: false),
                TextSegment(part: String(paragraph[range]), marked: true),
                TextSegment(part: String(paragraph[range.upperBound...]), marked: false)]
            .filter { !$0.part.isEmpty }
    }

    /// The three entities the index writes, back to their characters (`&amp;` last, so that an
    /// escaped `&lt;` in the text stays as written).
    private static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
