/// Datelines: lines that are only a date or time (`Posted: Jan. 6, 2020 5:43 PM ET`, `Wednesday, January 09, 2008`),
/// and the place a wire story opens with (`TORONTO — `, `OTTAWA, Ont. (CP) - `, `WASHINGTON (AP) — `).
enum Dateline {
    /// Longest date line, in bytes.
    static let maxDateLine = 80

    /// Is `s..<e` only dates, times and the words that introduce them (a short label before a colon may
    /// open it: `Article Launched: 01/14/2008`), with a digit and a date word or a date-shaped number?
    static func isDateLine(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e > s, e - s <= maxDateLine else { return false }
        if onlyDates(b, s, e) { return true }
        // `Created: …`, `Last Edited: …`: up to three words and a colon, then a date.
        let limit = min(e, s + 32)
        let colon = ByteText.firstByte(b, .colon, s, limit)
        guard colon < limit, colon > s, colon + 1 < e, b[colon + 1] == .space else { return false }
        var words = 1
        for i in s..<colon where b[i] == .space { words += 1 }
        return words <= 3 && onlyDates(b, colon + 2, e)
    }

    /// Every word a date word, a number or a dash; a digit and a date word or date-shaped number among them.
    private static func onlyDates(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        var digit = false
        var dated = false
        while let w = LineShape.word(b, from: i, e) {
            i = w.upperBound
            var ws = w.lowerBound
            var we = w.upperBound
            while ws < we, isFrame(b[ws]) { ws += 1 }
            while we > ws, isFrame(b[we - 1]) { we -= 1 }
            if ws == we || isDash(b, ws, we) { continue }
            if FurnitureWords.dateWords.matchesWhole(b, ws, we) { dated = true; continue }
            if b[we - 1] == .period { we -= 1 }
            if ws == we { continue }
            if FurnitureWords.dateWords.matchesWhole(b, ws, we) { dated = true; continue }
            guard let shape = number(b, ws, we) else { return false }
            digit = true
            if shape { dated = true }
        }
        return digit && dated
    }

    /// Punctuation around a date line's words: `,` `:` `|` `(` `)` `;`.
    @inline(__always) private static func isFrame(_ c: UInt8) -> Bool {
        c == .comma || c == .colon || c == 0x7C || c == 0x28 || c == 0x29 || c == 0x3B
    }

    /// `-`, `--`, `—`, `–`, `•`, `·`.
    @inline(__always) private static func isDash(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        if e - s <= 2, b[s] == .hyphen { return e - s == 1 || b[s + 1] == .hyphen }
        if e - s == 3, b[s] == 0xE2, b[s + 1] == 0x80, b[s + 2] == 0x94 || b[s + 2] == 0x93 || b[s + 2] == 0xA2 { return true }
        return e - s == 2 && b[s] == 0xC2 && b[s + 1] == 0xB7
    }

    /// A number of a date or time line (`2020`, `5:43`, `06.01.2008`, `1/7/2008`, `2008-01-12`, `9th`, `11:16am`,
    /// `10:15a.m`): nil when the word is none; true when it has the shape of a date or a time (two
    /// separators, or a colon), so that `1990-1994` and `42` alone make no date line.
    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool? {
        guard ByteText.isDigit(b[s]) else { return nil }
        var i = s
        var separators = 0
        var colon = false
        while i < e, ByteText.isDigit(b[i]) || b[i] == .colon || b[i] == .period || b[i] == 0x2F || b[i] == .hyphen {
            if !ByteText.isDigit(b[i]) { separators += 1 }
            if b[i] == .colon { colon = true }
            i += 1
        }
        let shaped = separators >= 2 || colon
        let rest = e - i
        guard rest > 0 else { return shaped }
        let x = b[i] | 0x20
        if rest == 3, x == 0x61 || x == 0x70, b[i + 1] == .period, b[i + 2] | 0x20 == 0x6D { return true }  // a.m p.m
        guard rest == 2 else { return nil }
        let y = b[i + 1] | 0x20
        if (x == 0x61 || x == 0x70) && y == 0x6D { return true }  // am pm
        // st nd rd th
        let ordinal = (x == 0x73 && y == 0x74) || (x == 0x6E && y == 0x64) || (x == 0x72 && y == 0x64) || (x == 0x74 && y == 0x68)
        return ordinal ? shaped : nil
    }

    /// Where the text starts after a place dateline opening `s..<e` (`e` when the line is only the dateline),
    /// or nil: words in capitals (the place), optionally `, Ont.` or `, Jan. 6` and a wire desk in parentheses,
    /// then a dash; or a place and its region or date alone on the line.
    static func placeEnd(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        guard e - s >= 3, ByteText.isASCIIUpper(b[s]), ByteText.isASCIIUpper(b[s + 1]) || b[s + 1] == .period else { return nil }
        var i = s
        var placeWords = 0
        var letters = 0
        var inRegion = false
        var regionWords = 0
        while let w = LineShape.word(b, from: i, e) {
            if let text = afterDash(b, w, e) {
                guard placeWords > 0, letters >= 3 else { return nil }
                return text
            }
            if b[w.lowerBound] == 0x28 {
                // `(AP)`, `(Reuters)`, `(CP)`: a desk, then the dash.
                guard placeWords > 0, b[w.upperBound - 1] == 0x29, w.count >= 3, w.count <= 16,
                      FurnitureWords.newsAgencies.matchesWhole(b, w.lowerBound + 1, w.upperBound - 1)
                        || LineShape.letterCounts(b, w.lowerBound + 1, w.upperBound - 1).lower == 0,
                      let next = LineShape.word(b, from: w.upperBound, e), let text = afterDash(b, next, e) else { return nil }
                return text
            }
            var we = w.upperBound
            let comma = b[we - 1] == .comma
            if comma { we -= 1 }
            if inRegion {
                // `Ont.`, `B.C.`, `Jan.`, `6`: short capitalised words or numbers.
                regionWords += 1
                guard regionWords <= 6, we - w.lowerBound <= 12,
                      ByteText.isASCIIUpper(b[w.lowerBound]) || ByteText.isDigit(b[w.lowerBound]) else { return nil }
            } else {
                let counts = LineShape.letterCounts(b, w.lowerBound, we)
                guard counts.lower == 0, counts.upper >= 1, placeWords < 4, LineShape.isNameWord(b, w.lowerBound..<we, first: true)
                else { return nil }
                placeWords += 1
                letters += counts.upper
            }
            if comma { inRegion = true }
            i = w.upperBound
        }
        // `BEVERLY HILLS, Calif., Jan. 8, 2008`: a place and its region or date, alone on the line.
        return regionWords > 0 && letters >= 3 ? e : nil
    }

    /// A dash word at `w` (`—`, `–`, `-`, `--`): where the text after it starts.
    private static func afterDash(_ b: UnsafeBufferPointer<UInt8>, _ w: Range<Int>, _ e: Int) -> Int? {
        let isDashWord = isDash(b, w.lowerBound, w.upperBound) && !(w.count == 2 && b[w.lowerBound] == 0xC2)
        guard isDashWord else { return nil }
        let text = LineShape.skipSpaces(b, w.upperBound, e)
        return text == e || LineShape.startsSentence(b, text, e) ? text : nil
    }
}
