/// Who a quotation's attribution points at, before it is resolved against the article.
enum SubjectRef {
    case run(NameRun)
    /// Token index of he/she/it/they.
    case pronoun(Int)
    /// Token range of a described speaker ("the Ukrainian leader").
    case description(Int, Int)
}

/// An attribution found around a quotation.
struct Attribution {
    var subject: SubjectRef?
    /// Token range of the cue ("said", "according to").
    var cue: Range<Int>?
    /// A role from an apposition ("Mike Pence, the Vice President,").
    var appositionRole: Range<Int>?
}

/// A resolved speaker, ready for a `Quotation`: byte ranges into the text.
struct ResolvedSpeaker {
    var speaker: Range<Int>?
    var mention: Range<Int>?
    var role: Range<Int>?
    var cue: Range<Int>?
}

/// Finds attributions around quote tokens: speech cues before or after the quotation,
/// inverted (`said Rutte`), appositions, relative clauses (`Witkoff, who said`),
/// `according to`, passives (`was described by`), gerunds (`…, saying "…"`).
extension TokenReader {
    /// Start of the clause holding token `q` (after `.`, `;` or a quotation that ended a sentence).
    mutating func clauseStart(_ q: Int, semicolon: Bool = true) -> Int {
        var k = q - 1
        // Bounded look-back keeps very long unpunctuated paragraphs linear.
        let limit = max(0, q - 80)
        while k >= limit {
            let t = tokens[k]
            if t.kind == .period || (semicolon && t.kind == .semicolon) { break }
            if t.kind == .quote, t.flags.contains(.endsSentence), k + 1 < q, tokens[k + 1].isCapitalized { break }
            k -= 1
        }
        return k + 1
    }

    mutating func isCue(_ k: Int) -> Bool {
        guard tokens[k].kind == .word, !tokens[k].isCapitalized else { return false }
        return r_has(k, (.cue | .cueGerund))
    }

    private mutating func r_has(_ k: Int, _ f: Lexicon.Flags) -> Bool { has(k, f) }

    /// The nearest speech cue before `q` in its clause (skipping parentheses and dash asides).
    mutating func cueBefore(_ q: Int, floor floor0: Int) -> Int? {
        let floor = max(floor0, q - 80)
        var k = q - 1
        var boundary = q
        while k >= floor {
            let t = tokens[k]
            if t.kind == .quote {
                // `said "…" and "…"` carries over; a cue far behind another quotation does not.
                if boundary - k - 1 > 12 { return nil }
                boundary = k
            }
            if t.kind == .closeParen {
                var j = k - 1
                while j >= floor, tokens[j].kind != .openParen { j -= 1 }
                k = j - 1
                continue
            }
            if t.kind == .dash {
                var j = k - 1
                while j >= floor, j > k - 14, tokens[j].kind != .dash { j -= 1 }
                if j >= floor, j > k - 14, tokens[j].kind == .dash { k = j - 1; continue }
            }
            if t.kind == .word {
                if isWordEqual(k, "according"), isWordEqual(k + 1, "to") { return k }
                if isCue(k) {
                    if isWordEqual(k - 1, "as") { k -= 2; continue }
                    return k
                }
            }
            k -= 1
        }
        return nil
    }

    /// Attribution from the words before the quotation in its clause.
    mutating func attributionBefore(_ q: Int) -> Attribution? {
        let floor = clauseStart(q)
        guard let c = cueBefore(q, floor: floor) else {
            // `X did something: "…"` — the sentence subject speaks.
            if q > 0, tokens[q - 1].kind == .colon, let s = sentenceSubject(from: clauseStart(q, semicolon: false), limit: q - 1) {
                return Attribution(subject: s, cue: nil)
            }
            return nil
        }
        if isWordEqual(c, "according") {
            let e = phraseEnd(from: c + 2, limit: q)
            return Attribution(subject: e > c + 2 ? classifyNP(c + 2, e, preferLast: false) : nil, cue: c..<(c + 2))
        }
        let cue = cueRange(c)
        if has(c, .cueGerund) {
            // "with Zinichev describing …": a name right before the gerund is its subject.
            if c > floor, isWord(c - 1), has(c - 1, (.personPronoun | .groupPronoun)) {
                return Attribution(subject: .pronoun(c - 1), cue: cue)
            }
            if c > floor, isNameWord(c - 1) {
                var f = c - 1
                while f - 1 >= floor, isNameWord(f - 1) { f -= 1 }
                let r = run(at: f, limit: c)
                if r.last == c - 1, r.hasName || r.isOrg, !r.possessive { return Attribution(subject: .run(r), cue: cue) }
            }
            return Attribution(subject: sentenceSubject(from: clauseStart(c, semicolon: false), limit: c), cue: cue)
        }
        // Passive: "was described by the police as", "he was told by Minister X".
        if isWordEqual(c + 1, "by") {
            let e = phraseEnd(from: c + 2, limit: q)
            return Attribution(subject: e > c + 2 ? classifyNP(c + 2, e, preferLast: false) : nil, cue: cue)
        }
        if has(c - 1, .passiveAux) {
            var k = q + 1
            if k < tokens.count, isWordEqual(k, "by") {
                k += 1
                let e = phraseEnd(from: k, limit: tokens.count)
                return Attribution(subject: e > k ? classifyNP(k, e, preferLast: false) : nil, cue: cue)
            }
            return Attribution(subject: nil, cue: cue)
        }
        var sub = subjectBefore(c, floor: floor)
        if sub.subject == nil, c > floor, tokens[c - 1].kind == .quote || tokens[c - 1].kind == .comma {
            // `"…," said Khan, "…"`: inverted, the subject follows the cue.
            let e = phraseEnd(from: c + 1, limit: q)
            if e > c + 1 { sub = Attribution(subject: classifyNP(c + 1, e, preferLast: false)) }
        }
        if sub.subject == nil {
            sub.subject = sentenceSubject(from: clauseStart(c, semicolon: false), limit: c)
        }
        sub.cue = cue
        return sub
    }

    /// Attribution from the words after the quotation: `, Rutte said`, `, said Rutte`, `, he added`.
    mutating func attributionAfter(_ q: Int) -> Attribution? {
        let n = tokens.count
        var k = q + 1
        while k < n, tokens[k].kind == .comma { k += 1 }
        guard k < n, tokens[k].kind == .word else { return nil }
        let ended = tokens[q].flags.contains(.endsSentence)
        if has(k, .cue), !tokens[k].isCapitalized || (!ended && !isCue(k + 1)) {
            let e = phraseEnd(from: k + 1, limit: n)
            if e > k + 1, !has(k + 1, .preposition) {
                return Attribution(subject: classifyNP(k + 1, e, preferLast: false), cue: cueRange(k))
            }
            return nil
        }
        if isWordEqual(k, "according"), isWordEqual(k + 1, "to") {
            let e = phraseEnd(from: k + 2, limit: n)
            return Attribution(subject: e > k + 2 ? classifyNP(k + 2, e, preferLast: false) : nil, cue: k..<(k + 2))
        }
        var c = k
        var window = k + 12
        while c < n, c < window {
            let t = tokens[c]
            if t.kind == .openParen, let close = closingParen(after: c, limit: min(n, c + 12)) {
                // "Harry Reid (D-Nev.) said": a parenthesis between name and verb.
                window += close - c
                c = close + 1
                continue
            }
            if t.kind == .period, c + 1 < n, tokens[c + 1].kind == .comma, c > k {
                // "McConnell, R-Ky., said": an abbreviation's dot, not a sentence end.
                c += 1
                continue
            }
            if t.kind == .period || t.kind == .semicolon || t.kind == .quote || t.kind == .colon { break }
            if t.kind == .word, c > k, tokens[c - 1].kind == .comma, !tokens[c].isCapitalized || has(c, .determiner),
               !isCue(c), let next = nextComma(after: c, limit: min(n, c + 24)), !hasCue(c, next) {
                // "Name, chief economist at the bank, said": an apposition, however long.
                window += next - c
                c = next
                continue
            }
            if t.kind == .word, c > k, tokens[c - 1].kind == .comma, has(c, .relative) || isAsideStart(c),
               let next = nextComma(after: c, limit: min(n, c + 24)) {
                // "Name, who works at the plant, said", "Name, wearing a hat, said": an aside.
                window += next - c
                c = next
                continue
            }
            if t.kind == .word, has(c, .relative) || isWordEqual(c, "including") { c = n; break }
            if t.kind == .word, isCue(c), has(c, .cue), !isWordEqual(c - 1, "to") || isWordEqual(c - 2, "on") { break }
            c += 1
        }
        guard c < n, c < window, tokens[c].kind == .word, isCue(c) else {
            // "… "broken into two pieces" from under the mud, according to investigators."
            var a = k
            while a + 1 < n, a < k + 24, tokens[a].kind != .period, tokens[a].kind != .quote, tokens[a].kind != .semicolon {
                if isWordEqual(a, "according"), isWordEqual(a + 1, "to") {
                    let e = phraseEnd(from: a + 2, limit: n)
                    return Attribution(subject: e > a + 2 ? classifyNP(a + 2, e, preferLast: false) : nil, cue: a..<(a + 2))
                }
                a += 1
            }
            return nil
        }
        if ended, tokens[k].isCapitalized {
            // A new sentence: after a full stop only a bare "Name said." (or "said on Tuesday", "said in a
            // statement") attributes the quotation before it; after "?" or "!" any "Name said …" does.
            let after = c + 1 < n ? tokens[c + 1].kind : .period
            let bare = after == .period || after == .comma
                || (c + 1 < n && (has(c + 1, (.preposition | .calendar)) || isAdverb(c + 1)) && !isWordEqual(c + 1, "to"))
            if !(bare || tokens[q].flags.contains(.endsQuestionOrExclamation)) { return nil }
            if c - k > 4, !bare { return nil }
        }
        var e = c
        while e > k, isWord(e - 1), has(e - 1, .skippable) || isAdverb(e - 1), !has(e - 1, (.personPronoun | .groupPronoun)) { e -= 1 }
        if e > k, tokens[e - 1].kind == .closeParen {
            // Drop a parenthesis standing before the verb ("(D-Nev.)").
            var o = e - 1
            while o > k, tokens[o].kind != .openParen { o -= 1 }
            if tokens[o].kind == .openParen { e = o }
        }
        guard e > k else { return nil }
        var a: Attribution
        var lastComma = -1
        for j in k..<e where tokens[j].kind == .comma { lastComma = j }
        if tokens[e - 1].kind == .comma {
            a = appositionSubject(e - 1, floor: k)
        } else if e - 1 == lastComma + 1 || e - k == 1, has(e - 1, (.personPronoun | .groupPronoun)) {
            a = Attribution(subject: .pronoun(e - 1))
        } else if lastComma >= k, lastComma + 1 < e, !has(lastComma + 1, .determiner) {
            a = Attribution(subject: classifyNP(lastComma + 1, e, preferLast: true))
        } else {
            a = Attribution(subject: classifyNP(k, e, preferLast: true))
        }
        a.cue = cueRange(c)
        return a
    }

    /// The `)` closing the `(` at `open`, before `limit`.
    func closingParen(after open: Int, limit: Int) -> Int? {
        var j = open + 1
        while j < limit {
            if tokens[j].kind == .closeParen { return j }
            if tokens[j].kind == .quote || tokens[j].kind == .openParen { return nil }
            j += 1
        }
        return nil
    }

    /// Is there a speech verb in `s..<e`?
    mutating func hasCue(_ s: Int, _ e: Int) -> Bool {
        var k = s
        while k < e { if isCue(k) { return true }; k += 1 }
        return false
    }

    /// The next comma after `k`, before `limit`, with no sentence end or quotation in between.
    func nextComma(after k: Int, limit: Int) -> Int? {
        var j = k + 1
        while j < limit {
            let kind = tokens[j].kind
            if kind == .comma { return j }
            if kind == .period || kind == .quote || kind == .semicolon || kind == .colon { return nil }
            j += 1
        }
        return nil
    }

    /// "said", "pointed out", "according to".
    func cueRange(_ c: Int) -> Range<Int> {
        if isWordEqual(c + 1, "out") { return c..<(c + 2) }
        return c..<(c + 1)
    }

    /// End of a noun phrase read forwards: the next period, semicolon, colon, quotation, parenthesis or dash.
    func phraseEnd(from s: Int, limit: Int) -> Int {
        var e = s
        while e < limit, e < s + 16 {
            let k = tokens[e].kind
            if k == .period || k == .semicolon || k == .colon || k == .quote || k == .openParen || k == .dash { break }
            e += 1
        }
        return e
    }

    /// Adverbs and auxiliaries between a subject and its verb: also, has, reportedly, on Tuesday.
    mutating func skipBack(_ k0: Int, floor: Int) -> Int {
        var k = k0
        while k >= floor, isWord(k) {
            if has(k, (.personPronoun | .groupPronoun)) { break }
            if has(k, .skippable) || isAdverb(k) { k -= 1; continue }
            if has(k, .calendar), k - 1 >= floor, isWordEqual(k - 1, "on") || isWordEqual(k - 1, "last") || isWordEqual(k - 1, "this") {
                k -= 2
                continue
            }
            break
        }
        return k
    }

    /// A lower-case word in -ly: "reportedly", "audibly".
    func isAdverb(_ k: Int) -> Bool {
        let t = tokens[k]
        guard t.kind == .word, !t.isCapitalized, t.end - t.start > 4 else { return false }
        return b[t.end - 1] == 0x79 && b[t.end - 2] == 0x6C
    }

    /// The subject standing before cue `c`.
    mutating func subjectBefore(_ c: Int, floor: Int, depth: Int = 0) -> Attribution {
        let k = skipBack(c - 1, floor: floor)
        guard k >= floor else { return Attribution() }
        if tokens[k].kind == .comma { return appositionSubject(k, floor: floor) }
        guard tokens[k].kind == .word else { return Attribution() }
        if has(k, (.personPronoun | .groupPronoun)) { return Attribution(subject: .pronoun(k)) }
        if depth == 0, isWordEqual(k, "and") || isWordEqual(k, "but") || isWordEqual(k, "or") {
            // "… and wrote": the verb before has the same subject.
            if let c2 = cueBefore(k, floor: floor) { return subjectBefore(c2, floor: floor, depth: 1) }
            return Attribution(subject: sentenceSubject(from: floor, limit: k))
        }
        if has(k, .relative) {
            var j = k - 1
            if j >= floor, tokens[j].kind == .comma { j -= 1 }
            guard j >= floor, isWord(j) else { return Attribution() }
            if has(j, .document) {
                // "released a statement which said": the statement's author speaks.
                return Attribution(subject: sentenceSubject(from: floor, limit: j))
            }
            return Attribution(subject: npEnding(at: j, floor: floor, allowPreposition: true))
        }
        let np = npEnding(at: k, floor: floor, allowPreposition: false)
        // "… of the University of Utah, Salt Lake City said": a place after a comma qualifies the
        // name before it; the sentence's subject speaks.
        if case .run(let r) = np, !r.isPersonLike, !r.isOrg, r.first - 1 > floor, tokens[r.first - 1].kind == .comma,
           isNameWord(r.first - 2), case .run(let s)? = sentenceSubject(from: floor, limit: r.first - 1), s.isPersonLike {
            return Attribution(subject: .run(s))
        }
        return Attribution(subject: np)
    }

    /// The noun phrase ending at token `e`, read backwards.
    mutating func npEnding(at e: Int, floor: Int, allowPreposition: Bool) -> SubjectRef? {
        var s = e
        var count = 0
        while s - 1 >= floor, isWord(s - 1), count < 9 {
            let f = lex(s - 1)
            if f.contains(.determiner) { s -= 1; break }
            if f.any((.preposition | .clauseWord | .cue | .cueGerund | .relative | .personPronoun | .groupPronoun)) { break }
            s -= 1
            count += 1
        }
        // "Bill Gerstenmaier of NASA spoke": the person before "of" is the subject.
        if s - 2 >= floor, isWordEqual(s - 1, "of"), isNameWord(s - 2) {
            var f = s - 2
            while f - 1 >= floor, isNameWord(f - 1) { f -= 1 }
            let r = run(at: f, limit: s - 1)
            if r.last == s - 2, r.isPersonLike { return .run(r) }
        }
        let np = classifyNP(s, e + 1, preferLast: true)
        if !allowPreposition, s - 1 >= floor, has(s - 1, .preposition), !isWordEqual(s - 1, "of") {
            // "speaking to the Atlantic Council think tank called …": an object, not the subject.
            if case .run(let r) = np, r.isPersonLike { return np }
            return nil
        }
        return np
    }

    static func isSegmentBreak(_ k: Token.Kind) -> Bool {
        switch k {
        case .comma, .quote, .colon, .period, .semicolon: true
        default: false
        }
    }

    /// Reads segments between commas backwards from `comma`: `Name, a spokesman, said`.
    mutating func appositionSubject(_ comma: Int, floor: Int) -> Attribution {
        var end = comma
        var role: Range<Int>?
        var org: SubjectRef?
        var desc: SubjectRef?
        for _ in 0..<6 {
            var start = end
            while start - 1 >= floor, !Self.isSegmentBreak(tokens[start - 1].kind)
                || (tokens[start - 1].kind == .period && start - 1 == end - 1 && start - 2 >= floor && isWord(start - 2)) {
                // "Castell, D-Ore., said": the dot of an abbreviation before the comma stays in its segment.
                start -= 1
            }
            guard start < end else { break }
            if end - start == 2, tokens[end - 1].kind == .period {
                // A party and state tag ("D-Ore."): an aside.
                guard start - 1 >= floor, tokens[start - 1].kind == .comma else { break }
                end = start - 1
                continue
            }
            if has(start, .determiner) {
                var k = start
                var foundOrg = false
                while k < end {
                    if isNameWord(k) {
                        let r = run(at: k, limit: end)
                        if r.isOrg { if org == nil { org = .run(r) }; foundOrg = true }
                        k = r.last + 1
                    } else {
                        k += 1
                    }
                }
                if !foundOrg {
                    if role == nil, start + 1 < end { role = tokens[start + 1].start..<tokens[end - 1].end }
                    if desc == nil { desc = .description(start, end) }
                }
            } else if has(start, .relative) || (has(start, .preposition) && !isNameWord(start)) || isAsideStart(start) {
                // "which includes …", "in a statement", "wearing a hat", "30": not the speaker.
            } else if !tokens[start].isCapitalized, tokens[start].kind == .word, start - 1 >= floor, tokens[start - 1].kind == .comma,
                      hasLowerRoleWord(start, end) {
                // "Name, chief economist at the bank, said": a role without an article.
                if role == nil { role = tokens[start].start..<tokens[end - 1].end }
            } else {
                var e2 = end
                while e2 > start, has(e2 - 1, .skippable) { e2 -= 1 }
                if e2 - start == 1, has(start, (.personPronoun | .groupPronoun)) {
                    return Attribution(subject: .pronoun(start), appositionRole: role)
                }
                var k = start
                while k < e2, isAdverb(k) { k += 1 }
                var firstRun = true
                while k < e2 {
                    if isNameWord(k) {
                        let r = run(at: k, limit: e2)
                        if firstRun, r.isPersonLike || (r.hasName && !r.isOrg && r.last == e2 - 1) {
                            return Attribution(subject: .run(r), appositionRole: role)
                        }
                        if r.isOrg, org == nil { org = .run(r) }
                        firstRun = false
                        k = r.last + 1
                    } else {
                        if !has(k, .determiner) { firstRun = false }
                        k += 1
                    }
                }
                if org == nil, desc == nil, e2 > start { desc = .description(start, e2) }
            }
            guard start - 1 >= floor, tokens[start - 1].kind == .comma else { break }
            end = start - 1
        }
        return Attribution(subject: org ?? desc, appositionRole: role)
    }

    /// A segment that is an aside, never a speaker: a gerund clause ("wearing a hat") or a number ("30").
    func isAsideStart(_ k: Int) -> Bool {
        guard k >= 0, k < tokens.count else { return false }
        let t = tokens[k]
        if t.kind == .word, t.flags.contains(.digit) { return true }
        guard t.kind == .word, !t.isCapitalized, t.end - t.start > 4 else { return false }
        return b[t.end - 3] == .letterI && b[t.end - 2] == .letterN && b[t.end - 1] == .letterG
    }

    /// A title or agent noun among the lower-case words of `s..<e` ("chief market strategist at IG").
    mutating func hasLowerRoleWord(_ s: Int, _ e: Int) -> Bool {
        var k = s
        while k < e, k < s + 8 {
            if isWord(k), !tokens[k].isCapitalized, has(k, .title) || isRoleNoun(k) { return true }
            if has(k, .preposition) { return false }
            k += 1
        }
        return false
    }

    /// Reads a noun phrase: a name run, a pronoun, or a description.
    mutating func classifyNP(_ s: Int, _ e: Int, preferLast: Bool) -> SubjectRef? {
        guard s < e else { return nil }
        if e - s == 1, has(s, (.personPronoun | .groupPronoun)) { return .pronoun(s) }
        var runs: [NameRun] = []
        var k = s
        while k < e {
            if isNameWord(k) {
                let r = run(at: k, limit: e)
                runs.append(r)
                k = r.last + 1
            } else {
                k += 1
            }
        }
        if preferLast {
            var last = e - 1
            while last > s, has(last, .nameSuffix) { last -= 1 }
            if let r = runs.last, r.last >= last, r.hasName || r.isOrg { return .run(r) }
            return .description(s, e)
        }
        if let r = runs.first(where: { $0.isPersonLike && !$0.possessive && !isModifier($0) }) { return .run(r) }
        if let r = runs.first(where: { $0.isOrg }) { return .run(r) }
        if let r = runs.first(where: { $0.hasName && !$0.possessive && !isModifier($0) }) { return .run(r) }
        if let r = runs.first(where: { $0.hasName }) { return .run(r) }
        if has(s, (.personPronoun | .groupPronoun)) { return .pronoun(s) }
        var d = s
        while d < e, tokens[d].kind == .word { d += 1 }
        return d > s ? .description(s, d) : nil
    }

    mutating func isModifier(_ r: NameRun) -> Bool {
        if r.possessive { return true }
        let k = r.last + 1
        guard k < tokens.count, tokens[k].kind == .word, !tokens[k].isCapitalized else { return false }
        return has(k, (.title | .orgWord))
    }

    /// The first subject of a sentence: skips an opening phrase (`In a statement,`), modifiers and places.
    mutating func sentenceSubject(from start: Int, limit: Int) -> SubjectRef? {
        var k = start
        for _ in 0..<3 {
            guard k < limit, isWord(k), has(k, (.preposition | .clauseWord)) || (tokens[k].isCapitalized && has(k, .stop) && !has(k, (.determiner | .personPronoun | .groupPronoun))) else { break }
            var j = k
            while j < limit, tokens[j].kind != .comma { j += 1 }
            guard j < limit else { break }
            k = j + 1
        }
        while k < limit {
            guard tokens[k].kind == .word else { k += 1; continue }
            if has(k, (.personPronoun | .groupPronoun)) { return .pronoun(k) }
            if isNameWord(k) {
                let r = run(at: k, limit: limit)
                let afterPreposition = k > start && has(k - 1, .preposition) && !isWordEqual(k - 1, "of")
                if !isModifier(r), !afterPreposition, r.hasName || r.isOrg { return .run(r) }
                k = r.last + 1
                continue
            }
            if has(k, .determiner) {
                if k + 1 < limit, isNameWord(k + 1) {
                    let r = run(at: k + 1, limit: limit)
                    if r.isOrg || r.isPersonLike { return .run(r) }
                }
                var e = k + 1
                while e < limit, isWord(e), !isCue(e) {
                    if isWordEqual(e, "of"), e + 1 < limit, isNameWord(e + 1) { e += 2; continue }
                    if has(e, (.skippable | .preposition | .clauseWord | .relative)) { break }
                    e += 1
                }
                if e > k + 1, e - k <= 5 { return classifyNP(k, e, preferLast: true) }
            }
            if isCue(k) { return nil }
            k += 1
        }
        return nil
    }
}
