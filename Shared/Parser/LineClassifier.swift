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
    /// The article text the line holds: the line, or what follows its dateline or a credit glued before
    /// it, in pieces where a page break was cut out of it.
    var text: [Range<Int>] = []
    var heading: Range<Int>?
    var caption: Range<Int>?
    /// A photo credit (not a copyright or contributor line, which carry none).
    var credit: Range<Int>?
    var byline: Range<Int>?
}

/// Classifies one line by its shape and by the furniture word lists (`FurnitureWords`), in this order:
/// a `- Heading -`; a page break, link or promo line; a caption opening (`FILE - `) or `… / Photo: …`; a
/// copyright or contributor line; a date line or a lone place dateline; a byline; a photo credit ending the
/// line (the line is a credit, or a caption with its credit); a heading in capitals; else a paragraph,
/// from which a credit or a web address glued before it, the dateline of the first paragraph and page
/// breaks inside it are taken off.
enum LineClassifier {
    /// Lines longer than this are never promo or credit lines by a phrase inside them.
    static let shortLine = 300
    /// Lines up to this long may be page furniture by their first word alone (`Share`, `Print`).
    static let tinyLine = 40
    /// Longest caption without quote marks; a longer text before a credit stays a paragraph.
    static let maxCaption = 300
    /// Lines up to this long that give an e-mail address are contact lines.
    static let contactLine = 160

    static func classify(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, opensBody: Bool) -> LineClass {
        let s = line.lowerBound
        let e = line.upperBound
        if let h = dashedHeading(b, s, e) { return LineClass(kind: .sectionLabel, heading: h) }
        let core = bulletEnd(b, s, e)
        guard core < e else { return LineClass(kind: .linkPromo) }
        if isPageBreak(b, core, e) || isPromo(b, core, e) { return LineClass(kind: .linkPromo) }
        if let c = captionLine(b, core, e) { return c }
        if isCreditLine(b, core, e) { return LineClass(kind: .credit) }
        if Dateline.isDateLine(b, core, e) || Dateline.placeEnd(b, core, e) == e { return LineClass(kind: .dateline) }
        if let by = Byline.read(b, core, e) { return LineClass(kind: .byline, byline: by) }
        if let (c, reading) = PhotoCredit.trailing(b, core, e) {
            let credit = reading.picture ? ByteText.trim(b, c, e) : nil
            let creditRange = credit.map { $0.0..<$0.1 }
            guard c > core else { return LineClass(kind: .credit, credit: creditRange) }
            let (ts, te) = captionText(b, core, c)
            if ts < te, te - ts <= maxCaption, !LineShape.hasDoubleQuote(b, ts..<te) {
                return LineClass(kind: .caption, caption: ts..<te, credit: creditRange)
            }
            if ts < te { return LineClass(kind: .paragraph, text: pageBreaksCut(b, ts, te), credit: creditRange) }
            return LineClass(kind: .credit, credit: creditRange)
        }
        if isCapitalsHeading(b, s, e) { return LineClass(kind: .sectionLabel, heading: s..<e) }
        var start = s
        var credit: Range<Int>?
        if let g = PhotoCredit.leading(b, core, e) {
            credit = core..<g
            start = LineShape.skipSpaces(b, g, e)
        } else if let u = LineShape.urlEnd(b, core, e), LineShape.startsSentence(b, LineShape.skipSpaces(b, u, e), e) {
            // A link glued before the text (`www.example.com The study …`).
            start = LineShape.skipSpaces(b, u, e)
        }
        if opensBody, let d = Dateline.placeEnd(b, start, e), d < e { start = d }
        return LineClass(kind: .paragraph, text: pageBreaksCut(b, start, e), credit: credit)
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

    /// A page break alone on its line, with a number after it or not (`Advertisement 2`).
    private static func isPageBreak(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard let m = FurnitureWords.pageBreaks.match(b, at: s, end: e) else { return false }
        var i = LineShape.skipSpaces(b, m, e)
        while i < e, ByteText.isDigit(b[i]) { i += 1 }
        return i == e
    }

    /// A link, promo, share, newsletter or consent line; a short line that ends with a web address.
    private static func isPromo(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let n = e - s
        if let m = FurnitureWords.promoLabels.match(b, at: s, end: e) {
            let p = LineShape.skipSpaces(b, m, e)
            if p == e { return n <= tinyLine }
            let c = b[p]
            if c == .colon || c == 0x7C || c == 0x3E { return true }
            if c == 0xC2, p + 1 < e, b[p + 1] == 0xBB { return true }  // »
            if c == 0xE2, p + 2 < e, b[p + 1] == 0x80, b[p + 2] == 0xBA { return true }  // ›
        }
        if FurnitureWords.promoOpenings.match(b, at: s, end: e) != nil { return true }
        guard n <= shortLine, !LineShape.hasDoubleQuote(b, s..<e) else { return false }
        if n <= contactLine, endsWithAddress(b, s, e) { return true }
        if n <= tinyLine, b[e - 1] != .period, FurnitureWords.promoWords.match(b, at: s, end: e) != nil { return true }
        return FurnitureWords.promoPhrases.firstMatch(b, s, e) != nil
    }

    /// Does the line end with a web address (`Visit www.example.com.`, `Web site: http://…`)?
    private static func endsWithAddress(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var end = e
        while end > s, b[end - 1] == .period || b[end - 1] == .space || b[end - 1] == 0x29 { end -= 1 }
        var i = end
        while i > s, b[i - 1] != .space, b[i - 1] != 0x28 { i -= 1 }
        return i < end && LineShape.urlEnd(b, i, end) == end
    }

    /// A copyright, contributor or contact line: it opens with `Copyright`, `With files from`, `Source:`, …,
    /// or a short line without quote marks says `contributed to this report`, `All rights reserved`, …, or
    /// gives an e-mail address.
    private static func isCreditLine(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        if FurnitureWords.creditOpenings.match(b, at: s, end: e) != nil { return true }
        guard e - s <= shortLine, !LineShape.hasDoubleQuote(b, s..<e) else { return false }
        if e - s <= contactLine, LineShape.hasEmailAddress(b, s, e) { return true }
        return FurnitureWords.creditPhrases.firstMatch(b, s, e) != nil
    }

    /// A caption: after a caption opening (`FILE - `, `Open this photo in gallery:`), or `Caption / Photo: © AGENCY`.
    private static func captionLine(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> LineClass? {
        if let m = FurnitureWords.captionMarkers.match(b, at: s, end: e) {
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
        return photoColonCaption(b, s, e)
    }

    /// `Caption text / Photo: © AGENCY` or `Photo: © AGENCY`.
    private static func photoColonCaption(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> LineClass? {
        guard e - s <= 500, let p = ByteText.find(b, s, e, "Photo:") else { return nil }
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

    /// The line `s..<e` without the page breaks a scraper left inside it (`… said. Story continues below
    /// The …`): a break in capitals, where a sentence ends before it (a phrase of several words may stand
    /// anywhere) and a sentence or the line's end follows it.
    static func pageBreaksCut(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = s
        var i = s
        while i < e {
            guard ByteText.isASCIIUpper(b[i]), i == s || b[i - 1] == .space, FurnitureWords.pageBreaks.mayStart(b, i, e),
                  let m = FurnitureWords.pageBreaks.match(b, at: i, end: e) else {
                i += 1
                continue
            }
            var next = LineShape.skipSpaces(b, m, e)
            while next < e, ByteText.isDigit(b[next]) { next += 1 }
            next = LineShape.skipSpaces(b, next, e)
            let phrase = ByteText.find(b, i, m, " ") != nil
            let sentenceBefore = i == s || sentenceEnds(b, s, i)
            guard phrase || sentenceBefore, next == e || LineShape.startsSentence(b, next, e) else {
                i = m
                continue
            }
            let (ps, pe) = ByteText.trim(b, start, i)
            if ps < pe { pieces.append(ps..<pe) }
            start = next
            i = next
        }
        let (ps, pe) = ByteText.trim(b, start, e)
        if ps < pe { pieces.append(ps..<pe) }
        return pieces
    }

    /// Does a sentence end before the spaces that precede `i`?
    private static func sentenceEnds(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ i: Int) -> Bool {
        var j = i
        while j > s, b[j - 1] == .space { j -= 1 }
        guard j > s else { return true }
        let c = b[j - 1]
        if c == .period || c == .exclamation || c == .question || c == 0x22 { return true }
        return j - 3 >= s && b[j - 3] == 0xE2 && b[j - 2] == 0x80 && b[j - 1] == 0x9D
    }
}
