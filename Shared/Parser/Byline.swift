/// Bylines: `By Jane Doe`, `By: Murray Brewster, THE CANADIAN PRESS`, `Jane Doe · CBC News · Posted: Jan 06, 2020`,
/// `Jane Doe, The Associated Press`, `K.Sutter--VB`, a wire desk alone (`The Canadian Press`), a reporter's
/// role (`AP Business Writer`).
enum Byline {
    /// Longest byline line, in bytes.
    static let maxLength = 100

    /// The byline a line holds (the name after `By`, the name of a `Name--DESK` signature, else the whole
    /// line), or nil when the line is not a byline.
    static func read(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Range<Int>? {
        guard e - s >= 2, e - s <= maxLength, !LineShape.hasDoubleQuote(b, s..<e) else { return nil }
        if let r = signature(b, s, e) { return r }
        if let m = FurnitureWords.bylineOpenings.match(b, at: s, end: e) {
            let p = LineShape.skipSpaces(b, m, e)
            return p < e && names(b, p, e) ? p..<e : nil
        }
        if FurnitureWords.newsAgencies.matchesWhole(b, s, e) { return s..<e }
        if e - s > 2, b[s] == 0x28, b[e - 1] == 0x29, FurnitureWords.newsAgencies.matchesWhole(b, s + 1, e - 1) {
            return (s + 1)..<(e - 1)
        }
        return nameAndDesk(b, s, e) || roleLine(b, s, e) ? s..<e : nil
    }

    /// `K.Sutter--VB`: a name, two hyphens and a desk code of up to ten letters.
    private static func signature(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Range<Int>? {
        guard let d = ByteText.find(b, s, e, "--"), d > s else { return nil }
        var j = d + 2
        while j < e, ByteText.isASCIIAlnum(b[j]) || b[j] == 0x2F { j += 1 }
        guard j == e, j - (d + 2) >= 1, j - (d + 2) <= 10 else { return nil }
        let (ns, ne) = ByteText.trim(b, s, d)
        guard ns < ne, ByteText.isASCIIUpper(b[ns]) || b[ns] >= 0x80 else { return nil }
        return ns..<ne
    }

    /// After `By`: names, joined by function words (`and`, `of`), separators, a desk, dates; at least one name,
    /// at most twelve words, and no sentence end.
    private static func names(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        if b[e - 1] == .period, let last = lastWord(b, s, e), last.count > 3 { return false }
        var i = s
        var words = 0
        var named = false
        while let w = LineShape.word(b, from: i, e) {
            words += 1
            guard words <= 12 else { return false }
            i = w.upperBound
            let (ws, we) = stripPunctuation(b, w)
            if ws >= we { continue }
            if FurnitureWords.dateWords.matchesWhole(b, ws, we) || ByteText.isDigit(b[ws]) { continue }
            if FurnitureWords.stopWords.matchesWhole(b, ws, we), ByteText.isASCIILower(b[ws]) { continue }
            guard LineShape.isNameWord(b, ws..<we, first: true) else { return false }
            named = true
        }
        return named
    }

    /// `Jane Doe, The Associated Press`, `Jane Doe · CBC News · Posted: Jan 06, 2020`, `Rob Thomas — 1/17/2008`,
    /// `Associated Press - January 2, 2008 7:33 AM ET`: a name or a desk, then parts that are names, desks or
    /// dates, with a desk or a date among them.
    private static func nameAndDesk(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var parts: [Range<Int>] = []
        var start = s
        var i = s
        while i < e {
            let n = separatorLength(b, i, e)
            if n > 0 {
                parts.append(start..<i)
                i += n
                start = i
            } else {
                i += 1
            }
        }
        parts.append(start..<e)
        guard parts.count >= 2 else { return false }
        var names = 0
        var deskOrDate = false
        var afterDate = false
        for (k, p) in parts.enumerated() {
            let (ps, pe) = ByteText.trim(b, p.lowerBound, p.upperBound)
            guard ps < pe else { return false }
            let wasDate = afterDate
            afterDate = false
            if FurnitureWords.newsAgencies.matchesWhole(b, ps, pe) {
                deskOrDate = true
            } else if k > 0, Dateline.isDateLine(b, ps, pe) || (wasDate && (ps..<pe).allSatisfy { ByteText.isDigit(b[$0]) }) {
                // `Posted: Jan 14, 2026` comes as `Posted: Jan 14` and its year.
                deskOrDate = true
                afterDate = true
            } else if LineShape.isName(b, ps, pe, maxWords: 5) {
                names += 1
                guard names <= 2 else { return false }
            } else {
                return false
            }
        }
        return deskOrDate
    }

    /// `AP Business Writer`, `Seattle Times staff reporter`, `Staff and agencies`: capitalised words (and
    /// function words) ending in a reporter's role (`byline-roles.txt`), no closing punctuation.
    private static func roleLine(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s <= 60, !LineShape.endsInPunctuation(b, s, e) else { return false }
        var i = s
        while let w = LineShape.word(b, from: i, e) {
            if FurnitureWords.bylineRoles.matchesWhole(b, w.lowerBound, e) { return true }
            let (ws, we) = stripPunctuation(b, w)
            let function = FurnitureWords.stopWords.matchesWhole(b, ws, we) && ByteText.isASCIILower(b[ws])
            guard ws == we || function || LineShape.isNameWord(b, ws..<we, first: true) else { return false }
            i = w.upperBound
        }
        return false
    }

    /// `, ` ` · ` ` | ` ` - ` ` — ` ` – ` at `i`: its length, or 0.
    @inline(__always) private static func separatorLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int {
        let c = b[i]
        if c == .comma, i + 1 < e, b[i + 1] == .space { return 2 }
        guard c == .space, i + 2 < e else { return 0 }
        let d = b[i + 1]
        if (d == 0x7C || d == .hyphen), b[i + 2] == .space { return 3 }
        if d == 0xC2, i + 3 < e, b[i + 2] == 0xB7, b[i + 3] == .space { return 4 }  // ·
        if d == 0xE2, i + 4 < e, b[i + 2] == 0x80, b[i + 3] == 0x94 || b[i + 3] == 0x93, b[i + 4] == .space { return 5 }
        return 0
    }

    private static func lastWord(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Range<Int>? {
        var i = e
        while i > s, b[i - 1] != .space { i -= 1 }
        return i < e ? i..<e : nil
    }

    /// A word without the commas, bars and colons around it.
    private static func stripPunctuation(_ b: UnsafeBufferPointer<UInt8>, _ w: Range<Int>) -> (Int, Int) {
        var s = w.lowerBound
        var e = w.upperBound
        while s < e, b[s] == .comma || b[s] == 0x7C || b[s] == 0x28 { s += 1 }
        while e > s, b[e - 1] == .comma || b[e - 1] == 0x7C || b[e - 1] == .colon || b[e - 1] == 0x29 || b[e - 1] == 0x3B {
            e -= 1
        }
        // A separator word (· — –) strips to nothing.
        if e - s <= 3, b[s] >= 0xC2, !(b[s] >= 0xC3 && b[s] < 0xE0) { return (s, s) }
        if e - s == 1, b[s] == .hyphen || b[s] == 0x26 { return (s, s) }
        return (s, e)
    }
}
