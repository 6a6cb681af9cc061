/// Extracts readable text from HTML: scripts, styles, navigation, header, footer
/// and asides dropped; block elements (p, h1–h6, li, blockquote, br, div, …) give
/// paragraph breaks (a blank line); entities decoded, numeric ones included.
///
/// A single forward pass, tolerant of broken markup. Offsets of quotations parsed
/// from the result refer to the extracted text.
public enum HTMLTextExtractor {
    /// The text of an HTML document as a String.
    public static func text(_ html: String) -> String {
        var copy = html
        let bytes = copy.withUTF8 { extract($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Does this look like HTML (starts with a tag and names a document or paragraph element early on)?
    public static func looksLikeHTML(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < b.count, ByteText.isASCIISpace(b[i]) { i += 1 }
        if i + 3 < b.count, b[i] == 0xEF, b[i + 1] == 0xBB, b[i + 2] == 0xBF { i += 3 }
        guard i < b.count, b[i] == 0x3C else { return false }
        let end = min(b.count, i + 2048)
        for marker: StaticString in ["<!doctype html", "<html", "<body", "<p>", "<p ", "<div", "<article", "<head"] {
            var j = i
            while j < end {
                if ByteText.hasPrefixIgnoringCase(b, j, end, marker) { return true }
                j += 1
            }
        }
        return false
    }

    private static let skipped: Set<String> = ["script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "head", "iframe", "form", "button", "select"]
    private static let blocks: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "br", "div", "section", "article", "tr", "ul", "ol",
        "table", "figure", "figcaption", "dd", "dt", "pre", "hr", "main", "title", "caption", "td", "th", "dl", "address",
    ]

    /// The text of an HTML document as UTF-8 bytes.
    public static func extract(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count / 2)
        var i = 0
        let n = b.count
        var skipDepth = 0
        var skipName = ""
        var pendingSpace = false
        func breakParagraph() {
            while let l = out.last, l == 0x20 { out.removeLast() }
            if out.isEmpty { pendingSpace = false; return }
            if out.count >= 2, out[out.count - 1] == 0x0A, out[out.count - 2] == 0x0A { pendingSpace = false; return }
            if out.last == 0x0A { out.append(0x0A) } else { out.append(0x0A); out.append(0x0A) }
            pendingSpace = false
        }
        func emit(_ c: UInt8) {
            if pendingSpace, let l = out.last, l != 0x0A { out.append(0x20) }
            pendingSpace = false
            out.append(c)
        }
        while i < n {
            let c = b[i]
            if c == 0x3C {
                if i + 3 < n, b[i + 1] == 0x21, b[i + 2] == 0x2D, b[i + 3] == 0x2D {
                    var j = i + 4
                    while j + 2 < n, !(b[j] == 0x2D && b[j + 1] == 0x2D && b[j + 2] == 0x3E) { j += 1 }
                    i = min(n, j + 3)
                    continue
                }
                var j = i + 1
                var closing = false
                if j < n, b[j] == 0x2F { closing = true; j += 1 }
                let ns = j
                while j < n, ByteText.isASCIIAlnum(b[j]) { j += 1 }
                var name = ""
                if j > ns {
                    name = String(decoding: UnsafeBufferPointer(rebasing: b[ns..<j]), as: UTF8.self).lowercased()
                }
                // Find the end of the tag, honouring quoted attribute values.
                var quote: UInt8 = 0
                var selfClosing = false
                while j < n {
                    let d = b[j]
                    if quote != 0 { if d == quote { quote = 0 } } else if d == 0x22 || d == 0x27 { quote = d } else if d == 0x3E { break }
                    j += 1
                }
                if j > 0, j - 1 < n, b[j - 1] == 0x2F { selfClosing = true }
                i = min(n, j + 1)
                if name.isEmpty { continue }
                if skipDepth > 0 {
                    if name == skipName { skipDepth += closing ? -1 : (selfClosing ? 0 : 1) }
                    continue
                }
                if !closing, !selfClosing, skipped.contains(name) {
                    skipName = name
                    skipDepth = 1
                    continue
                }
                if blocks.contains(name) { breakParagraph() }
                continue
            }
            if skipDepth > 0 { i += 1; continue }
            if ByteText.isASCIISpace(c) {
                pendingSpace = true
                i += 1
                continue
            }
            if c == 0x26, let (scalar, len) = entity(b, i) {
                if scalar == 0xA0 { pendingSpace = true } else { appendScalar(scalar, emit) }
                i += len
                continue
            }
            emit(c)
            i += 1
        }
        while let l = out.last, l == 0x0A || l == 0x20 { out.removeLast() }
        return out
    }

    private static func appendScalar(_ v: UInt32, _ emit: (UInt8) -> Void) {
        var buf: [UInt8] = []
        if let s = Unicode.Scalar(v) { buf.append(contentsOf: Array(String(Character(s)).utf8)) } else { buf = [0xEF, 0xBF, 0xBD] }
        for x in buf { emit(x) }
    }

    private static let named: [String: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0, "ldquo": 0x201C, "rdquo": 0x201D,
        "lsquo": 0x2018, "rsquo": 0x2019, "laquo": 0xAB, "raquo": 0xBB, "bdquo": 0x201E, "sbquo": 0x201A, "mdash": 0x2014,
        "ndash": 0x2013, "hellip": 0x2026, "euro": 0x20AC, "pound": 0xA3, "yen": 0xA5, "copy": 0xA9, "reg": 0xAE,
        "minus": 0x2212, "eacute": 0xE9, "egrave": 0xE8, "aacute": 0xE1, "agrave": 0xE0, "ouml": 0xF6, "uuml": 0xFC,
        "auml": 0xE4, "szlig": 0xDF, "ccedil": 0xE7, "iacute": 0xED, "oacute": 0xF3, "uacute": 0xFA, "ntilde": 0xF1,
        "thinsp": 0x2009, "shy": 0xAD, "deg": 0xB0, "middot": 0xB7, "bull": 0x2022, "trade": 0x2122, "cent": 0xA2,
    ]

    /// Decodes `&name;`, `&#123;`, `&#x1F600;` at `i`: (scalar, bytes consumed).
    private static func entity(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int)? {
        var j = i + 1
        let limit = min(b.count, i + 12)
        if j < limit, b[j] == 0x23 {
            j += 1
            var hex = false
            if j < limit, b[j] == 0x78 || b[j] == 0x58 { hex = true; j += 1 }
            var v: UInt32 = 0
            let ds = j
            while j < limit, v <= 0x10FFFF {
                let c = b[j]
                if ByteText.isDigit(c) { v = v * (hex ? 16 : 10) + UInt32(c - 0x30) }
                else if hex, ((c | 0x20) &- 0x61) < 6 { v = v * 16 + UInt32((c | 0x20) - 0x61 + 10) }
                else { break }
                j += 1
            }
            guard j > ds else { return nil }
            if j < b.count, b[j] == 0x3B { j += 1 }
            if v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { v = 0xFFFD }
            return (v, j - i)
        }
        let ns = j
        while j < limit, ByteText.isASCIIAlnum(b[j]) { j += 1 }
        guard j > ns, j < b.count, b[j] == 0x3B else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[ns..<j]), as: UTF8.self)
        guard let v = named[name] ?? named[name.lowercased()] else { return nil }
        return (v, j + 1 - i)
    }
}
