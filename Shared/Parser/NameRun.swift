/// A run of capitalised words inside a paragraph's tokens, read as a name.
struct NameRun: Sendable, Equatable {
    /// Token indices of the whole run (inclusive).
    var first: Int
    var last: Int
    /// Token indices of the name part (after titles), inclusive; `nameFirst > nameLast` when there is none.
    var nameFirst: Int
    var nameLast: Int
    /// Token index range of titles inside the run (`US President`), if any.
    var titleFirst: Int?
    var titleLast: Int?
    var isOrg: Bool
    var isPersonLike: Bool
    /// The run ends in a possessive ("Trump's").
    var possessive: Bool

    var hasName: Bool { nameFirst <= nameLast }
    var nameTokenCount: Int { nameLast - nameFirst + 1 }
}

/// Reading capitalised runs as names: titles, organisation words, the name part.
extension TokenTable {
    /// A capitalised word that may belong to a name (not a stop word, month or weekday).
    func isNameWord(_ i: Int) -> Bool {
        guard i >= 0, i < tokens.count, tokens[i].isCapitalized else { return false }
        // "US-led", "pro-Kremlin": a hyphen before a lower-case letter is not a name.
        let t = tokens[i]
        var k = t.start
        while k + 1 < t.end {
            if b[k] == .hyphen, ByteText.isASCIILower(b[k + 1]) { return false }
            k += 1
        }
        return !lex(i).any((.stop | .calendar | .personPronoun | .groupPronoun))
            || (tokens[i].flags.contains(.allCaps) && !lex(i).contains(.calendar) && tokens[i].end - tokens[i].start > 2)
    }

    private static let particles: [StaticString] = ["de", "van", "von", "der", "den", "al", "bin", "da", "la", "le", "di", "du", "del", "dos", "ibn"]

    /// The run of name words starting at `i` (which must be a name word), within `limit`.
    func run(at i: Int, limit: Int) -> NameRun {
        var j = i
        while true {
            if tokens[j].flags.contains(.possessive) {
                // "Sheriff's Office" stays one run; "Trump's push" ends here.
                if j + 1 < limit, isNameWord(j + 1), lex(j + 1).contains(.orgWord) { j += 1; continue }
                break
            }
            if j + 1 < limit, isNameWord(j + 1) { j += 1; continue }
            // "Department of Defense", "Ludwig van Beethoven".
            if j + 2 < limit, isNameWord(j + 2), tokens[j + 1].kind == .word {
                let joinsOf = isWordEqual(j + 1, "of") && has(j, (.title | .orgWord))
                if joinsOf || Self.particles.contains(where: { isWordEqual(j + 1, $0) }) {
                    j += 2
                    continue
                }
            }
            break
        }
        return analyze(i, j)
    }

    /// Reads run `first...last`: titles, organisation words, the name part.
    func analyze(_ first: Int, _ last0: Int) -> NameRun {
        var last = last0
        while last > first, has(last, .nameSuffix) { last -= 1 }
        var lastTitle: Int?
        var firstTitle: Int?
        var lastOrg: Int?
        var allCapsCount = 0
        var place = false
        // "Charlie King", "Angus King": a title word after a given name is a surname.
        let surnameTitle = last > first && has(last, .title) && has(last - 1, .male | .female) && !has(last - 1, .title)
        for k in first...last {
            let f = lex(k)
            if f.contains(.placeWord) { place = true }
            if f.contains(.title), !(k == last && surnameTitle) {
                lastTitle = k
                if firstTitle == nil { firstTitle = k }
            }
            if f.contains(.orgWord) { lastOrg = k }
            if tokens[k].flags.contains(.allCaps) { allCapsCount += 1 }
        }
        let possessive = tokens[last].flags.contains(.possessive)
        var run = NameRun(first: first, last: last0, nameFirst: first, nameLast: last, titleFirst: nil, titleLast: nil,
                          isOrg: false, isPersonLike: false, possessive: possessive)
        if let o = lastOrg, lastTitle == nil || o > (lastTitle ?? -1) {
            run.isOrg = true
            return run
        }
        if let t = lastTitle {
            var nf = t + 1
            if nf <= last, isWordEqual(nf, "of") { nf += 2 }
            run.titleFirst = firstTitle
            run.titleLast = t
            run.nameFirst = nf
            if nf > last { return run }
            run.isPersonLike = true
            return run
        }
        let count = last - first + 1
        if count >= 3, allCapsCount == 0, opensSentence(first), isRoleNoun(first), !has(first, .male | .female | .orgWord) {
            // "Moderator Tess Hale spoke": an agent noun capitalised only because it opens the sentence.
            run.nameFirst = first + 1
            run.isPersonLike = true
            return run
        }
        if count >= 3, allCapsCount == 0, !place, has(first, .affiliation) {
            // "Republican Donald Trump", "Vermont Democrat Tim Kaine": the affiliations describe the
            // person; the name is the two or more words after them.
            var nf = first
            while last - nf >= 2, has(nf, .affiliation) { nf += 1 }
            if !(first...last).contains(where: { isWordEqual($0, "of") }) {
                run.nameFirst = nf
                run.isPersonLike = true
                return run
            }
        }
        if count >= 2, allCapsCount == 0, !has(first, .placePrefix), !place {
            var hasOf = false
            for k in first...last where isWordEqual(k, "of") { hasOf = true }
            run.isPersonLike = !hasOf
        }
        return run
    }

    /// Does token `k` open its sentence (or paragraph)?
    func opensSentence(_ k: Int) -> Bool {
        k == 0 || tokens[k - 1].kind == .period || tokens[k - 1].kind == .colon
            || (tokens[k - 1].kind == .quote && tokens[k - 1].flags.contains(.endsSentence))
    }

    /// The name part of a run as a byte range (possessive suffix excluded).
    func nameRange(_ r: NameRun) -> Range<Int>? {
        guard r.hasName else { return nil }
        return tokens[r.nameFirst].start..<tokens[r.nameLast].coreEnd
    }

    /// The whole run as a byte range (for organisations).
    func runRange(_ r: NameRun) -> Range<Int> {
        tokens[r.first].start..<tokens[r.last].coreEnd
    }

    /// Surname: the last token of the name part.
    func surnameRange(_ r: NameRun) -> Range<Int>? {
        guard r.hasName else { return nil }
        return tokens[r.nameLast].start..<tokens[r.nameLast].coreEnd
    }

    /// Role words just before a run ("NATO chief" before "Mark Rutte") plus titles inside it.
    func roleRange(before r: NameRun, floor: Int) -> Range<Int>? {
        var k = r.first - 1
        var startTok: Int?
        var count = 0
        var loose = 0
        while k >= floor, count < 5, tokens[k].kind == .word {
            let f = lex(k)
            if f.any((.determiner | .preposition | .clauseWord | .cue | .cueGerund | .personPronoun | .groupPronoun | .relative | .skippable | .calendar | .stop)) { break }
            if !tokens[k].isCapitalized, !f.any((.title | .orgWord)) {
                // A lower-case word joins a role only before a title ("special envoy", not "attacking"),
                // or as a role noun right before the name ("unionist", "treasurer").
                if count == 0 {
                    if !isRoleNoun(k) { break }
                } else {
                    if loose >= 1 { break }
                    loose += 1
                }
            }
            startTok = k
            count += 1
            k -= 1
        }
        let end: Int
        if let tl = r.titleLast, r.hasName { end = tokens[tl].end } else if startTok != nil { end = tokens[r.first - 1].end } else { return nil }
        let s = startTok.map { tokens[$0].start } ?? tokens[r.titleFirst ?? r.first].start
        return s < end ? s..<end : nil
    }
}
