/// Photo credits as pages print them: `THE CANADIAN PRESS/Sean Kilpatrick`, `(AP Photo/Evan Vucci, File)`,
/// `Getty Images`, `Photo by Jane Doe / Reuters`, `REUTERS/Blair Gable/File Photo`, `Photo: Tim Clayton`.
///
/// A credit is made of parts joined by `/`, `via`, `,` or `;` (optionally in parentheses, optionally after
/// a marker such as `Photo:` or `©`): agencies (`picture-agencies.txt`, `news-agencies.txt`), credit words
/// (`credit-words.txt`: File, Handout, Pool), photographers' names and dates. It needs an agency or a credit word,
/// or a marker before a name; a name alone is no credit.
enum PhotoCredit {
    /// What a credit says.
    struct Reading: Equatable {
        /// It credits a picture (a marker, a slash, a picture agency that is not a news desk, a credit word),
        /// not only a wire that may sign a story (`Reuters`, `(AP)`).
        var picture: Bool
    }

    /// Longest credit read, in bytes.
    static let maxLength = 120

    /// Reads `s..<e` as one whole credit.
    static func read(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Reading? {
        var (s, e) = ByteText.trim(b, s, e)
        guard s < e, e - s <= maxLength else { return nil }
        if e - s >= 2, (b[s] == 0x28 && b[e - 1] == 0x29) || (b[s] == 0x5B && b[e - 1] == 0x5D) {
            (s, e) = ByteText.trim(b, s + 1, e - 1)
        }
        var picture = false
        if let m = FurnitureWords.creditMarkers.match(b, at: s, end: e) {
            picture = true
            s = LineShape.skipSpaces(b, m, e)
        }
        if s + 1 < e, b[s] == 0xC2, b[s + 1] == 0xA9 { s = LineShape.skipSpaces(b, s + 2, e) }
        guard s < e else { return picture ? Reading(picture: true) : nil }
        var agency = false
        var names = 0
        var partStart = s
        var i = s
        while i <= e {
            let sep = i == e ? 1 : separatorLength(b, i, e)
            if sep == 0 { i += 1; continue }
            if i < e, b[i] == 0x2F || sep > 1 { picture = true }  // a slash or `via`
            let (ps, pe) = ByteText.trim(b, partStart, i)
            if ps < pe {
                if FurnitureWords.pictureAgencies.matchesWhole(b, ps, pe) {
                    agency = true
                    if !FurnitureWords.newsAgencies.matchesWhole(b, ps, pe) { picture = true }
                } else if FurnitureWords.newsAgencies.matchesWhole(b, ps, pe) {
                    agency = true
                } else if FurnitureWords.creditWords.matchesWhole(b, ps, pe) {
                    agency = true
                    picture = true
                } else if LineShape.isName(b, ps, pe, maxWords: 4) {
                    names += 1
                } else if !Dateline.isDateLine(b, ps, pe) {
                    return nil
                }
            }
            i += sep
            partStart = i
        }
        guard agency || (picture && names > 0) else { return nil }
        return Reading(picture: picture)
    }

    /// The bytes of a separator between a credit's parts at `i` (`/`, `,`, `;`, `|`, ` via `), or 0.
    @inline(__always) private static func separatorLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int {
        switch b[i] {
        case 0x2F, .comma, 0x3B, 0x7C: return 1
        case .space where i + 5 <= e && ByteText.hasPrefixIgnoringCase(b, i, e, " via "): return 5
        default: return 0
        }
    }

    /// Where a credit that ends the line `s..<e` starts (`s` when the whole line is one): in parentheses at
    /// its end, or after a sentence, or led by an agency or marker that says it is a picture credit.
    static func trailing(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (start: Int, reading: Reading)? {
        guard e > s else { return nil }
        let last = b[e - 1]
        if last == 0x29 || last == 0x5D {
            let open: UInt8 = last == 0x29 ? 0x28 : 0x5B
            var o = e - 2
            while o >= s, e - o <= maxLength, b[o] != open { o -= 1 }
            guard o >= s, e - o <= maxLength, let r = read(b, o, e) else { return nil }
            return (o, r)
        }
        if LineShape.endsInPunctuation(b, s, e) { return nil }
        // A credit ends with a name, an agency or a credit word: a capital (or a date's digit) opens its last word.
        var lastWord = e - 1
        while lastWord > s, b[lastWord - 1] != .space, b[lastWord - 1] != 0x2F { lastWord -= 1 }
        let c = b[lastWord]
        guard ByteText.isASCIIUpper(c) || ByteText.isDigit(c) || c >= 0xC3 else { return nil }
        let lo = max(s, e - maxLength)
        var i = lo
        while i < e {
            defer { i += 1 }
            guard i == s || (b[i - 1] == .space && i - 1 > s) else { continue }
            let afterSentence = i == s || sentenceEndsBefore(b, i - 1, s)
            if !afterSentence {
                // Mid-sentence, only a credit that opens with an agency or a marker counts.
                guard FurnitureWords.pictureAgencies.match(b, at: i, end: e) != nil
                    || FurnitureWords.creditMarkers.match(b, at: i, end: e) != nil
                    || (b[i] == 0xC2 && i + 1 < e && b[i + 1] == 0xA9) else { continue }
            }
            if let r = read(b, i, e), afterSentence || r.picture { return (i, r) }
        }
        return nil
    }

    /// Does a sentence end just before the space at `space` (`2020. `, `said." `)?
    private static func sentenceEndsBefore(_ b: UnsafeBufferPointer<UInt8>, _ space: Int, _ s: Int) -> Bool {
        guard space > s else { return false }
        let c = b[space - 1]
        if c == .period || c == .exclamation || c == .question || c == 0x22 { return true }
        return space - 3 >= s && b[space - 3] == 0xE2 && b[space - 2] == 0x80 && b[space - 1] == 0x9D
    }

    /// Where a credit glued before the line's own text ends (`Getty Images Kevin Vickers said …`,
    /// `THE CANADIAN PRESS/Jane Doe Kevin …`, `(AP Photo/Evan Vucci) The …`): the text after it must start
    /// a sentence. `opens`: may the line open with a credit marker or an agency (`FurnitureWords.lineOpenings`)?
    static func leading(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, opens: Bool) -> Int? {
        guard e - s > 4 else { return nil }
        var end: Int?
        if !opens {
            if let slash = nameBeforeSlash(b, s, e), let a = FurnitureWords.pictureAgencies.match(b, at: slash + 1, end: e) {
                end = suffixes(b, a, e)
            }
        } else if b[s] == 0x28 || b[s] == 0x5B {
            let close: UInt8 = b[s] == 0x28 ? 0x29 : 0x5D
            var c = s + 1
            while c < e, c - s < maxLength, b[c] != close { c += 1 }
            if c < e, b[c] == close, read(b, s, c + 1) != nil { end = c + 1 }
        } else if let m = FurnitureWords.creditMarkers.match(b, at: s, end: e) {
            // After `Photo:` a caption may follow as well as a credit: only an agency, a name with its agency,
            // or a name in capitals after `PHOTO BY` is taken for the credit.
            let p = LineShape.skipSpaces(b, m, e)
            if let a = FurnitureWords.pictureAgencies.match(b, at: p, end: e) {
                end = suffixes(b, a, e)
            } else if let n = photographer(b, p, e) {
                let inCapitals = LineShape.letterCounts(b, p, n).lower == 0
                end = agencyAfterName(b, n, e) ?? (inCapitals && b[m - 1] != .colon ? n : nil)
            }
        } else if let a = FurnitureWords.pictureAgencies.match(b, at: s, end: e) {
            if a < e, b[a] == 0x2F, let n = photographer(b, a + 1, e) {
                end = suffixes(b, n, e)
            } else if ByteText.find(b, s, a, " ") != nil {
                end = suffixes(b, a, e)
            }
        } else if let slash = nameBeforeSlash(b, s, e), let a = FurnitureWords.pictureAgencies.match(b, at: slash + 1, end: e) {
            end = suffixes(b, a, e)
        }
        guard let end else { return nil }
        let next = LineShape.skipSpaces(b, end, e)
        return next < e && LineShape.startsSentence(b, next, e) ? end : nil
    }

    /// `/File`, `/File Photo`, `, File`, ` via Getty Images` after a credit's end at `i`: where they end.
    private static func suffixes(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int {
        var i = i
        while i < e {
            var p = i
            if b[p] == 0x2F || b[p] == .comma { p = LineShape.skipSpaces(b, p + 1, e) } else if ByteText.hasPrefixIgnoringCase(b, p, e, " via ") {
                p += 5
            } else {
                break
            }
            if let w = FurnitureWords.creditWords.match(b, at: p, end: e) { i = w; continue }
            if let a = FurnitureWords.pictureAgencies.match(b, at: p, end: e) { i = a; continue }
            break
        }
        return i
    }

    /// `/ Reuters` or `/Getty Images` after a photographer's name ending at `i`.
    private static func agencyAfterName(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int? {
        let p = LineShape.skipSpaces(b, i, e)
        guard p < e, b[p] == 0x2F else { return nil }
        guard let a = FurnitureWords.pictureAgencies.match(b, at: LineShape.skipSpaces(b, p + 1, e), end: e) else { return nil }
        return suffixes(b, a, e)
    }

    /// A name of up to four words right before a slash at the line's start (`Jane Doe/Getty Images …`): the slash.
    private static func nameBeforeSlash(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        let limit = min(e, s + 48)
        let slash = ByteText.firstByte(b, 0x2F, s, limit)
        guard slash < limit, LineShape.isName(b, s, slash, maxWords: 4) else { return nil }
        return slash
    }

    /// A photographer's name glued before text, from `i`: a run of words in capitals (`KATHY ANDERSON`), else
    /// two capitalised words (three with an initial or a particle: `Jane Q. Doe`, `Ana de Souza`).
    private static func photographer(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int? {
        guard let first = LineShape.word(b, from: i, e), LineShape.isNameWord(b, first, first: true) else { return nil }
        let caps = LineShape.letterCounts(b, first.lowerBound, first.upperBound)
        if caps.lower == 0, caps.upper >= 2 {
            var end = first.upperBound
            var words = 1
            while words < 4, let w = LineShape.word(b, from: end, e), LineShape.letterCounts(b, w.lowerBound, w.upperBound).lower == 0,
                  LineShape.letterCounts(b, w.lowerBound, w.upperBound).upper >= 1, LineShape.isNameWord(b, w, first: false) {
                end = w.upperBound
                words += 1
            }
            return end
        }
        guard let second = LineShape.word(b, from: first.upperBound, e), LineShape.isNameWord(b, second, first: false) else {
            return first.upperBound
        }
        let short = second.count <= 2 || (second.count == 3 && b[second.upperBound - 1] == .period)
        if short || ByteText.isASCIILower(b[second.lowerBound]),
           let third = LineShape.word(b, from: second.upperBound, e), LineShape.isNameWord(b, third, first: true) {
            return third.upperBound
        }
        return second.upperBound
    }
}
