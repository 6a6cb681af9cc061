/// One attribution rule: its name (what `Quotation.attribution` says), the words it reads, and a
/// function from a quotation's site to the attribution it finds there, or nil.
///
/// The rules are values in one registry, three ordered lists: the clause rules that read the words
/// after the quotation (`after`) and before it (`before`), tried words-after first when the quotation
/// opens its clause (`"…," Rutte said`) and words-before first otherwise (`Rutte said: "…"`); then,
/// for a direct quotation its clause does not attribute, the context rules, which carry a speaker
/// over from the text around it. The first rule that finds an attribution wins. Which speech verb
/// governs the quotation is settled once, in `QuoteSite`, so a rule reads only the cue of its own
/// kind and no rule guards against another. Add a rule by adding a value here, a function beside the
/// others and a sentence in `AttributionRuleTests`.
struct AttributionRule: Sendable, Hashable, CustomStringConvertible {
    enum Reads: Sendable { case after, before, context }

    let name: String
    let reads: Reads
    let find: @Sendable (QuoteSite, RuleContext) -> Attribution?

    var description: String { name }
    static func == (a: AttributionRule, b: AttributionRule) -> Bool { a.name == b.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }

    // After the quotation, in its closing paragraph.
    /// `"…," said Rutte`, `"…," added the spokeswoman`: the verb first, then its subject.
    static let verbFirstAfter = AttributionRule(name: "verbFirstAfter", reads: .after) { site, _ in AfterRules.verbFirst(site) }
    /// `"…," according to the report`.
    static let accordingToAfter = AttributionRule(name: "accordingToAfter", reads: .after) { site, _ in
        AfterRules.accordingTo(site)
    }
    /// `"…," Rutte said`, `"…," he added`, `"…," Chris Weston, chief strategist at IG, said in an e-mail`.
    static let cueAfter = AttributionRule(name: "cueAfter", reads: .after) { site, _ in AfterRules.cue(site) }
    /// `"…" — Jane Doe, Leeds.` ending the paragraph: a signature after a dash.
    static let signatureAfter = AttributionRule(name: "signatureAfter", reads: .after) { site, _ in
        AfterRules.signature(site.closing, from: site.closingToken + 1).map { Attribution(subject: .run($0)) }
    }

    // Before the quotation, in its opening paragraph.
    /// `According to Rutte, "…"`.
    static let accordingToBefore = AttributionRule(name: "accordingToBefore", reads: .before) { site, _ in
        BeforeRules.accordingTo(site)
    }
    /// `…, saying "…"`: the subject of the clause the gerund hangs on.
    static let gerundBefore = AttributionRule(name: "gerundBefore", reads: .before) { site, _ in BeforeRules.gerund(site) }
    /// `he was told by the minister: "…"`, `the plan was described as "…" by the police`.
    static let passiveBefore = AttributionRule(name: "passiveBefore", reads: .before) { site, _ in BeforeRules.passive(site) }
    /// `Rutte said: "…"`, `Rutte, the NATO chief, told reporters "…"`, `"…," said Khan, "…"`.
    static let cueBefore = AttributionRule(name: "cueBefore", reads: .before) { site, _ in BeforeRules.cue(site) }
    /// `MR. O'NEILL: …`, `Rutte: "…"`: a speaker's label opening a transcript line.
    static let transcriptLabel = AttributionRule(name: "transcriptLabel", reads: .before) { site, _ in
        BeforeRules.transcriptLabel(site)
    }
    /// `Rutte did not hesitate: "…"`: the subject of a sentence that ends in a colon.
    static let colonLeadIn = AttributionRule(name: "colonLeadIn", reads: .before) { site, _ in BeforeRules.colonLeadIn(site) }
    /// `Rutte's answer was: "…"`, `As the minister put it, "…"`: the owner of the words, or the subject
    /// of an `as`-clause.
    static let possessorLeadIn = AttributionRule(name: "possessorLeadIn", reads: .before) { site, _ in
        BeforeRules.possessorLeadIn(site)
    }

    // Context, for a direct quotation with no attribution in its clause.
    /// The second half of a split quotation (`"…," he said. "…"`) goes on with the first half's speaker.
    static let splitQuotation = AttributionRule(name: "splitQuotation", reads: .context) { site, context in
        ContextRules.splitQuotation(site, context)
    }
    /// A quotation ending its paragraph, signed in the next one: `— Jane Doe, Leeds.`
    static let signatureParagraph = AttributionRule(name: "signatureParagraph", reads: .context) { site, context in
        ContextRules.signatureParagraph(site, context)
    }
    /// A paragraph that opens with a quotation goes on with the previous paragraph's last speaker.
    static let quotationParagraph = AttributionRule(name: "quotationParagraph", reads: .context) { site, context in
        ContextRules.quotationParagraph(site, context)
    }
    /// `Rutte said:` ending the paragraph before.
    static let colonParagraph = AttributionRule(name: "colonParagraph", reads: .context) { site, context in
        ContextRules.colonParagraph(site, context)
    }
    /// `Carter said that the region matters.` ending the paragraph before: its reporter goes on speaking.
    static let reportedSpeechLead = AttributionRule(name: "reportedSpeechLead", reads: .context) { site, context in
        ContextRules.reportedSpeechLead(site, context)
    }

    /// The clause rules on the words after the quotation, in order.
    static let after: [AttributionRule] = [.verbFirstAfter, .accordingToAfter, .cueAfter, .signatureAfter]
    /// The clause rules on the words before the quotation, in order.
    static let before: [AttributionRule] = [
        .accordingToBefore, .gerundBefore, .passiveBefore, .cueBefore, .transcriptLabel, .colonLeadIn, .possessorLeadIn,
    ]
    /// The context rules, in order.
    static let context: [AttributionRule] = [
        .splitQuotation, .signatureParagraph, .quotationParagraph, .colonParagraph, .reportedSpeechLead,
    ]
    /// Every rule.
    static let all: [AttributionRule] = after + before + context
}

/// An attribution found around a quotation: token indices into the table of the paragraph its rule
/// reads (`unit`, or by default the quotation's opening paragraph for a rule reading the words before
/// it and its closing paragraph otherwise), or a speaker carried over from another quotation.
struct Attribution {
    var subject: SubjectRef?
    /// Token range of the cue ("said", "according to").
    var cue: Range<Int>?
    /// A role from an apposition ("Mike Pence, the Vice President,").
    var appositionRole: Range<Int>?
    /// The paragraph whose table `subject` and `cue` index, when not the rule's default.
    var unit: Int?
    /// A speaker carried over whole from a quotation before (split quotations, quotation paragraphs).
    var carried: ResolvedSpeaker?
    /// The rule holds only if the subject resolves to a speaker; its cue is not reported.
    var needsSpeaker = false
}

/// The speech verb before a quotation in its clause, settled once and by kind.
enum CueBefore: Equatable {
    /// `according to` at this token.
    case accordingTo(Int)
    /// A gerund: `saying`.
    case gerund(Int)
    /// A passive: `was told`, `described by`.
    case passive(Int)
    /// An active finite verb: `said`, `told`.
    case active(Int)
}

/// The speech verb after a quotation in its clause, settled once.
enum CueAfter: Equatable {
    /// The verb opens the words after the quotation and its subject follows it: `"…," said Rutte`.
    case verbFirst(Int)
    /// The verb follows its subject: `"…," Rutte said`.
    case subjectFirst(Int)
}

/// One quotation as the rules see it: the quote token opening it in its first paragraph's table and the
/// one closing it in its last (the same table for a one-paragraph quotation), and its speech verbs.
struct QuoteSite {
    let opening: TokenTable
    let openingToken: Int
    let closing: TokenTable
    let closingToken: Int
    /// The paragraphs (units) of the opening and closing tables.
    let openingUnit: Int
    let closingUnit: Int

    /// Start of the opening token's clause.
    let clauseFloor: Int
    /// First token after the quotation and the commas that follow it.
    let afterStart: Int
    /// The speech verb before the quotation in its clause, if any.
    let before: CueBefore?
    /// The speech verb after the quotation in its clause, if any.
    let after: CueAfter?

    init(opening: TokenTable, openingToken: Int, openingUnit: Int, closing: TokenTable, closingToken: Int, closingUnit: Int) {
        self.opening = opening
        self.openingToken = openingToken
        self.openingUnit = openingUnit
        self.closing = closing
        self.closingToken = closingToken
        self.closingUnit = closingUnit
        clauseFloor = opening.clauseStart(openingToken)
        var k = closingToken + 1
        while k < closing.count, closing.tokens[k].kind == .comma { k += 1 }
        afterStart = k
        if let c = opening.cueBefore(openingToken, floor: clauseFloor) {
            if opening.isAccordingTo(c) {
                before = .accordingTo(c)
            } else if opening.has(c, .cueGerund) {
                before = .gerund(c)
            } else if BeforeRules.isPassive(opening, c) {
                before = .passive(c)
            } else {
                before = .active(c)
            }
        } else {
            before = nil
        }
        let endedSentence = closing.tokens[closingToken].flags.contains(.endsSentence)
        if AfterRules.opensVerbFirst(closing, k, endedSentence: endedSentence) {
            after = .verbFirst(k)
        } else if let c = AfterRules.cueIndex(closing, from: k) {
            after = .subjectFirst(c)
        } else {
            after = nil
        }
    }

    /// Does the quotation open its clause (nothing but a colon-ended lead-in before it)?
    var atClauseStart: Bool {
        clauseFloor == openingToken || (openingToken > 0 && opening.tokens[openingToken - 1].kind == .colon)
    }

    /// Has the quotation ended its sentence (`.` `?` `!` inside the marks)?
    var endedSentence: Bool { closing.tokens[closingToken].flags.contains(.endsSentence) }

    /// The clause rules in the order this quotation tries them.
    var clauseRules: [AttributionRule] {
        atClauseStart ? AttributionRule.after + AttributionRule.before : AttributionRule.before + AttributionRule.after
    }

    /// The paragraph a rule's attribution indexes unless it names another.
    func unit(of rule: AttributionRule) -> Int { rule.reads == .before ? openingUnit : closingUnit }
}

/// What the context rules read beyond the quotation's own clause: the article's paragraphs and the
/// quotations attributed before this one.
struct RuleContext {
    let tables: [TokenTable]
    /// Units from this index on are not body paragraphs (headline, caption).
    let bodyCount: Int
    let span: QuoteSpan
    let found: [FoundQuotation]

    var inBody: Bool { span.paragraph < bodyCount }
}

/// The rules that read the words after a quotation.
enum AfterRules {
    /// Is the word at `k`, right after a quotation, a speech verb that opens an inverted attribution?
    static func opensVerbFirst(_ t: TokenTable, _ k: Int, endedSentence: Bool) -> Bool {
        guard t.isWord(k), t.has(k, .cue) else { return false }
        return !t.tokens[k].isCapitalized || (!endedSentence && !t.isCue(k + 1))
    }

    static func verbFirst(_ site: QuoteSite) -> Attribution? {
        guard case .verbFirst(let k) = site.after else { return nil }
        let t = site.closing
        let e = t.phraseEnd(from: k + 1, limit: t.count)
        guard e > k + 1, !t.has(k + 1, .preposition) else { return nil }
        return Attribution(subject: t.invertedSubject(k + 1, e), cue: t.cueRange(k))
    }

    /// "according to X" right after the quotation, or later in its clause before any speech verb.
    static func accordingTo(_ site: QuoteSite) -> Attribution? {
        let t = site.closing
        let k = site.afterStart
        var a = k
        while a + 1 < t.count, a < k + 24 {
            let kind = t.tokens[a].kind
            if kind == .period || kind == .quote || kind == .semicolon { return nil }
            if t.isAccordingTo(a) {
                let e = t.phraseEnd(from: a + 2, limit: t.count)
                return Attribution(subject: e > a + 2 ? t.classifyNP(a + 2, e, preferLast: false) : nil,
                                   cue: a..<(a + 2))
            }
            if a > k, t.isCue(a), t.has(a, .cue) { return nil }
            a += 1
        }
        return nil
    }

    /// The speech verb after a quotation in its clause, from token `k` on, past appositions, asides and
    /// parentheses.
    static func cueIndex(_ t: TokenTable, from k: Int) -> Int? {
        let n = t.count
        var c = k
        var window = k + 12
        while c < n, c < window {
            let tok = t.tokens[c]
            if tok.kind == .openParen, let close = t.closingParen(after: c, limit: min(n, c + 12)) {
                // "Harry Reid (D-Nev.) said": a parenthesis between name and verb.
                window += close - c
                c = close + 1
                continue
            }
            if tok.kind == .period, c + 1 < n, t.tokens[c + 1].kind == .comma, c > k {
                // "McConnell, R-Ky., said": an abbreviation's dot, not a sentence end.
                c += 1
                continue
            }
            if tok.kind == .period || tok.kind == .semicolon || tok.kind == .quote || tok.kind == .colon { return nil }
            if tok.kind == .word, c > k, t.tokens[c - 1].kind == .comma {
                let isApposition = (!tok.isCapitalized || t.has(c, .determiner)) && !t.isCue(c)
                let isAside = t.has(c, .relative) || t.isAsideStart(c)
                if isApposition || isAside, let next = t.nextComma(after: c, limit: min(n, c + 24)),
                   isAside || !t.hasCue(c, next) {
                    // "Name, chief economist at the bank, said": an apposition, however long;
                    // "Name, who works at the plant, said", "Name, wearing a hat, said": an aside.
                    window += next - c
                    c = next
                    continue
                }
                if t.has(c, .relative) {
                    // "Name, who chairs the fund said": a relative clause whose closing comma is missing;
                    // the speech verb after it (or in it) still has the name before it as its subject.
                    window = max(window, c + 16)
                    c += 1
                    continue
                }
            }
            if tok.kind == .word, t.has(c, .relative) || t.isWordEqual(c, "including") { return nil }
            if tok.kind == .word, t.isCue(c), t.has(c, .cue), !t.isWordEqual(c - 1, "to") || t.isWordEqual(c - 2, "on") {
                return c
            }
            c += 1
        }
        return nil
    }

    static func cue(_ site: QuoteSite) -> Attribution? {
        guard case .subjectFirst(let c) = site.after else { return nil }
        let t = site.closing
        let n = t.count
        let k = site.afterStart
        if site.endedSentence, t.tokens[k].isCapitalized {
            // A new sentence: after a full stop only a bare "Name said." (or "said on Tuesday", "said in a
            // statement") attributes the quotation before it; after "?" or "!" any "Name said …" does.
            let ce = t.cueRange(c).upperBound
            let after = ce < n ? t.tokens[ce].kind : .period
            // "Rosa Pell said it twice.", "Pell said so.": the object refers back to the quotation (not
            // "said it was time", a clause of its own).
            let saidIt = ce + 1 < n && (t.isWordEqual(ce, "it") || t.isWordEqual(ce, "so"))
                && (!t.isWord(ce + 1) || t.has(ce + 1, .preposition) || (ce + 2 < n && !t.isWord(ce + 2)))
            let bare = after == .period || after == .comma || saidIt
                || (ce < n && (t.has(ce, .preposition | .calendar) || t.isAdverb(ce)) && !t.isWordEqual(ce, "to"))
            if !(bare || t.tokens[site.closingToken].flags.contains(.endsQuestionOrExclamation)) { return nil }
            if c - k > 4, !bare { return nil }
        }
        var e = c
        while e > k, t.isWord(e - 1), t.has(e - 1, .skippable) || t.isAdverb(e - 1),
              !t.has(e - 1, .personPronoun | .groupPronoun) {
            e -= 1
        }
        if e > k, t.tokens[e - 1].kind == .closeParen {
            // Drop a parenthesis standing before the verb ("(D-Nev.)").
            var o = e - 1
            while o > k, t.tokens[o].kind != .openParen { o -= 1 }
            if t.tokens[o].kind == .openParen { e = o }
        }
        guard e > k else { return nil }
        var a: Attribution
        let lastComma = (k..<e).last { t.tokens[$0].kind == .comma } ?? -1
        if t.tokens[e - 1].kind == .comma {
            a = t.appositionSubject(e - 1, floor: k)
        } else if e - 1 == lastComma + 1 || e - k == 1, t.has(e - 1, .personPronoun | .groupPronoun) {
            a = Attribution(subject: .pronoun(e - 1))
        } else if lastComma > k, t.has(lastComma + 1, .relative) {
            a = t.appositionSubject(lastComma, floor: k)
        } else if lastComma >= k, lastComma + 1 < e, !t.has(lastComma + 1, .determiner) {
            a = Attribution(subject: t.classifyNP(lastComma + 1, e, preferLast: true))
        } else {
            a = Attribution(subject: t.classifyNP(k, e, preferLast: true))
        }
        a.cue = t.cueRange(c)
        return a
    }

    /// A signature from token `k` on: a dash, a name, then nothing but a comma-separated tail (a
    /// place, a role) to the end of the paragraph. `k` may hold a full stop closing the quotation.
    static func signature(_ t: TokenTable, from k0: Int) -> NameRun? {
        var k = k0
        if k < t.count, t.tokens[k].kind == .period { k += 1 }
        guard k < t.count, t.tokens[k].kind == .dash else { return nil }
        while k < t.count, t.tokens[k].kind == .dash { k += 1 }
        guard t.isNameWord(k) else { return nil }
        let r = t.run(at: k, limit: t.count)
        guard r.hasName || r.isOrg, !r.possessive else { return nil }
        let next = r.last + 1
        if next == t.count || (next == t.count - 1 && t.tokens[next].kind == .period) { return r }
        guard t.tokens[next].kind == .comma else { return nil }
        // The tail holds no quotation and no further sentence.
        for j in (next + 1)..<t.count {
            let kind = t.tokens[j].kind
            if kind == .quote || (kind == .period && j != t.count - 1) { return nil }
        }
        return r
    }

}

/// The rules that read the words before a quotation.
enum BeforeRules {
    static func accordingTo(_ site: QuoteSite) -> Attribution? {
        let t = site.opening
        guard case .accordingTo(let c) = site.before else { return nil }
        let e = t.phraseEnd(from: c + 2, limit: site.openingToken)
        return Attribution(subject: e > c + 2 ? t.classifyNP(c + 2, e, preferLast: false) : nil, cue: c..<(c + 2))
    }

    static func gerund(_ site: QuoteSite) -> Attribution? {
        let t = site.opening
        guard case .gerund(let c) = site.before else { return nil }
        let floor = site.clauseFloor
        let cue = t.cueRange(c)
        // "with Zinichev describing …": a name right before the gerund is its subject.
        if c > floor, t.isWord(c - 1), t.has(c - 1, .personPronoun | .groupPronoun) {
            return Attribution(subject: .pronoun(c - 1), cue: cue)
        }
        if c > floor, t.isNameWord(c - 1) {
            var f = c - 1
            while f - 1 >= floor, t.isNameWord(f - 1) { f -= 1 }
            let r = t.run(at: f, limit: c)
            // "on Facebook writing": the object of a preposition is not the gerund's subject, except
            // after "with" and "of" ("with Trump saying", "footage of Trump saying").
            let object = f - 1 >= floor && t.has(f - 1, .preposition)
                && !t.isWordEqual(f - 1, "with") && !t.isWordEqual(f - 1, "of")
            if r.last == c - 1, r.hasName || r.isOrg, !r.possessive, !object {
                return Attribution(subject: .run(r), cue: cue)
            }
        }
        // "…, Spicer said, adding "…"", ""…," said Sherman, speaking of politicians, "…"": a gerund right
        // after a reporting clause (its verb, an inverted subject or a short adverbial, then a comma) goes
        // on from that verb and shares its subject. A verb in a relative clause ("an architect who said
        // …, saying") or one that a whole complement clause separates from the comma is not it.
        if c - 1 > floor, t.tokens[c - 1].kind == .comma, let c2 = t.cueBefore(c - 1, floor: floor),
           c - 1 - c2 <= 7, !(c2 + 1..<c - 1).contains(where: { t.has($0, .clauseWord | .relative | .personPronoun) }),
           !t.isAccordingTo(c2), !t.has(c2, .cueGerund), !isPassive(t, c2), !t.has(t.skipBack(c2 - 1, floor: floor), .relative),
           let s = t.speechVerbSubject(c2, floor: floor, limit: c - 1) {
            return Attribution(subject: s, cue: cue)
        }
        return Attribution(subject: t.sentenceSubject(from: t.clauseStart(c, semicolon: false), limit: c), cue: cue)
    }

    /// Is the cue before the quotation passive: `described by`, `was told`?
    static func isPassive(_ t: TokenTable, _ c: Int) -> Bool {
        t.isWordEqual(c + 1, "by") || t.has(c - 1, .passiveAux)
    }

    static func passive(_ site: QuoteSite) -> Attribution? {
        let t = site.opening
        guard case .passive(let c) = site.before else { return nil }
        let cue = t.cueRange(c)
        if t.isWordEqual(c + 1, "by") {
            // "was described by the police as "…"".
            let e = t.phraseEnd(from: c + 2, limit: site.openingToken)
            return Attribution(subject: e > c + 2 ? t.classifyNP(c + 2, e, preferLast: false) : nil, cue: cue)
        }
        // "he was told "…" by Minister X": the agent after the quotation.
        let k = site.openingToken + 1
        if t.isWordEqual(k, "by") {
            let e = t.phraseEnd(from: k + 1, limit: t.count)
            return Attribution(subject: e > k + 1 ? t.classifyNP(k + 1, e, preferLast: false) : nil, cue: cue)
        }
        return Attribution(subject: nil, cue: cue)
    }

    static func cue(_ site: QuoteSite) -> Attribution? {
        let t = site.opening
        guard case .active(let c) = site.before else { return nil }
        let floor = site.clauseFloor
        var a = t.subjectBefore(c, floor: floor)
        if a.subject == nil, c > floor, t.tokens[c - 1].kind == .quote || t.tokens[c - 1].kind == .comma {
            // `"…," said Khan, "…"`: inverted, the subject follows the cue.
            let e = t.phraseEnd(from: c + 1, limit: site.openingToken)
            if e > c + 1 { a = Attribution(subject: t.invertedSubject(c + 1, e)) }
        }
        if a.subject == nil {
            a.subject = t.sentenceSubject(from: t.clauseStart(c, semicolon: false), limit: c)
        }
        a.cue = t.cueRange(c)
        return a
    }

    static func colonLeadIn(_ site: QuoteSite) -> Attribution? {
        let t = site.opening
        let q = site.openingToken
        guard site.before == nil, q > 0, t.tokens[q - 1].kind == .colon else { return nil }
        var start = t.clauseStart(q, semicolon: false)
        // "A headline - Jane Doe: "…"": a source label after a dash names the speaker.
        if let dash = (start..<(q - 1)).last(where: { t.tokens[$0].kind == .dash }), dash + 1 < q - 1, t.isNameWord(dash + 1) {
            let r = t.run(at: dash + 1, limit: q - 1)
            if r.last >= q - 2 || t.isWordEqual(r.last + 1, "and") { start = dash + 1 }
        }
        guard let s = t.sentenceSubject(from: start, limit: q - 1) else { return nil }
        return Attribution(subject: s)
    }

    /// `Name's answer was: "…"` / `Name's reply was, "…"`, or `As Name put it, "…"` opening the clause.
    static func possessorLeadIn(_ site: QuoteSite) -> Attribution? {
        let t = site.opening
        let q = site.openingToken
        guard q >= 3, t.tokens[q - 1].kind == .colon || t.tokens[q - 1].kind == .comma else { return nil }
        let k = t.clauseStart(q, semicolon: false)
        if t.isWordEqual(k, "as") {
            // "As Name put it," / "As Name wrote,": the subject of the as-clause.
            let e = q - 1
            guard e - k >= 2, e - k <= 10 else { return nil }
            let verbLast = t.isWordEqual(e - 1, "it") ? e - 2 : e - 1
            guard t.isWord(verbLast), !t.tokens[verbLast].isCapitalized,
                  t.has(verbLast, .cue) || t.isWordEqual(verbLast, "put") || t.isWordEqual(verbLast, "puts") else { return nil }
            return Attribution(subject: t.classifyNP(k + 1, verbLast, preferLast: true), cue: verbLast..<(verbLast + 1))
        }
        // "Name's response was:": the possessive run (within the clause's first four words), a word for
        // what was said, then `was`/`is` or the colon.
        guard let first = (k..<min(q - 1, k + 4)).first(where: { t.isNameWord($0) }) else { return nil }
        let r = t.run(at: first, limit: q - 1)
        guard r.possessive, r.hasName || r.isOrg, t.has(r.last + 1, .speechNoun) else { return nil }
        let after = r.last + 2
        let ok = after == q - 1 && t.tokens[q - 1].kind == .colon
            || (after == q - 2 && t.has(after, .passiveAux))
        return ok ? Attribution(subject: .run(r)) : nil
    }

    /// A transcript line: the paragraph opens with a speaker's label and a colon (`MR. O'NEILL:`,
    /// `Rutte:`), a name of at most four words, then the quotation.
    static func transcriptLabel(_ site: QuoteSite) -> Attribution? {
        let t = site.opening
        let q = site.openingToken
        guard q >= 2, q <= 6, t.tokens[q - 1].kind == .colon, t.isNameWord(0) else { return nil }
        let r = t.run(at: 0, limit: q - 1)
        guard r.last == q - 2, r.hasName || r.isOrg, !r.possessive else { return nil }
        return Attribution(subject: .run(r))
    }
}
