import QuotewireModels

/// The parts of a page, as byte ranges into the text.
struct PageLayout: Sendable {
    var source: Range<Int>?
    var headline: Range<Int>?
    var caption: Range<Int>?
    var photoCredit: Range<Int>?
    var byline: Range<Int>?
    var headings: [Range<Int>] = []
    /// Body paragraphs in text order.
    var paragraphs: [Range<Int>] = []
    var marketQuotes: [MarketQuote] = []
    /// Lines outside the body that may repeat a quotation (headline, caption): scanned after the body.
    var auxiliary: [Range<Int>] = []
}

/// Parts of a page that its markup gave, as byte ranges into the text: taken as they are
/// instead of guessed from the layout. The body starts at `bodyStart`.
struct KnownParts: Sendable {
    var headline: Range<Int>?
    var captions: [Range<Int>] = []
    var bodyStart = 0
}

/// Splits a page into outlet, headline, ticker block, caption, headings, furniture, byline and body.
///
/// Every non-empty line is one unit. Only lines that match a strict pattern leave
/// the body (ticker lines, `… / Photo: …`, `- Heading -`, short furniture lines
/// without quote marks, a `Name--AGENCY` byline), so a bare paragraph stays body.
enum PageStructure {
    static func analyze(_ b: UnsafeBufferPointer<UInt8>, known: KnownParts? = nil) -> PageLayout {
        var lines: [Range<Int>] = []
        let n = b.count
        var lineStart = 0
        while lineStart <= n {
            let i = ByteText.firstByte(b, 0x0A, lineStart, n)
            let (s, e) = ByteText.trim(b, lineStart, i)
            if s < e { lines.append(s..<e) }
            lineStart = i + 1
        }
        var layout = PageLayout()
        guard !lines.isEmpty else { return layout }
        var idx = 0
        if let known {
            idx = lines.firstIndex { $0.lowerBound >= known.bodyStart } ?? lines.count
            layout.headline = known.headline
            layout.auxiliary += [known.headline].compactMap { $0 }
            for line in known.captions where !captionLine(b, line, &layout) {
                if layout.caption == nil { layout.caption = line }
                layout.auxiliary.append(line)
            }
            if known.headline == nil, lines.count - idx >= 2 { idx += detectHeadline(b, Array(lines[idx...]), &layout) }
        } else if lines.count >= 2 {
            idx = detectHeadline(b, lines, &layout)
        }

        var exchange: String?
        var inTicker = false
        let lastIndex = lines.count - 1
        var k = idx
        while k < lines.count {
            let line = lines[k]
            defer { k += 1 }
            if let h = layout.headline, ByteText.equal(b, h, line) { continue }
            if line.count <= 40, MarketQuoteParser.isExchangeHeader(b, line.lowerBound, line.upperBound), k + 1 < lines.count,
               MarketQuoteParser.parseLine(b, lines[k + 1].lowerBound, lines[k + 1].upperBound, exchange: nil) != nil {
                exchange = ByteText.string(b, line.lowerBound, line.upperBound)
                inTicker = true
                continue
            }
            if inTicker || isTickerNeighbour(b, lines, k) {
                if let q = MarketQuoteParser.parseLine(b, line.lowerBound, line.upperBound, exchange: exchange) {
                    layout.marketQuotes.append(q)
                    inTicker = true
                    continue
                }
            }
            inTicker = false
            exchange = nil
            if captionLine(b, line, &layout) { continue }
            if let h = heading(b, line) { layout.headings.append(h); continue }
            if isFurniture(b, line) { continue }
            if k >= lastIndex - 1, layout.byline == nil, let by = byline(b, line) { layout.byline = by; continue }
            layout.paragraphs.append(line)
        }
        return layout
    }

    /// Decides whether the first line is `Outlet - Headline` or a headline; returns the next line index.
    private static func detectHeadline(_ b: UnsafeBufferPointer<UInt8>, _ lines: [Range<Int>], _ layout: inout PageLayout) -> Int {
        let first = lines[0]
        guard first.count <= 300, !endsSentence(b, first),
              MarketQuoteParser.parseLine(b, first.lowerBound, first.upperBound, exchange: nil) == nil,
              ByteText.find(b, first.lowerBound, first.upperBound, "Photo:") == nil
        else { return 0 }
        if let dash = separator(b, first) {
            let (ts, te) = ByteText.trim(b, dash.upperBound, first.upperBound)
            let (ss, se) = ByteText.trim(b, first.lowerBound, dash.lowerBound)
            if ts < te, ss < se, repeatsLater(b, lines, ts..<te) || looksLikeOutlet(b, ss, se) {
                layout.source = ss..<se
                layout.headline = ts..<te
                layout.auxiliary.append(ts..<te)
                return 1
            }
        }
        if hasDoubleQuote(b, first), !repeatsLater(b, lines, first) { return 0 }
        guard first.count <= 200 else { return 0 }
        layout.headline = first
        layout.auxiliary.append(first)
        return 1
    }

    private static func separator(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int>? {
        if let d = ByteText.find(b, r.lowerBound, r.upperBound, " - ") { return d..<(d + 3) }
        if let d = ByteText.find(b, r.lowerBound, r.upperBound, " \u{2013} ") { return d..<(d + 5) }
        if let d = ByteText.find(b, r.lowerBound, r.upperBound, " | ") { return d..<(d + 3) }
        return nil
    }

    private static func repeatsLater(_ b: UnsafeBufferPointer<UInt8>, _ lines: [Range<Int>], _ text: Range<Int>) -> Bool {
        for line in lines.dropFirst().prefix(40) {
            if line.count >= text.count, ByteText.equal(b, line.lowerBound..<(line.lowerBound + text.count), text) {
                return true
            }
        }
        return false
    }

    /// One to five capitalised words: a plausible outlet name.
    private static func looksLikeOutlet(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s <= 40 else { return false }
        var words = 0
        var atWordStart = true
        for i in s..<e {
            if b[i] == 0x20 { atWordStart = true; continue }
            if atWordStart {
                words += 1
                if !(ByteText.isASCIIUpper(b[i]) || b[i] >= 0x80 || ByteText.isDigit(b[i])) { return false }
                atWordStart = false
            }
        }
        return words >= 1 && words <= 5
    }

    private static func endsSentence(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        let c = b[r.upperBound - 1]
        return c == 0x2E || c == 0x3A || c == 0x3B || c == 0x2C
    }

    private static func hasDoubleQuote(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound {
            let c = b[i]
            if c == 0x22 { return true }
            if c == 0xE2, i + 2 < r.upperBound, b[i + 1] == 0x80, b[i + 2] >= 0x9C, b[i + 2] <= 0x9E { return true }
            if c == 0xC2, i + 1 < r.upperBound, b[i + 1] == 0xAB { return true }
            i += 1
        }
        return false
    }

    /// Could this line be a ticker line at all (short, starts with an upper-case letter or digit)?
    @inline(__always) private static func tickerShaped(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        line.count <= 64 && (ByteText.isASCIIUpper(b[line.lowerBound]) || ByteText.isDigit(b[line.lowerBound]))
    }

    private static func isTickerNeighbour(_ b: UnsafeBufferPointer<UInt8>, _ lines: [Range<Int>], _ k: Int) -> Bool {
        guard tickerShaped(b, lines[k]) else { return false }
        for j in [k - 1, k + 1] where j >= 0 && j < lines.count && tickerShaped(b, lines[j]) {
            if MarketQuoteParser.parseLine(b, lines[j].lowerBound, lines[j].upperBound, exchange: nil) != nil { return true }
        }
        return false
    }

    /// `Caption text / Photo: © AGENCY` or `Photo: © AGENCY`.
    private static func captionLine(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ layout: inout PageLayout) -> Bool {
        guard line.count <= 500, let p = ByteText.find(b, line.lowerBound, line.upperBound, "Photo:") else { return false }
        guard p == line.lowerBound || b[p - 1] == 0x20 || b[p - 1] == 0x2F || b[p - 1] == 0x28 else { return false }
        var cs = p + 6
        var ce = line.upperBound
        if b[ce - 1] == 0x29 { ce -= 1 }
        (cs, ce) = ByteText.trim(b, cs, ce)
        if ce - cs >= 2, b[cs] == 0xC2, b[cs + 1] == 0xA9 { (cs, ce) = ByteText.trim(b, cs + 2, ce) }
        else if ByteText.hasPrefixIgnoringCase(b, cs, ce, "(c)") { (cs, ce) = ByteText.trim(b, cs + 3, ce) }
        var capEnd = p
        while capEnd > line.lowerBound, b[capEnd - 1] == 0x20 || b[capEnd - 1] == 0x2F || b[capEnd - 1] == 0x28 {
            capEnd -= 1
        }
        if layout.caption == nil, capEnd > line.lowerBound {
            layout.caption = line.lowerBound..<capEnd
            layout.auxiliary.append(line.lowerBound..<capEnd)
        }
        if layout.photoCredit == nil, cs < ce { layout.photoCredit = cs..<ce }
        return true
    }

    /// `- Heading -` (also with en or em dashes).
    private static func heading(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Range<Int>? {
        guard line.count >= 5, line.count <= 200 else { return nil }
        let s = line.lowerBound
        let e = line.upperBound
        var inner: (Int, Int)?
        if b[s] == 0x2D, b[s + 1] == 0x20, b[e - 1] == 0x2D, b[e - 2] == 0x20 {
            inner = ByteText.trim(b, s + 2, e - 2)
        } else if line.count >= 9, b[s] == 0xE2, b[s + 1] == 0x80, b[s + 2] == 0x94 || b[s + 2] == 0x93,
                  b[e - 3] == 0xE2, b[e - 2] == 0x80, b[e - 1] == 0x94 || b[e - 1] == 0x93 {
            inner = ByteText.trim(b, s + 3, e - 3)
        }
        guard let (hs, he) = inner, hs < he else { return nil }
        return hs..<he
    }

    private static let furniturePrefixes: [StaticString] = [
        "text size", "share", "print", "email", "e-mail", "subscribe", "sign up", "sign in", "log in", "read more",
        "advertisement", "follow us", "tweet", "copy link", "comments", "related", "skip to", "back to top",
        "newsletter", "whatsapp", "facebook", "twitter", "linkedin", "more from", "listen to", "font size",
        "reading time", "save article", "accept", "manage consent",
    ]
    private static let weekdays: [StaticString] = [
        "monday,", "tuesday,", "wednesday,", "thursday,", "friday,", "saturday,", "sunday,",
    ]

    private static func isFurniture(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        let s = line.lowerBound
        let e = line.upperBound
        if line.count > 200 || hasDoubleQuote(b, line) { return false }
        if ByteText.find(b, s, e, "ookie") != nil { return true }
        guard line.count <= 40 else { return false }
        if b[e - 1] == 0x2E { return false }
        for p in furniturePrefixes where ByteText.hasPrefixIgnoringCase(b, s, e, p) { return true }
        for d in weekdays where ByteText.hasPrefixIgnoringCase(b, s, e, d) { return true }
        return false
    }

    /// `K.Sutter--VB` gives `K.Sutter`; `By Anna Keller` gives `Anna Keller`.
    private static func byline(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Range<Int>? {
        let s = line.lowerBound
        let e = line.upperBound
        guard line.count <= 80, !hasDoubleQuote(b, line) else { return nil }
        if let d = ByteText.find(b, s, e, "--"), d > s {
            var j = d + 2
            while j < e, ByteText.isASCIIAlnum(b[j]) || b[j] == 0x2F { j += 1 }
            guard j == e, j - (d + 2) >= 1, j - (d + 2) <= 10 else { return nil }
            let (ns, ne) = ByteText.trim(b, s, d)
            guard ns < ne, ByteText.isASCIIUpper(b[ns]) || b[ns] >= 0x80 else { return nil }
            return ns..<ne
        }
        if e - s > 3, ByteText.hasPrefixIgnoringCase(b, s, e, "by "), ByteText.isASCIIUpper(b[s + 3]) || b[s + 3] >= 0x80,
           b[e - 1] != 0x2E, line.count <= 60 {
            var words = 1
            for i in s..<e where b[i] == 0x20 { words += 1 }
            if words <= 6 { return (s + 3)..<e }
        }
        return nil
    }
}
