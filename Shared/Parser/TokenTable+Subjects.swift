/// Who a quotation's attribution points at, before it is resolved against the article.
enum SubjectRef: Equatable {
    case run(NameRun)
    /// Token index of he/she/it/they.
    case pronoun(Int)
    /// Token range of a described speaker ("the Ukrainian leader").
    case description(Int, Int)
}

/// Reading the subject of a speech verb: the noun phrase before it (through appositions, asides and
/// relative clauses), the noun phrase after it, or the sentence's first subject.
extension TokenTable {
    /// The nearest speech cue before `q` in its clause (skipping parentheses and dash asides).
    func cueBefore(_ q: Int, floor floor0: Int) -> Int? {
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
                if isAccordingTo(k) { return k }
                if isCue(k) {
                    if isWordEqual(k - 1, "as") { k -= 2; continue }
                    return k
                }
            }
            k -= 1
        }
        return nil
    }

    /// Adverbs and auxiliaries between a subject and its verb: also, has, reportedly, on Tuesday.
    func skipBack(_ k0: Int, floor: Int) -> Int {
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

    /// The subject standing before cue `c`.
    func subjectBefore(_ c: Int, floor: Int, depth: Int = 0) -> Attribution {
        var k = skipBack(c - 1, floor: floor)
        if k >= floor, tokens[k].kind == .closeParen, let open = openingParen(before: k, floor: floor) {
            // "Harry Reid (D-Nev.) said": a parenthesis between the subject and its verb.
            k = skipBack(open - 1, floor: floor)
        }
        guard k >= floor else { return Attribution() }
        if depth == 0, isWordEqual(c - 1, "to"), isWord(k), k < c - 1, !tokens[k].isCapitalized,
           !has(k, .determiner | .preposition | .personPronoun | .groupPronoun | .relative | .clauseWord) {
            // "O'Malley interjected to say": an infinitive's subject is that of the verb governing it.
            return subjectBefore(k, floor: floor, depth: 1)
        }
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

    /// The subject of speech verb `c`: the noun phrase before it or, when the verb follows a quotation
    /// or a comma (`"…," said Khan`), the one after it, up to `limit`.
    func speechVerbSubject(_ c: Int, floor: Int, limit: Int) -> SubjectRef? {
        if let s = subjectBefore(c, floor: floor).subject { return s }
        guard c > floor, tokens[c - 1].kind == .quote || tokens[c - 1].kind == .comma else { return nil }
        let e = phraseEnd(from: c + 1, limit: limit)
        return e > c + 1 ? invertedSubject(c + 1, e) : nil
    }

    /// The noun phrase ending at token `e`, read backwards.
    func npEnding(at e: Int, floor: Int, allowPreposition: Bool) -> SubjectRef? {
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
    func appositionSubject(_ comma: Int, floor: Int) -> Attribution {
        var end = comma
        var role: Range<Int>?
        var org: SubjectRef?
        var desc: SubjectRef?
        for _ in 0..<6 {
            if end - 1 >= floor, tokens[end - 1].kind == .closeParen, let open = openingParen(before: end - 1, floor: floor) {
                // "Durbin (D-Ill.), noting …, said": the parenthesis is an aside of the segment before it.
                end = open
            }
            var start = end
            while start - 1 >= floor, !Self.isSegmentBreak(tokens[start - 1].kind)
                || (tokens[start - 1].kind == .period && start - 1 == end - 1 && start - 2 >= floor && isWord(start - 2)) {
                // "Castell, D-Ore., said": the dot of an abbreviation before the comma stays in its segment.
                start -= 1
            }
            guard start < end else { break }
            if end - start >= 2, isCue(end - 1), has(end - 1, .cue),
               !(start..<(end - 1)).contains(where: { has($0, .relative | .clauseWord | .preposition) }) {
                // "…," Sanders said, going on to say: the segment is a reporting clause; its subject speaks.
                let a = subjectBefore(end - 1, floor: start, depth: 1)
                if a.subject != nil { return a }
            }
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

    /// A title or agent noun among the lower-case words of `s..<e` ("chief market strategist at IG").
    func hasLowerRoleWord(_ s: Int, _ e: Int) -> Bool {
        var k = s
        while k < e, k < s + 8 {
            if isWord(k), !tokens[k].isCapitalized, has(k, .title) || isRoleNoun(k) { return true }
            if has(k, .preposition) { return false }
            k += 1
        }
        return false
    }

    /// The subject after an inverted speech verb, in `s..<e` (`said Harvey, who …`, `said one source
    /// who …`): the noun phrase up to the first comma or relative pronoun, since what follows is an
    /// apposition or a relative clause about it, whose names are not the speaker. When that phrase
    /// names no person (`said the mayor, Jane Doe`, `said Leeds University's dean, Jane Doe`), a
    /// person's name standing alone in a following comma-separated segment is the speaker.
    func invertedSubject(_ s: Int, _ e: Int) -> SubjectRef? {
        var cut = s
        while cut < e, tokens[cut].kind != .comma, cut == s || !has(cut, .relative) { cut += 1 }
        guard cut < e, cut > s else { return classifyNP(s, e, preferLast: false) }
        let head = classifyNP(s, cut, preferLast: false)
        if case .run(let r) = head, r.isPersonLike || (r.hasName && !r.isOrg) { return head }
        var segment = cut
        while segment < e, tokens[segment].kind == .comma, segment + 1 < e, isNameWord(segment + 1) {
            let r = run(at: segment + 1, limit: e)
            let next = r.last + 1
            if r.isPersonLike, !r.possessive, next == e || tokens[next].kind == .comma { return .run(r) }
            guard let comma = nextComma(after: segment, limit: e), !has(segment + 1, .relative) else { break }
            segment = comma
        }
        return head ?? classifyNP(s, e, preferLast: false)
    }

    /// Reads a noun phrase: a name run, a pronoun, or a description.
    func classifyNP(_ s0: Int, _ e: Int, preferLast: Bool) -> SubjectRef? {
        var s = s0
        while s < e, tokens[s].kind == .dash { s += 1 }
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

    func isModifier(_ r: NameRun) -> Bool {
        if r.possessive { return true }
        let k = r.last + 1
        guard k < tokens.count, tokens[k].kind == .word, !tokens[k].isCapitalized else { return false }
        return has(k, (.title | .orgWord))
    }

    /// The first subject of a sentence: skips an opening phrase (`In a statement,`), modifiers and places.
    func sentenceSubject(from start: Int, limit: Int) -> SubjectRef? {
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

extension TokenTable {
    /// The words a subject stands for: a person's name part, an organisation's whole run, the pronoun,
    /// or the description.
    func text(of subject: SubjectRef) -> String {
        let range: Range<Int>
        switch subject {
        case .run(let r): range = r.isOrg ? runRange(r) : nameRange(r) ?? runRange(r)
        case .pronoun(let k): range = tokens[k].start..<tokens[k].end
        case .description(let s, let e): range = tokens[s].start..<tokens[e - 1].end
        }
        return ByteText.string(b, range.lowerBound, range.upperBound)
    }
}
