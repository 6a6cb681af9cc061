import QuotewireModels

/// What a line of a scraped page is. Every line of the body gets one kind before any attribution reads
/// the text, so that no later stage sees furniture as text. (Ticker lines, `RIO 0.44% 57.26 $`, are read
/// before this, in blocks with their neighbours, by `PageStructure` and `MarketQuoteParser`.)
enum LineKind: Sendable, Equatable {
    /// Article text.
    case paragraph
    /// A section heading: `KEEPING SCORE` or `- Heading -` on its own line (kept in `headings`). The
    /// `ENERGY:` label opening a paragraph is one too; `TranscriptLines` tells those from speakers.
    case sectionLabel
    /// `READ MORE: …`, `WATCH: …`, `Click here …`, `ADVERTISEMENT`, `Story continues below`, share,
    /// newsletter and consent prompts (dropped).
    case linkPromo
    /// A photo credit (`photoCredit`), or a copyright, contributor or contact line (dropped).
    case credit
    /// A photo caption, with its credit when it has one (`caption`, `photoCredit`).
    case caption
    /// A date or time line, or a place dateline standing alone (dropped).
    case dateline
    /// A byline (`byline`).
    case byline
}

/// A line's kind and the parts it carries, as byte ranges into the text.
struct LineClass: Equatable {
    var kind: LineKind
    /// The article text a paragraph line holds: the line, or what follows its dateline or a credit glued
    /// before it. `LineClassifier.appendPieces` cuts out the page breaks inside it.
    var text: Range<Int>?
    var heading: Range<Int>?
    var caption: Range<Int>?
    /// A photo credit (not a copyright or contributor line, which carry none).
    var credit: Range<Int>?
    var byline: Range<Int>?
    /// A promo line that heads a list of links (`Related Stories`): the short lines after it are links.
    var opensLinkList = false
}

/// Classifies one line by its shape and by the furniture word lists (`FurnitureWords`), in this order:
/// a `- Heading -`; a page break, link or promo line, a caption opening (`FILE - `), a copyright or
/// contributor line, by their openings; `… / Photo: …`; a short line that is a promo, contact, consent or
/// credit line by a phrase or an address in it; a date line or a lone place dateline; a byline; a photo credit ending the
/// line (the line is a credit, or a caption with its credit); a heading in capitals; else a paragraph,
/// from which a credit or a web address glued before it, the dateline of the first paragraph and page
/// breaks inside it are taken off.
enum LineClassifier {
    /// Lines up to this long, without quote marks, may be promo, consent, contact or credit lines by a
    /// phrase or an address inside them (`… uses cookies …`, `… contributed to this report.`).
    static let shortLine = 160
    /// Lines up to this long may be page furniture by their first word alone (`Share`, `Print`).
    static let tinyLine = 40
    /// Longest caption without quote marks; a longer text before a credit stays a paragraph.
    static let maxCaption = 300

    static func classify(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, opensBody: Bool) -> LineClass {
        let s = line.lowerBound
        let e = line.upperBound
        if let h = dashedHeading(b, s, e) { return LineClass(kind: .sectionLabel, heading: h) }
        let core = bulletEnd(b, s, e)
        guard core < e, !isRule(b, core, e) else { return LineClass(kind: .linkPromo) }
        let n = e - core
        // Most lines are prose whose first words open no furniture: one filter test spares them the look-ups.
        let opens = b[core] == 0x28 || FurnitureWords.lineOpenings.mayStart(b, core, e)
        if opens {
            if isPageBreak(b, core, e) { return LineClass(kind: .linkPromo) }
            if let promo = promoKind(b, core, e) { return LineClass(kind: .linkPromo, opensLinkList: promo == .listHeading) }
            if let c = captionAfterMarker(b, core, e) { return c }
            if FurnitureWords.creditOpenings.match(b, at: core, end: e) != nil { return LineClass(kind: .credit) }
        }
        if !LineShape.endsInPunctuation(b, core, e), let c = photoColonCaption(b, core, e) { return c }
        if n <= shortLine, !LineShape.hasDoubleQuote(b, core..<e) {
            if opens, n <= tinyLine, b[e - 1] != .period, FurnitureWords.promoWords.match(b, at: core, end: e) != nil {
                return LineClass(kind: .linkPromo)
            }
            if endsWithAddress(b, core, e) { return LineClass(kind: .linkPromo) }
            if LineShape.hasEmailAddress(b, core, e) { return LineClass(kind: .credit) }
            if let tag = FurnitureWords.inlinePhrases.firstTag(b, core, e) {
                return LineClass(kind: tag == FurnitureWords.InlineTag.credit ? .credit : .linkPromo)
            }
        }
        if Dateline.isDateLine(b, core, e) || Dateline.placeEnd(b, core, e) == e { return LineClass(kind: .dateline) }
        // Bylines, navigation and credits end with a name or a word, not with a sentence's punctuation.
        let open = !LineShape.endsInPunctuation(b, core, e)
        if open, let by = Byline.read(b, core, e) { return LineClass(kind: .byline, byline: by) }
        if open, isNavigation(b, core, e) { return LineClass(kind: .linkPromo) }
        if open, let (c, reading) = PhotoCredit.trailing(b, core, e) {
            let credit = reading.picture ? ByteText.trim(b, c, e) : nil
            let creditRange = credit.map { $0.0..<$0.1 }
            guard c > core else { return LineClass(kind: .credit, credit: creditRange) }
            let (ts, te) = captionText(b, core, c)
            if ts < te, te - ts <= maxCaption, !LineShape.hasDoubleQuote(b, ts..<te) {
                return LineClass(kind: .caption, caption: ts..<te, credit: creditRange)
            }
            if ts < te { return LineClass(kind: .paragraph, text: ts..<te, credit: creditRange) }
            return LineClass(kind: .credit, credit: creditRange)
        }
        if isCapitalsHeading(b, s, e) { return LineClass(kind: .sectionLabel, heading: s..<e) }
        var start = s
        var credit: Range<Int>?
        if let g = PhotoCredit.leading(b, core, e, opens: opens) {
            credit = core..<g
            start = LineShape.skipSpaces(b, g, e)
        } else if let u = LineShape.urlEnd(b, core, e), LineShape.startsSentence(b, LineShape.skipSpaces(b, u, e), e) {
            // A link glued before the text (`www.example.com The study …`).
            start = LineShape.skipSpaces(b, u, e)
        }
        if opensBody, let d = Dateline.placeEnd(b, start, e), d < e { start = d }
        return LineClass(kind: .paragraph, text: start..<e, credit: credit)
    }

    /// `- Heading -` (also with en or em dashes).
    private static func dashedHeading(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Range<Int>? {
        guard e - s >= 5, e - s <= 200 else { return nil }
        var inner: (Int, Int)?
        if b[s] == .hyphen, b[s + 1] == .space, b[e - 1] == .hyphen, b[e - 2] == .space {
            inner = ByteText.trim(b, s + 2, e - 2)
        } else if e - s >= 9, b[s] == 0xE2, b[s + 1] == 0x80, b[s + 2] == 0x94 || b[s + 2] == 0x93,
                  b[e - 3] == 0xE2, b[e - 2] == 0x80, b[e - 1] == 0x94 || b[e - 1] == 0x93 {
            inner = ByteText.trim(b, s + 3, e - 3)
        }
        guard let (hs, he) = inner, hs < he else { return nil }
        return hs..<he
    }

    /// Past the bullets and dashes a line of furniture may open with (`• `, `» `, `► `, `— With files from`).
    private static func bulletEnd(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var i = s
        while i < e {
            let c = b[i]
            if c == 0x2A || c == 0x3E || c == .hyphen || c == 0x7C { i += 1; continue }  // * > - |
            if c == 0xC2, i + 1 < e, b[i + 1] == 0xBB || b[i + 1] == 0xB7 { i += 2; continue }  // » ·
            if c == 0xE2, i + 2 < e, (b[i + 1] == 0x80 && (b[i + 2] == 0x94 || b[i + 2] == 0x93 || b[i + 2] == 0xA2))
                || (b[i + 1] == 0x96 && (b[i + 2] == 0xBA || b[i + 2] == 0xB6 || b[i + 2] == 0xA0)) {
                i += 3  // — – • ► ▶ ■
                continue
            }
            break
        }
        return i == s ? s : LineShape.skipSpaces(b, i, e)
    }

    /// A short line with no letter or digit: a rule between parts of the page (`___`, `* * *`).
    private static func isRule(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s <= 24 else { return false }
        for i in s..<e where ByteText.isASCIIAlnum(b[i]) || (b[i] >= 0xC3 && b[i] < 0xE0) { return false }
        return true
    }

    /// A page break alone on its line, with a number after it or not (`Advertisement 2`).
    private static func isPageBreak(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard let m = FurnitureWords.pageBreaks.match(b, at: s, end: e) else { return false }
        var i = LineShape.skipSpaces(b, m, e)
        while i < e, ByteText.isDigit(b[i]) { i += 1 }
        return i == e
    }

    /// What a promo line by its opening is.
    private enum Promo { case line, listHeading }

    /// A link or promo line by its opening (`READ MORE: …`, `Click here …`); a label alone (`Related
    /// Stories`, `Trending Now`, `MORE:`) heads a list of links.
    private static func promoKind(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Promo? {
        if let m = FurnitureWords.promoLabels.match(b, at: s, end: e) {
            let p = LineShape.skipSpaces(b, m, e)
            if p == e { return e - s <= tinyLine ? .listHeading : nil }
            let c = b[p]
            if c == .colon { return LineShape.skipSpaces(b, p + 1, e) == e ? .listHeading : .line }
            if c == 0x7C || c == 0x3E { return .line }
            if c == 0xC2, p + 1 < e, b[p + 1] == 0xBB { return .line }  // »
            if c == 0xE2, p + 2 < e, b[p + 1] == 0x80, b[p + 2] == 0xBA { return .line }  // ›
        }
        return FurnitureWords.promoOpenings.match(b, at: s, end: e) != nil ? .line : nil
    }

    /// Links of a site's navigation on one line: two parts or more between bars (`About CBC News|Report
    /// error`), each short and without a sentence's end.
    private static func isNavigation(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s <= 200 else { return false }
        var bar = ByteText.firstByte(b, 0x7C, s, e)
        guard bar < e, !LineShape.hasDoubleQuote(b, s..<e) else { return false }
        var start = s
        while true {
            let (ps, pe) = ByteText.trim(b, start, bar)
            if pe - ps > 60 || (ps < pe && LineShape.endsInPunctuation(b, ps, pe)) { return false }
            if bar == e { return true }
            start = bar + 1
            bar = ByteText.firstByte(b, 0x7C, start, e)
        }
    }

    /// Is the line a link in a list of links (after `Related Stories`): short, no quote marks, no sentence's end?
    static func isListedLink(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        guard line.count <= 150, !LineShape.hasDoubleQuote(b, line) else { return false }
        let c = b[line.upperBound - 1]
        return c != .period && c != .exclamation && c != .comma && c != .colon && c != 0x3B
    }

    /// Does the line end with a web address (`Visit www.example.com.`, `Web site: http://…`)?
    private static func endsWithAddress(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var end = e
        while end > s, b[end - 1] == .period || b[end - 1] == .space || b[end - 1] == 0x29 { end -= 1 }
        var i = end
        while i > s, b[i - 1] != .space, b[i - 1] != 0x28 { i -= 1 }
        return i < end && LineShape.urlEnd(b, i, end) == end
    }

    /// A caption after a caption opening (`FILE - `, `Open this photo in gallery:`), with its credit when one ends it.
    private static func captionAfterMarker(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> LineClass? {
        guard let m = FurnitureWords.captionMarkers.match(b, at: s, end: e) else { return nil }
        var out = LineClass(kind: .caption)
        var end = e
        if let (c, reading) = PhotoCredit.trailing(b, m, e), c > m {
            end = c
            if reading.picture { out.credit = c..<e }
        }
        let (ts, te) = captionText(b, m, end)
        if ts < te { out.caption = ts..<te }
        return out
    }

    /// `Caption text / Photo: © AGENCY` or `Photo: © AGENCY`.
    private static func photoColonCaption(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> LineClass? {
        guard e - s <= 500, let p = photoColon(b, s, e) else { return nil }
        guard p == s || b[p - 1] == .space || b[p - 1] == 0x2F || b[p - 1] == 0x28 else { return nil }
        var cs = p + 6
        var ce = e
        if b[ce - 1] == 0x29 { ce -= 1 }
        (cs, ce) = ByteText.trim(b, cs, ce)
        if ce - cs >= 2, b[cs] == 0xC2, b[cs + 1] == 0xA9 { (cs, ce) = ByteText.trim(b, cs + 2, ce) }
        else if ByteText.hasPrefixIgnoringCase(b, cs, ce, "(c)") { (cs, ce) = ByteText.trim(b, cs + 3, ce) }
        var out = LineClass(kind: .caption)
        let (ts, te) = captionText(b, s, p)
        if ts < te { out.caption = ts..<te } else { out.kind = .credit }
        if cs < ce { out.credit = cs..<ce }
        return out
    }

    /// Where `Photo:` stands in the line: found by its colon, a rarer byte than its first letter.
    private static func photoColon(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        let label: StaticString = "Photo"
        let p = label.utf8Start
        guard e - s > 5 else { return nil }
        var c = ByteText.firstByte(b, .colon, s + 5, e)
        while c < e {
            var k = 0
            while k < 5, b[c - 5 + k] == p[k] { k += 1 }
            if k == 5 { return c - 5 }
            c = ByteText.firstByte(b, .colon, c + 1, e)
        }
        return nil
    }

    /// The caption before a credit, without the separators between them (` / `, `(`, `|`, `-`).
    private static func captionText(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (Int, Int) {
        var (ts, te) = ByteText.trim(b, s, e)
        while te > ts, b[te - 1] == .space || b[te - 1] == 0x2F || b[te - 1] == 0x28 || b[te - 1] == 0x7C || b[te - 1] == .hyphen {
            te -= 1
        }
        return (ts, te)
    }

    /// A heading in capitals on its own line: at most eight words and 60 bytes, three capitals or more,
    /// no lower-case letter, no quote mark, no closing punctuation but a question mark.
    private static func isCapitalsHeading(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s <= 60 else { return false }
        let c = b[e - 1]
        if c == .period || c == .comma || c == .colon || c == 0x3B || c == .exclamation { return false }
        let counts = LineShape.letterCounts(b, s, e)
        guard counts.lower == 0, counts.upper >= 3, !LineShape.hasDoubleQuote(b, s..<e) else { return false }
        var words = 1
        for i in s..<e where b[i] == .space { words += 1 }
        return words <= 8
    }

    /// Appends the text `t` to `out` without a page break a scraper glued to its start or end (`Story
    /// continues below The …`, `… said. ADVERTISEMENT`): a break in capitals, at the start or after the last
    /// full stop, followed by a sentence or the end. (A page break glued inside a paragraph stays: finding
    /// it would cost a scan of every paragraph.)
    static func appendPieces(_ b: UnsafeBufferPointer<UInt8>, _ t: Range<Int>, to out: inout [Range<Int>]) {
        var s = t.lowerBound
        var e = t.upperBound
        if let next = pageBreakEnd(b, s, e) { s = next }
        // The last full stop within reach of the longest page break.
        var j = e - 1
        while j > s, e - j <= FurnitureWords.pageBreaks.maxLength + 4, b[j] != .period { j -= 1 }
        if j > s, b[j] == .period {
            var k = j + 1
            while k < e, LineShape.isClosingMark(b[k]) { k += 1 }
            if k < e, b[k] == .space, let next = pageBreakEnd(b, LineShape.skipSpaces(b, k, e), e), next == e { e = k }
        }
        if s == t.lowerBound, e == t.upperBound { out.append(t); return }
        let (ps, pe) = ByteText.trim(b, s, e)
        if ps < pe { out.append(ps..<pe) }
    }

    /// A page break in capitals at `i`, followed by a sentence or the end: where the text after it starts.
    @inline(__always) private static func pageBreakEnd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int? {
        guard i < e, ByteText.isASCIIUpper(b[i]), FurnitureWords.pageBreaks.mayStart(letter: b[i]),
              let m = FurnitureWords.pageBreaks.match(b, at: i, end: e) else { return nil }
        var next = LineShape.skipSpaces(b, m, e)
        while next < e, ByteText.isDigit(b[next]) { next += 1 }
        next = LineShape.skipSpaces(b, next, e)
        return next == e || LineShape.startsSentence(b, next, e) ? next : nil
    }
}
