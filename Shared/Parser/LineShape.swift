import QuotewireModels

/// Byte-level questions about the shape of a line or a part of one, asked by the page-structure layer:
/// its words, quote marks, capitals, names.
enum LineShape {
    /// The next word (a run of bytes up to a space) at or after `i`, before `end`.
    @inline(__always) static func word(_ b: UnsafeBufferPointer<UInt8>, from i: Int, _ end: Int) -> Range<Int>? {
        var s = i
        while s < end, b[s] == .space { s += 1 }
        guard s < end else { return nil }
        var e = s
        while e < end, b[e] != .space { e += 1 }
        return s..<e
    }

    /// Skips spaces (ASCII and no-break) from `i`.
    @inline(__always) static func skipSpaces(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        var i = i
        while i < end {
            if b[i] == .space { i += 1; continue }
            if b[i] == 0xC2, i + 1 < end, b[i + 1] == 0xA0 { i += 2; continue }
            break
        }
        return i
    }

    /// Does the range hold a double quote mark (straight, curly or guillemet)?
    static func hasDoubleQuote(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound {
            // Eight bytes at a time past words with no `"` and no byte of a non-ASCII character.
            if i + 8 <= r.upperBound, let base = b.baseAddress {
                let w = ByteWords.word(base, i)
                if w & ByteWords.highBits == 0, ByteWords.equalBytes(w, 0x22) == 0 {
                    i += 8
                    continue
                }
            }
            let c = b[i]
            if c == 0x22 { return true }
            if c == 0xE2, i + 2 < r.upperBound, b[i + 1] == 0x80, b[i + 2] >= 0x9C, b[i + 2] <= 0x9E { return true }
            if c == 0xC2, i + 1 < r.upperBound, b[i + 1] == 0xAB || b[i + 1] == 0xBB { return true }
            i += 1
        }
        return false
    }

    /// A quote mark opening at `i`: straight or curly, single or double, or a guillemet.
    @inline(__always) static func isQuoteMark(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        let c = b[i]
        if c == 0x22 || c == 0x27 { return true }
        if c == 0xE2, i + 2 < end, b[i + 1] == 0x80, b[i + 2] >= 0x98, b[i + 2] <= 0x9F { return true }
        return c == 0xC2 && i + 1 < end && (b[i + 1] == 0xAB || b[i + 1] == 0xBB)
    }

    /// A byte that may close a sentence after its full stop: a straight quote, a bracket, or a byte of a
    /// curly quote.
    @inline(__always) static func isClosingMark(_ c: UInt8) -> Bool {
        c == 0x22 || c == 0x29 || c == .apostrophe || c == 0xE2 || c == 0x80 || c == 0x9D || c == 0x99
    }

    /// Does a sentence start at `i`: a capital letter (ASCII or any non-ASCII letter), a digit or a quote mark?
    @inline(__always) static func startsSentence(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        guard i < end else { return false }
        let c = b[i]
        if ByteText.isASCIIUpper(c) || ByteText.isDigit(c) || isQuoteMark(b, i, end) { return true }
        return c >= 0xC3 && c < 0xE0 && ByteText.isUpperScalar(ByteText.scalar(b, i).value)
    }

    /// Does the range end a sentence, a clause or a quotation (its last character is punctuation that
    /// prose ends with: `. ! ? , ; :` or a closing quote mark)?
    static func endsInPunctuation(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e > s else { return false }
        let c = b[e - 1]
        switch c {
        case .period, .exclamation, .question, .comma, .colon, 0x3B, 0x22, .apostrophe: return true
        default: break
        }
        // ” ’ » …
        if e - s >= 3, b[e - 3] == 0xE2, b[e - 2] == 0x80, b[e - 1] == 0x9D || b[e - 1] == 0x99 || b[e - 1] == 0xA6 { return true }
        return e - s >= 2 && b[e - 2] == 0xC2 && b[e - 1] == 0xBB
    }

    /// Letters in the range: ASCII capitals, ASCII lower-case letters.
    static func letterCounts(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (upper: Int, lower: Int) {
        var upper = 0
        var lower = 0
        for i in s..<e {
            if ByteText.isASCIIUpper(b[i]) { upper += 1 } else if ByteText.isASCIILower(b[i]) { lower += 1 }
        }
        return (upper, lower)
    }

    /// One word of a person's name as a credit or byline writes it: `Jane`, `O'Neill`, `K.`, `KILPATRICK`,
    /// `Vucci-Ross`; or, after the first word, a particle (`de`, `van`, `bin`).
    static func isNameWord(_ b: UnsafeBufferPointer<UInt8>, _ w: Range<Int>, first: Bool) -> Bool {
        guard w.count <= 24 else { return false }
        let c = b[w.lowerBound]
        if !first, FurnitureWords.nameParticles.matchesWhole(b, w.lowerBound, w.upperBound) { return true }
        guard ByteText.isASCIIUpper(c) || (c >= 0xC3 && c < 0xE0) else { return false }
        var i = w.lowerBound + 1
        while i < w.upperBound {
            let d = b[i]
            guard ByteText.isASCIIAlpha(d) || d >= 0x80 || d == .period || d == .apostrophe || d == .hyphen else { return false }
            i += 1
        }
        return true
    }

    /// A person's name of one to `maxWords` words filling `s..<e`.
    static func isName(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, maxWords: Int) -> Bool {
        var i = s
        var words = 0
        while let w = word(b, from: i, e) {
            guard isNameWord(b, w, first: words == 0) else { return false }
            words += 1
            if words > maxWords { return false }
            i = w.upperBound
        }
        return words > 0
    }

    /// An e-mail address in the range: `name@host.tld`.
    static func hasEmailAddress(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var at = ByteText.firstByte(b, 0x40, s, e)
        while at < e {
            if at > s, ByteText.isASCIIAlnum(b[at - 1]) {
                var j = at + 1
                var dot = false
                while j < e, ByteText.isASCIIAlnum(b[j]) || b[j] == .hyphen || (b[j] == .period && j + 1 < e && ByteText.isASCIIAlpha(b[j + 1])) {
                    if b[j] == .period { dot = true }
                    j += 1
                }
                if dot, j > at + 3 { return true }
            }
            at = ByteText.firstByte(b, 0x40, at + 1, e)
        }
        return false
    }

    /// Does a web address start at `i` (`http://`, `https://`, `www.`)? Where its word ends.
    static func urlEnd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int? {
        guard ByteText.hasPrefixIgnoringCase(b, i, e, "http://") || ByteText.hasPrefixIgnoringCase(b, i, e, "https://")
            || ByteText.hasPrefixIgnoringCase(b, i, e, "www.") else { return nil }
        var j = i
        while j < e, b[j] != .space { j += 1 }
        return j
    }
}
