import Foundation
import QuotewireModels

/// Writes a `ParsedArticle` as JSON bytes, fast, with the same values as
/// `WireCoding.encoder()` + Codable: same escapes (`\"`, `\\`, `\n`, `\u001f`, no
/// escaped slashes), numbers, ISO 8601 dates and `null` fields. Only the key
/// order may differ (Foundation's encoder does not keep one); this writer
/// always uses the declaration order.
///
/// The only hand-written serialiser of `ParsedArticle` (the parser service and `quotewire parse`
/// write with it); a field added to `ParsedArticle` is added here and to its `encode(to:)`, and
/// ParserTests' `JSONCodingTests` check on random articles that the two still agree.
public enum ParsedArticleJSONWriter {
    /// Appends the article's JSON (one line, no trailing newline) to `out`.
    public static func write(_ a: ParsedArticle, into out: inout [UInt8]) {
        raw("{\"schemaVersion\":", &out)
        int(a.schemaVersion, &out)
        field(",\"articleId\":", a.articleId, &out)
        field(",\"source\":", a.source, &out)
        field(",\"headline\":", a.headline, &out)
        field(",\"byline\":", a.byline, &out)
        field(",\"caption\":", a.caption, &out)
        field(",\"photoCredit\":", a.photoCredit, &out)
        raw(",\"headings\":", &out)
        stringArray(a.headings, &out)
        field(",\"url\":", a.url, &out)
        raw(",\"publishedAt\":", &out)
        date(a.publishedAt, &out)
        raw(",\"receivedAt\":", &out)
        date(a.receivedAt, &out)
        raw(",\"paragraphs\":", &out)
        stringArray(a.paragraphs, &out)
        raw(",\"quotations\":[", &out)
        for (i, q) in a.quotations.enumerated() {
            if i > 0 { out.append(0x2C) }
            field("{\"text\":", q.text, &out)
            field(",\"speaker\":", q.speaker, &out)
            field(",\"speakerMention\":", q.speakerMention, &out)
            field(",\"speakerRole\":", q.speakerRole, &out)
            field(",\"cue\":", q.cue, &out)
            raw(q.kind == .direct ? ",\"kind\":\"direct\",\"start\":" : ",\"kind\":\"partial\",\"start\":", &out)
            int(q.start, &out)
            raw(",\"end\":", &out)
            int(q.end, &out)
            field(",\"attribution\":", q.attribution, &out)
            out.append(0x7D)
        }
        raw("],\"marketQuotes\":[", &out)
        for (i, m) in a.marketQuotes.enumerated() {
            if i > 0 { out.append(0x2C) }
            field("{\"symbol\":", m.symbol, &out)
            raw(",\"changePercent\":", &out)
            if let c = m.changePercent { double(c, &out) } else { raw("null", &out) }
            raw(",\"price\":", &out)
            double(m.price, &out)
            field(",\"currency\":", m.currency, &out)
            field(",\"exchange\":", m.exchange, &out)
            out.append(0x7D)
        }
        raw("]}", &out)
    }

    /// A key (with the punctuation around it) and a string value.
    @inline(__always) private static func field(_ key: StaticString, _ value: String, _ out: inout [UInt8]) {
        raw(key, &out)
        string(value, &out)
    }

    /// A key (with the punctuation around it) and a string value or `null`.
    @inline(__always) private static func field(_ key: StaticString, _ value: String?, _ out: inout [UInt8]) {
        raw(key, &out)
        optional(value, &out)
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

    /// The letter after the backslash for each control character, by its value: `\b`, `\t`, `\n`,
    /// `\f` and `\r` have their own, the rest are written `\u00XX` (as Foundation writes them).
    private static let controlEscapes: StaticString = "uuuuuuuubtnufruuuuuuuuuuuuuuuuuu"

    /// A JSON string: quotes, backslashes and control characters escaped; all else copied as is.
    static func string(_ s: String, _ out: inout [UInt8]) {
        var copy = s
        copy.withUTF8 { b in escaped(b, &out) }
    }

    /// Escapes UTF-8 bytes into a JSON string literal, copying clean runs in bulk.
    static func escaped(_ b: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        out.append(0x22)
        var i = 0
        let n = b.count
        while true {
            let special = JSONBytes.firstSpecial(b, i, n)
            if special > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<special])) }
            if special == n { break }
            let c = b[special]
            out.append(0x5C)
            if c >= 0x20 {
                out.append(c)  // `"` or `\`
            } else {
                let letter = controlEscapes.utf8Start[Int(c)]
                out.append(letter)
                if letter == UInt8(ascii: "u") {
                    out.append(0x30); out.append(0x30)
                    out.append(hex[Int(c >> 4)]); out.append(hex[Int(c & 0xF)])
                }
            }
            i = special + 1
        }
        out.append(0x22)
    }
}
