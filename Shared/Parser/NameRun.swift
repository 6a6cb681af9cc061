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
    /// The name part is a place: a country, a state, a city ("United States", "Ohio").
    var isPlace = false
    /// The run names no one in particular: a party or a people ("Republicans", "Democrats"), or an
    /// organisation's head word alone ("Police", "Commission"). A description, not a name.
    var isGeneric = false

    var hasName: Bool { nameFirst <= nameLast }
    var nameTokenCount: Int { nameLast - nameFirst + 1 }
}

/// Reading capitalised runs as names: titles, organisation words, the name part.
extension TokenTable {
    /// A capitalised word that may belong to a name. Not a closed-class word (The, But, Whereas, He),
    /// a month or weekday, nor a common word whose capital says nothing because it opens a sentence or
    /// stands in a headline-case line ("Afterwards", "Corners"), unless the article writes it as a
    /// name elsewhere; a given name always may.
    func isNameWord(_ i: Int) -> Bool {
        guard i >= 0, i < tokens.count, tokens[i].isCapitalized else { return false }
        // "US-led", "pro-Kremlin": a hyphen before a lower-case letter is not a name.
        let t = tokens[i]
        if t.flags.contains(.hyphenLower) { return false }
        let f = lex(i)
        let acronym = t.flags.contains(.allCaps) && t.end - t.start > 2 && !headlineCase
        if f.any(Self.closedClass) {
            // "New York", "North Korea", "Los Angeles": a place's first word before another capital.
            if f.contains(.placePrefix), isWord(i + 1), tokens[i + 1].isCapitalized, !lex(i + 1).any(Self.closedClass) {
                return true
            }
            // "Theresa May": a month that follows a given name.
            if f.contains(.calendar), !f.any(.stop), i > 0, has(i - 1, .givenName), isWord(i - 1) { return true }
            return false
        }
        // "Said Ellis: …", "Says Jones,": a speech verb opening a sentence, before its subject.
        if f.contains(.cue), opensSentence(i), !f.contains(.givenName) { return false }
        guard f.any(.commonWord), !f.contains(.givenName), headlineCase || acronym || opensSentence(i),
              !t.flags.contains(.writtenAsName) else { return true }
        // "Zero Hedge", "Small Business Administration", "Billionaire Mark Cuban": a common word opening
        // a sentence before another capital may begin a name (`nameStart` drops it before a given name);
        // an adverb does not ("Afterwards Trump").
        return !headlineCase && !acronym && isWord(i + 1) && tokens[i + 1].isCapitalized
            && !lex(i + 1).any(Self.closedClass) && f.any([.noun, .adjective])
    }

    /// Capitalised words whose open classes `isNameWord` never asks: the closed classes and given names.
    static let decidedWithoutOpenClasses: Lexicon.Flags = closedClass | .givenName

    /// Words that never belong to a name, however written.
    static let closedClass: Lexicon.Flags = [
        .stop, .calendar, .personPronoun, .groupPronoun, .conjunction, .auxiliary, .pronoun,
    ]

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
            // "Securities and Exchange Commission": "and" inside an organisation's name, which ends in an
            // organisation word within three words and had none before.
            if j + 2 < limit, isWordEqual(j + 1, "and") || (tokens[j + 1].kind == .other && b[tokens[j + 1].start] == 0x26),
               !(i...j).contains(where: { has($0, .orgWord) }) {
                var k = j + 2
                while k < limit, k < j + 5, isNameWord(k), !has(k, .orgWord) { k += 1 }
                if k < limit, k < j + 5, k > j + 2 || isNameWord(k), isNameWord(k), has(k, .orgWord) {
                    j = k
                    continue
                }
            }
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

    /// Reads run `first...last`: titles, organisation words, the name part and what kind of name it is.
    func analyze(_ first: Int, _ last0: Int) -> NameRun {
        var last = last0
        while last > first, has(last, .nameSuffix) { last -= 1 }
        var lastTitle: Int?
        var firstTitle: Int?
        var lastOrg: Int?
        var allCapsCount = 0
        var placeHead = false
        // "Charlie King", "Angus King": a title word after a given name is a surname.
        let surnameTitle = last > first && has(last, .title) && has(last - 1, .givenName) && !has(last - 1, .title)
        for k in first...last {
            let f = lex(k)
            if f.contains(.placeWord) { placeHead = true }
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
        if let o = lastOrg, o > lastTitle ?? -1 {
            run.isOrg = true
            // "Police", "the Commission": organisation words alone name no organisation in particular.
            run.isGeneric = (first...last).allSatisfy { has($0, .orgWord) }
            return run
        }
        var nf = first
        if let t = lastTitle {
            nf = t + 1
            // "Secretary of State Mike Pompeo": the title's complement is part of the title.
            if nf <= last, isWordEqual(nf, "of") { nf += 2 }
            run.titleFirst = firstTitle
            run.titleLast = t
            if nf > last {
                run.nameFirst = nf
                return run
            }
        }
        nf = nameStart(from: nf, last: last)
        run.nameFirst = nf
        if lastTitle != nil {
            run.isPersonLike = true
            return run
        }
        if placeLength(at: nf, limit: last + 1) == last - nf + 1 {
            run.isPlace = true
            return run
        }
        if (nf...last).allSatisfy({ has($0, .affiliation) }) {
            // "Republicans", "Democratic": a party or a people, not a person.
            run.isGeneric = true
            return run
        }
        let count = last - nf + 1
        if count >= 2, has(nf, .givenName) {
            run.isPersonLike = true
        } else if count >= 2, allCapsCount == 0, !has(nf, .placePrefix), !placeHead {
            run.isPersonLike = !(nf...last).contains { isWordEqual($0, "of") }
        }
        return run
    }

    /// Where a person's name starts among run words `s...last`: after the words before it that describe
    /// the person. A given name after descriptive words (a party or people, a place, a title, a common
    /// word: "Rival Hillary Clinton", "United States Joe Biden", "State Mike Pompeo") starts the name;
    /// without one, parties, peoples and places come off the front while two words or more remain
    /// ("Vermont Democrat Tim Kaine").
    func nameStart(from s: Int, last: Int) -> Int {
        guard last > s else { return s }
        var k = s
        while k < last, !has(k, .givenName), has(k, Self.descriptive) { k += 1 }
        if k > s, k < last, has(k, .givenName) { return k }
        var nf = s
        while last - nf >= 2 {
            if has(nf, .affiliation) {
                nf += 1
                continue
            }
            let place = placeLength(at: nf, limit: last + 1)
            guard place > 0, last - (nf + place) >= 1 else { break }
            nf += place
        }
        return nf
    }

    /// Words that may describe a person before the name: parties and peoples, places, titles and roles,
    /// common words.
    static let descriptive: Lexicon.Flags = [.affiliation, .place, .placePart, .title, .orgWord, .noun, .adjective, .adverb, .verb]

    /// How many tokens from `k` (before `limit`) make a place ("Ohio", "New York", "Papua New Guinea"); 0 for none.
    func placeLength(at k: Int, limit: Int) -> Int {
        guard k < limit, isWord(k) else { return 0 }
        if has(k, .placePart) {
            var keys: [(UInt64, UInt64)] = []
            var longest = 0
            var j = k
            while j < limit, j < k + Lexicon.maxPlaceWords, isWord(j), has(j, .placePart) {
                let t = tokens[j]
                guard t.coreEnd - t.start <= Lexicon.maxWordLength else { break }
                keys.append(Lexicon.key(b, t.start, t.coreEnd))
                if keys.count >= 2, Lexicon.shared.isPlacePhrase(keys) { longest = keys.count }
                j += 1
            }
            if longest > 0 { return longest }
        }
        return has(k, .place) ? 1 : 0
    }

    /// Does token `k` open its sentence (or paragraph)?
    func opensSentence(_ k: Int) -> Bool { Self.opensSentence(tokens, k) }

    static func opensSentence(_ tokens: [Token], _ k: Int) -> Bool {
        k == 0 || tokens[k - 1].kind == .period || tokens[k - 1].kind == .colon
            || (tokens[k - 1].kind == .quote && tokens[k - 1].flags.contains(.endsSentence))
    }

    /// The name part of a run as a byte range (possessive suffix excluded).
    func nameRange(_ r: NameRun) -> Range<Int>? {
        guard r.hasName else { return nil }
        return tokens[r.nameFirst].start..<tokens[r.nameLast].coreEnd
    }

    /// Where the name of one word at token `k` starts: at a capitalised "The" before it inside a
    /// sentence when the word alone is a common word ("The Hill reported", "told The Atlantic"), since
    /// the article is then part of the name; else at the word.
    func nameStart(withArticleBefore k: Int) -> Int {
        guard k >= 1, isWordEqual(k - 1, "the"), tokens[k - 1].isCapitalized, !opensSentence(k - 1),
              has(k, Lexicon.Flags.commonWord) else { return tokens[k].start }
        return tokens[k - 1].start
    }

    /// An organisation's name: the run without a leading article, unless the article is part of the
    /// name (`nameStart(withArticleBefore:)`).
    func orgNameRange(_ run: NameRun) -> Range<Int> {
        var f = run.first
        while f < run.last, has(f, .determiner) { f += 1 }
        let start = f == run.last ? nameStart(withArticleBefore: f) : tokens[f].start
        return start..<tokens[run.last].coreEnd
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
