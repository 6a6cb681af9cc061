import Foundation
import QuotewireModels

/// Writes a `ParsedArticle` as JSON bytes, fast, with the same values as
/// `WireCoding.encoder()` + Codable: same escapes (`\"`, `\\`, `\n`, `\u001f`, no
/// escaped slashes), numbers, ISO 8601 dates and `null` fields. Only the key
/// order may differ (Foundation's encoder does not keep one); this writer
/// always uses the declaration order.
public enum ParsedArticleJSONWriter {
    /// Appends the article's JSON (one line, no trailing newline) to `out`.
    public static func write(_ a: ParsedArticle, into out: inout [UInt8]) {
        raw("{\"schemaVersion\":", &out)
        int(a.schemaVersion, &out)
        raw(",\"articleId\":", &out)
        string(a.articleId, &out)
        raw(",\"source\":", &out)
        optional(a.source, &out)
        raw(",\"headline\":", &out)
        optional(a.headline, &out)
        raw(",\"byline\":", &out)
        optional(a.byline, &out)
        raw(",\"caption\":", &out)
        optional(a.caption, &out)
        raw(",\"photoCredit\":", &out)
        optional(a.photoCredit, &out)
        raw(",\"headings\":", &out)
        stringArray(a.headings, &out)
        raw(",\"url\":", &out)
        optional(a.url, &out)
        raw(",\"publishedAt\":", &out)
        date(a.publishedAt, &out)
        raw(",\"receivedAt\":", &out)
        date(a.receivedAt, &out)
        raw(",\"paragraphs\":", &out)
        stringArray(a.paragraphs, &out)
        raw(",\"quotations\":[", &out)
        for (i, q) in a.quotations.enumerated() {
            if i > 0 { out.append(0x2C) }
            raw("{\"text\":", &out)
            string(q.text, &out)
            raw(",\"speaker\":", &out)
            optional(q.speaker, &out)
            raw(",\"speakerMention\":", &out)
            optional(q.speakerMention, &out)
            raw(",\"speakerRole\":", &out)
            optional(q.speakerRole, &out)
            raw(",\"cue\":", &out)
            optional(q.cue, &out)
            raw(",\"kind\":", &out)
            raw(q.kind == .direct ? "\"direct\"" : "\"partial\"", &out)
            raw(",\"start\":", &out)
            int(q.start, &out)
            raw(",\"end\":", &out)
            int(q.end, &out)
            raw(",\"attribution\":", &out)
            optional(q.attribution, &out)
            out.append(0x7D)
        }
        raw("],\"marketQuotes\":", &out)
        marketQuotes(a.marketQuotes, &out)
        out.append(0x7D)
    }

    private static func marketQuotes(_ quotes: [MarketQuote], _ out: inout [UInt8]) {
        out.append(0x5B)
        for (i, m) in quotes.enumerated() {
            if i > 0 { out.append(0x2C) }
            raw("{\"symbol\":", &out)
            string(m.symbol, &out)
            raw(",\"changePercent\":", &out)
            if let c = m.changePercent { double(c, &out) } else { raw("null", &out) }
            raw(",\"price\":", &out)
            double(m.price, &out)
            raw(",\"currency\":", &out)
            optional(m.currency, &out)
            raw(",\"exchange\":", &out)
            optional(m.exchange, &out)
            out.append(0x7D)
        }
        out.append(0x5D)
    }

    /// Writes a parse result as `write(_:into:)` writes the `ParsedArticle` made from it (no url, no dates),
    /// escaping the strings straight from the text's bytes.
    static func write(_ r: ParseResult, text b: UnsafeBufferPointer<UInt8>, articleId: String, into out: inout [UInt8]) {
        func range(_ x: Range<Int>?) {
            if let x { escaped(UnsafeBufferPointer(rebasing: b[x]), &out) } else { raw("null", &out) }
        }
        func ranges(_ a: [Range<Int>]) {
            out.append(0x5B)
            for (i, x) in a.enumerated() {
                if i > 0 { out.append(0x2C) }
                escaped(UnsafeBufferPointer(rebasing: b[x]), &out)
            }
            out.append(0x5D)
        }
        let layout = r.layout
        raw("{\"schemaVersion\":", &out)
        int(SchemaVersion.current, &out)
        raw(",\"articleId\":", &out)
        string(articleId, &out)
        raw(",\"source\":", &out)
        range(layout.source)
        raw(",\"headline\":", &out)
        range(layout.headline)
        raw(",\"byline\":", &out)
        range(layout.byline)
        raw(",\"caption\":", &out)
        range(layout.caption)
        raw(",\"photoCredit\":", &out)
        range(layout.photoCredit)
        raw(",\"headings\":", &out)
        ranges(layout.headings)
        raw(",\"url\":null,\"publishedAt\":null,\"receivedAt\":null,\"paragraphs\":", &out)
        ranges(layout.paragraphs)
        raw(",\"quotations\":[", &out)
        for (i, q) in r.quotations.enumerated() {
            if i > 0 { out.append(0x2C) }
            raw("{\"text\":", &out)
            let s = q.span
            if s.pieces.isEmpty {
                escaped(UnsafeBufferPointer(rebasing: b[s.start..<s.end]), &out)
            } else {
                // The pieces joined by a blank line, as one string.
                out.append(0x22)
                for (k, p) in s.pieces.enumerated() {
                    if k > 0 { raw("\\n\\n", &out) }
                    escapedContent(UnsafeBufferPointer(rebasing: b[p]), &out)
                }
                out.append(0x22)
            }
            raw(",\"speaker\":", &out)
            range(q.speaker.speaker)
            raw(",\"speakerMention\":", &out)
            range(q.speaker.mention)
            raw(",\"speakerRole\":", &out)
            range(q.speaker.role)
            raw(",\"cue\":", &out)
            range(q.speaker.cue)
            raw(",\"kind\":", &out)
            raw(q.kind == .direct ? "\"direct\"" : "\"partial\"", &out)
            raw(",\"start\":", &out)
            int(r.scalarOffsets[2 * i], &out)
            raw(",\"end\":", &out)
            int(r.scalarOffsets[2 * i + 1], &out)
            raw(",\"attribution\":", &out)
            optional(q.rule?.rawValue, &out)
            out.append(0x7D)
        }
        raw("],\"marketQuotes\":", &out)
        marketQuotes(layout.marketQuotes, &out)
        out.append(0x7D)
    }

    /// The article's JSON as bytes.
    public static func data(_ a: ParsedArticle) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024 + a.paragraphs.reduce(0) { $0 + $1.utf8.count } * 2)
        write(a, into: &out)
        return out
    }

    @inline(__always) static func raw(_ s: StaticString, _ out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    static func optional(_ s: String?, _ out: inout [UInt8]) {
        if let s { string(s, &out) } else { raw("null", &out) }
    }

    static func stringArray(_ a: [String], _ out: inout [UInt8]) {
        out.append(0x5B)
        for (i, s) in a.enumerated() {
            if i > 0 { out.append(0x2C) }
            string(s, &out)
        }
        out.append(0x5D)
    }

    static func int(_ v: Int, _ out: inout [UInt8]) {
        if v == 0 { out.append(0x30); return }
        var n = v.magnitude
        if v < 0 { out.append(0x2D) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 {
                d[count] = UInt8(n % 10) + 0x30
                n /= 10
                count += 1
            }
            while count > 0 {
                count -= 1
                out.append(d[count])
            }
        }
    }

    /// Swift's shortest round-trip form without a trailing ".0", as Foundation writes it.
    static func double(_ v: Double, _ out: inout [UInt8]) {
        var s = v.description
        s.withUTF8 { digits in
            var n = digits.count
            if n >= 2, digits[n - 2] == 0x2E, digits[n - 1] == 0x30 { n -= 2 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[0..<n]))
        }
    }

    /// ISO 8601 in UTC, whole seconds (`.iso8601` strategy).
    static func date(_ d: Date?, _ out: inout [UInt8]) {
        guard let d else { raw("null", &out); return }
        let seconds = (d.timeIntervalSince1970).rounded(.down)
        // Foundation writes Julian dates before the Gregorian calendar began (1582-10-15): those
        // rare dates, and any past year 9999, are left to Foundation itself.
        guard seconds >= -12_219_292_800, seconds <= 253_402_300_799 else {
            if let json = try? WireCoding.encoder().encode(d) { out.append(contentsOf: json) } else { raw("null", &out) }
            return
        }
        let t = Int64(seconds)
        var days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        var y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let dd = doy - (153 * mp + 2) / 5 + 1
        let mm = mp < 10 ? mp + 3 : mp - 9
        if mm <= 2 { y += 1 }
        func two(_ v: Int64) { out.append(UInt8(v / 10) + 0x30); out.append(UInt8(v % 10) + 0x30) }
        out.append(0x22)
        int(Int(y), &out)
        out.append(0x2D); two(mm); out.append(0x2D); two(dd)
        out.append(0x54); two(secs / 3600); out.append(0x3A); two(secs / 60 % 60); out.append(0x3A); two(secs % 60)
        out.append(0x5A)
        out.append(0x22)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped; all else copied as is.
    static func string(_ s: String, _ out: inout [UInt8]) {
        var copy = s
        copy.withUTF8 { b in escaped(b, &out) }
    }

    /// Escapes UTF-8 bytes into a JSON string literal, copying clean runs in bulk.
    static func escaped(_ b: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        out.append(0x22)
        escapedContent(b, &out)
        out.append(0x22)
    }

    /// The inside of a JSON string literal: quotes, backslashes and control characters escaped.
    static func escapedContent(_ b: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        var i = 0
        let n = b.count
        while true {
            let special = JSONBytes.firstSpecial(b, i, n)
            if special > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<special])) }
            if special == n { return }
            let c = b[special]
            out.append(0x5C)
            switch c {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x0A: out.append(0x6E)
            case 0x0D: out.append(0x72)
            case 0x09: out.append(0x74)
            case 0x08: out.append(0x62)
            case 0x0C: out.append(0x66)
            default:
                out.append(0x75); out.append(0x30); out.append(0x30)
                out.append(hex[Int(c >> 4)]); out.append(hex[Int(c & 0xF)])
            }
            i = special + 1
        }
    }
}
