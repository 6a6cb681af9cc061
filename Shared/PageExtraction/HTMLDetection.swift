/// Tells an HTML page from plain text by its content, for inputs that come without a file name
/// or media type saying which they are.
///
/// A page is HTML when, after a byte-order mark, white space and at most a few stray
/// punctuation bytes (a "?" left by a broken download), it opens with markup (`<!doctype`,
/// `<!--`, `<?xml` or a tag) and within its first 64 KB it has a doctype, or a tag of an HTML
/// element and an end tag. "Plain <b>text</b>" is text: it does not open with markup.
public enum HTMLDetection {
    static let scanBytes = 65_536
    static let strayBytes = 8

    /// Whether `bytes` look like an HTML document.
    public static func looksLikeHTML(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if PageCharset.hasUTF8BOM(bytes) { i = 3 }
        else if let utf16 = PageCharset.utf16Charset(bytes) {
            // A UTF-16 page: its first character after the mark, white space skipped.
            var j = 2
            let little = utf16 == "UTF-16LE"
            while j + 1 < bytes.count {
                let unit = little ? UInt16(bytes[j]) | UInt16(bytes[j + 1]) << 8 : UInt16(bytes[j]) << 8 | UInt16(bytes[j + 1])
                if unit == 0x20 || unit == 0x09 || unit == 0x0A || unit == 0x0D { j += 2; continue }
                return unit == 0x3C
            }
            return false
        }
        var stray = 0
        while i < bytes.count {
            let c = bytes[i]
            if PageCharset.isSpace(c) { i += 1; continue }
            if c == 0x3C { break }
            guard c < 0x80, !isAlnum(c), stray < strayBytes else { return false }
            stray += 1
            i += 1
        }
        guard i + 1 < bytes.count else { return false }
        let next = bytes[i + 1]
        guard next == 0x21 || next == 0x3F || isAlpha(next) else { return false }
        return hasStructure(bytes, from: i)
    }

    /// A doctype, or a start tag of a known element and an end tag, in the first ``scanBytes``.
    private static func hasStructure(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let end = min(b.count, start + scanBytes)
        var knownStart = false
        var endTag = false
        var i = start
        while i + 1 < end {
            guard b[i] == 0x3C else { i += 1; continue }
            let c = b[i + 1]
            if c == 0x21 {
                if i + 3 < end, b[i + 2] == 0x2D, b[i + 3] == 0x2D {
                    i = skipComment(b, i + 4, end)
                    continue
                }
                if startsWithLowered(b, i + 2, end, "doctype") || (i == start && i + 3 < end && isAlpha(b[i + 2])) {
                    return true
                }
            } else if c == 0x2F {
                if i + 2 < end, isAlpha(b[i + 2]) { endTag = true }
            } else if isAlpha(c) {
                var j = i + 1
                while j < end, isAlnum(b[j]), j - i <= 12 { j += 1 }
                if j < end, isSpace(b[j]) || b[j] == 0x3E || b[j] == 0x2F, let name = lowered(b, i + 1, j),
                   knownElements.contains(name) {
                    knownStart = true
                }
            }
            if knownStart && endTag { return true }
            i += 1
        }
        return false
    }

    private static func skipComment(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int {
        var i = from
        while i + 2 < end {
            if b[i] == 0x2D, b[i + 1] == 0x2D, b[i + 2] == 0x3E { return i + 3 }
            i += 1
        }
        return end
    }

    private static func startsWithLowered(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard end - at >= n else { return false }
        for k in 0..<n where PageCharset.lowered(b[at + k]) != word.utf8Start[k] { return false }
        return true
    }

    private static func lowered(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> String? {
        guard e > s else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]).map(PageCharset.lowered), as: UTF8.self)
    }

    @inline(__always) private static func isAlpha(_ c: UInt8) -> Bool { ((c | 0x20) &- 0x61) < 26 }
    @inline(__always) private static func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || (c &- 0x30) < 10 }
    @inline(__always) private static func isSpace(_ c: UInt8) -> Bool { PageCharset.isSpace(c) }

    /// Elements whose start tag marks a document as HTML.
    static let knownElements: Set<String> = [
        "html", "head", "body", "title", "meta", "link", "script", "style", "base", "div", "span", "p", "a", "img",
        "table", "tr", "td", "th", "tbody", "ul", "ol", "li", "dl", "dt", "dd", "br", "hr", "h1", "h2", "h3", "h4",
        "h5", "h6", "article", "section", "header", "footer", "nav", "main", "aside", "figure", "figcaption", "form",
        "input", "iframe", "noscript", "center", "font", "b", "i", "em", "strong", "blockquote", "pre", "time",
    ]
}
