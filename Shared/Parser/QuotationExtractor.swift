import QuotewireModels

/// A quotation found in the text, with byte offsets, before scalar offsets are computed.
struct FoundQuotation {
    var span: QuoteSpan
    var speaker: ResolvedSpeaker
    var kind: QuotationKind
    var auxiliary: Bool
    /// The rule that attributed it; nil for a direct quotation no rule attributes.
    var rule: AttributionRule?
}

/// A resolved speaker, ready for a `Quotation`: byte ranges into the text.
struct ResolvedSpeaker {
    var speaker: Range<Int>?
    var mention: Range<Int>?
    var role: Range<Int>?
    var cue: Range<Int>?
}

/// Turns quoted spans into quotations: decides which are speech, finds and resolves speakers.
struct QuotationExtractor {
    let b: UnsafeBufferPointer<UInt8>
    private var tables: [TokenTable] = []
    private var units: [Range<Int>] = []
    private var bodyCount = 0
    private var spans: [QuoteSpan] = []
    /// For each span: (unit, token) of its first and last quote token.
    private var firstTok: [(Int, Int)] = []
    private var lastTok: [(Int, Int)] = []
    private var memory: MentionMemory

    init(_ b: UnsafeBufferPointer<UInt8>) {
        self.b = b
        self.memory = MentionMemory(b)
    }

    /// Finds the quotations of a page laid out by `PageStructure`.
    mutating func extract(_ layout: PageLayout) -> [FoundQuotation] {
        bodyCount = layout.paragraphs.count
        units = layout.paragraphs + layout.auxiliary
        spans = QuoteScanner.scan(b, paragraphs: layout.paragraphs)
        // Speaker labels: of transcript lines, and inside quotations that open with one ("WALLACE: …").
        var labels: [Int: (name: Range<Int>, text: Int, quoted: Bool)] = [:]
        let lexicon = Lexicon.shared
        for k in spans.indices where spans[k].pieces.isEmpty {
            if let line = TranscriptLines.line(b, spans[k].start..<spans[k].end),
               TranscriptLines.namesSpeaker(b, label: line.label, lexicon: lexicon) {
                labels[spans[k].open] = (TranscriptLines.name(b, label: line.label, lexicon: lexicon), line.text.lowerBound, true)
            }
        }
        let transcript = TranscriptLines.spans(layout.turns, quoted: spans)
        if !transcript.isEmpty {
            for line in transcript {
                spans.append(line.span)
                labels[line.span.open] = (TranscriptLines.name(b, label: line.label, lexicon: lexicon), line.span.start, false)
            }
            spans.sort { $0.open < $1.open }
        }
        for (ai, line) in layout.auxiliary.enumerated() {
            for var s in QuoteScanner.scan(b, paragraphs: [line]) {
                s.paragraph = bodyCount + ai
                s.lastParagraph = bodyCount + ai
                spans.append(s)
            }
        }
        if spans.isEmpty {
            return []
        }
        tokenizeUnits()
        readMentions()
        var found: [FoundQuotation] = []
        for qi in spans.indices {
            guard let site = site(qi) else { continue }
            var s = spans[qi]
            let direct = isDirect(qi, atClauseStart: site.atClauseStart)
            var speaker: ResolvedSpeaker
            let rule: AttributionRule
            let label = labels[s.open]
            // An unquoted transcript line has no clause of its own to read.
            let context = RuleContext(tables: tables, bodyCount: bodyCount, span: s, found: found)
            let clause = label?.quoted == false ? nil : firstAttribution(site.clauseRules, site, context)
            if let label, !label.quoted || clause == nil {
                // A transcript's label names the speaker, as the article names them elsewhere if it does;
                // the quotation is the words after it. A quoted line's own attribution (`"NG: …," Horvat
                // said`) comes first.
                rule = .transcriptLabel
                s.start = label.text
                // A role (`MODERATOR`, `Q`) is no one's name: the label is the mention only.
                let named = !TranscriptLines.isRole(b, label: label.name)
                speaker = ResolvedSpeaker(speaker: named ? memory.person(surnameIgnoringCase: label.name) ?? label.name : nil,
                                          mention: label.name)
            } else if let (r, a, resolved) = clause {
                rule = r
                speaker = resolved
                // "…, he added": the speaker of the quotation before goes on.
                if case .pronoun = a.subject, let prev = found.last, prev.speaker.speaker != nil,
                   prev.span.lastParagraph >= s.paragraph - 1, let cue = speaker.cue, continuesSpeech(cue) {
                    speaker.speaker = prev.speaker.speaker
                    speaker.role = prev.speaker.role
                }
            } else {
                guard direct, !looksLikeTitle(s) else { continue }
                guard let (r, _, carried) = firstAttribution(AttributionRule.context, site, context) else {
                    found.append(FoundQuotation(span: s, speaker: ResolvedSpeaker(), kind: .direct,
                                                auxiliary: s.paragraph >= bodyCount, rule: nil))
                    continue
                }
                rule = r
                speaker = carried
            }
            found.append(FoundQuotation(span: s, speaker: speaker, kind: direct ? .direct : .partial,
                                        auxiliary: s.paragraph >= bodyCount, rule: rule))
        }
        return found
    }

    /// The sites of the quotations in one paragraph, read as `extract` reads a page (quote spans, token
    /// table, name evidence, mentions): what a rule's unit test runs the rule on.
    mutating func sites(ofParagraph paragraph: Range<Int>) -> [QuoteSite] {
        bodyCount = 1
        units = [paragraph]
        spans = QuoteScanner.scan(b, paragraphs: units)
        guard !spans.isEmpty else { return [] }
        tokenizeUnits()
        readMentions()
        return spans.indices.compactMap { site($0) }
    }

    /// The quotation's opening and closing quote tokens in their tables.
    private func site(_ qi: Int) -> QuoteSite? {
        let (fu, ft) = firstTok[qi]
        let (lu, lt) = lastTok[qi]
        guard ft >= 0, lt >= 0 else { return nil }
        return QuoteSite(opening: tables[fu], openingToken: ft, openingUnit: fu, closing: tables[lu], closingToken: lt,
                         closingUnit: lu)
    }

    /// The first of `rules` that attributes the quotation at `site`, its attribution and the speaker it
    /// resolves to.
    private func firstAttribution(
        _ rules: [AttributionRule], _ site: QuoteSite, _ context: RuleContext
    ) -> (AttributionRule, Attribution, ResolvedSpeaker)? {
        for rule in rules {
            guard let a = rule.find(site, context) else { continue }
            if let carried = a.carried { return (rule, a, carried) }
            var speaker = resolve(a, unit: a.unit ?? site.unit(of: rule))
            if a.needsSpeaker {
                guard speaker.speaker != nil else { continue }
                speaker.cue = nil
            }
            return (rule, a, speaker)
        }
        return nil
    }

    private static let continuationCues: [StaticString] = ["added", "adds", "continued", "continues", "went"]

    /// A cue that carries the previous speaker on: "added", "continued", "went on".
    private func continuesSpeech(_ cue: Range<Int>) -> Bool {
        Self.continuationCues.contains { w in
            cue.count == w.utf8CodeUnitCount && ByteText.hasPrefixIgnoringCase(b, cue.lowerBound, cue.upperBound, w)
        }
    }

    private mutating func tokenizeUnits() {
        var regions = [[(Range<Int>, Int32, Token.Flags)]](repeating: [], count: units.count)
        for (qi, s) in spans.enumerated() {
            var f: Token.Flags = []
            let last = b[s.end - 1]
            if last == .period || last == .exclamation || last == .question { f.insert(.endsSentence) }
            if last == .exclamation || last == .question { f.insert(.endsQuestionOrExclamation) }
            if last == .comma { f.insert(.endsComma) }
            for p in s.paragraph...s.lastParagraph {
                let u = units[p]
                let lo = p == s.paragraph ? s.open : u.lowerBound
                let hi = p == s.lastParagraph ? s.close : u.upperBound
                regions[p].append((lo..<hi, Int32(qi), f))
            }
        }
        firstTok = Array(repeating: (0, -1), count: spans.count)
        lastTok = Array(repeating: (0, -1), count: spans.count)
        tables.reserveCapacity(units.count)
        let lexicon = Lexicon.shared
        var paragraphs: [(tokens: [Token], headlineCase: Bool, capitals: Range<Int>)] = []
        paragraphs.reserveCapacity(units.count)
        var notes = ParagraphNotes()
        var evidence = NameEvidence()
        for (ui, u) in units.enumerated() {
            var toks: [Token] = []
            toks.reserveCapacity(u.count / 5 + 4)
            notes.startParagraph()
            let firstCapital = notes.capitals.count
            Tokenizer.tokenize(b, u, regions: regions[ui][...], lexicon: lexicon, into: &toks, notes: &notes)
            for (ti, t) in toks.enumerated() where t.kind == .quote {
                let q = Int(t.quote)
                if firstTok[q].1 < 0 { firstTok[q] = (ui, ti) }
                lastTok[q] = (ui, ti)
            }
            let headlineCase = TokenTable.isHeadlineCase(b, toks, notes)
            evidence.read(notes.capitals[firstCapital...], headlineCase: headlineCase)
            paragraphs.append((toks, headlineCase, firstCapital..<notes.capitals.count))
        }
        // The whole article's evidence, then each paragraph's tokens marked with it.
        for i in paragraphs.indices {
            var (toks, headlineCase, caps) = paragraphs[i]
            paragraphs[i].tokens = []
            if !evidence.isEmpty {
                for c in notes.capitals[caps] where evidence.contains(c) { toks[Int(c.token)].flags.insert(.writtenAsName) }
            }
            tables.append(TokenTable(b, toks, headlineCase: headlineCase))
        }
    }

    private mutating func readMentions() {
        let order = units.indices.sorted { units[$0].lowerBound < units[$1].lowerBound }
        for u in order { memory.read(tables[u]) }
        memory.finish()
    }

    /// Direct speech: a sentence or more, or a quotation standing at the start of its clause.
    private func isDirect(_ qi: Int, atClauseStart: Bool) -> Bool {
        let s = spans[qi]
        let (v, _) = ByteText.scalar(b, s.start)
        let startsUpper = ByteText.isUpperScalar(v) || (v >= 0x30 && v <= 0x39) || v == 0x5B || v == 0x2026
        let last = b[s.end - 1]
        let ends = last == .period || last == .exclamation || last == .question || last == .comma
        let words = wordCount(s.start, s.end, limit: 4)
        return (startsUpper || atClauseStart) && (words >= 4 || (ends && words >= 1 && (atClauseStart || words >= 3)))
    }

    private func wordCount(_ s: Int, _ e: Int, limit: Int) -> Int {
        var words = 0
        var inWord = false
        var i = s
        while i < e {
            let space = b[i] == .space || b[i] == .newline
            if !space && !inWord { words += 1; if words >= limit { return words } }
            inWord = !space
            i += 1
        }
        return words
    }

    /// Every longer word capitalised: a title or a name, not speech.
    private func looksLikeTitle(_ s: QuoteSpan) -> Bool {
        let last = b[s.end - 1]
        if last == .period || last == .exclamation || last == .question || last == .comma { return false }
        var i = s.start
        while i < s.end {
            while i < s.end, b[i] == .space { i += 1 }
            let ws = i
            while i < s.end, b[i] != .space { i += 1 }
            if i - ws >= 4, !ByteText.isUpperScalar(ByteText.scalar(b, ws).value) { return false }
        }
        return true
    }

    /// Resolves an attribution's subject against the article's mentions.
    private func resolve(_ a: Attribution, unit u: Int) -> ResolvedSpeaker {
        var out = ResolvedSpeaker()
        if let c = a.cue { out.cue = tables[u].tokens[c.lowerBound].start..<tables[u].tokens[c.upperBound - 1].end }
        guard let subject = a.subject else { return out }
        switch subject {
        case .run(let r):
            if r.isOrg {
                out.speaker = tables[u].orgNameRange(r)
                out.mention = out.speaker
            } else {
                guard var name = tables[u].nameRange(r), let surname = tables[u].surnameRange(r) else { return out }
                if r.nameFirst == r.nameLast { name = tables[u].nameStart(withArticleBefore: r.nameFirst)..<name.upperBound }
                out.speaker = memory.fullestName(surname: surname, fallback: name)
                out.mention = name
                out.role = a.appositionRole ?? tables[u].roleRange(before: r, floor: 0) ?? memory.role(surname: surname)
            }
        case .pronoun(let k):
            let t = tables[u].tokens[k]
            out.mention = t.start..<t.end
            if tables[u].has(k, .personPronoun) {
                if let m = memory.resolvePerson(before: t.start, gender: Gender(t.lex)) {
                    let mm = memory.mentions[m]
                    out.speaker = memory.fullestName(surname: mm.surname, fallback: mm.name)
                    out.role = a.appositionRole ?? memory.role(surname: mm.surname)
                }
            } else if let m = memory.resolveOrg(before: t.start) {
                let mm = memory.mentions[m]
                out.speaker = mm.name
            }
        case .description(let s, let e):
            let toks = tables[u].tokens
            out.mention = toks[s].start..<toks[e - 1].end
            var words: [UInt64] = []
            var head: UInt64 = 0
            var headIndex = -1
            for k in s..<e where toks[k].kind == .word && !toks[k].lex.any(.generic | .determiner) {
                let h = ByteText.lowerHash(b, toks[k].start, toks[k].coreEnd)
                words.append(h)
                head = h
                headIndex = k
            }
            guard headIndex >= 0 else { return out }
            // A plural ("the attendees") or a document ("the email") is no one person: only an
            // organisation word can name who it is.
            let onePerson = !tables[u].isPluralNoun(headIndex) && !toks[headIndex].lex.any(.document)
            if onePerson, let m = memory.matchRole(words: words, head: head, before: toks[s].start) {
                let mm = memory.mentions[m]
                out.speaker = memory.fullestName(surname: mm.surname, fallback: mm.name)
                out.role = mm.role
            } else if toks[headIndex].lex.any(.orgWord),
                      let m = memory.resolveOrg(head: toks[headIndex].start..<toks[headIndex].end, before: toks[s].start) {
                let mm = memory.mentions[m]
                out.speaker = mm.name
            } else if toks[headIndex].lex.any(.orgWord) {
                var f = s
                while f < headIndex, toks[f].lex.any(.determiner) { f += 1 }
                out.speaker = toks[f].start..<toks[headIndex].coreEnd
            }
        }
        // A speaker is a name: a description with no capitalised word ("the campaign", "the
        // health ministry") or a group ("Republicans", `EntityKind`) is what the speaker is (`role`),
        // not who; the directory lists names.
        if let s = out.speaker, !Self.hasCapitalisedWord(b, s) || EntityKind.isGroup(b, s) {
            out.speaker = nil
            if out.role == nil { out.role = s }
        }
        return out
    }

    private static func hasCapitalisedWord(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var atWord = true
        for i in r {
            let c = b[i]
            if atWord, ByteText.isASCIIUpper(c) || ByteText.isDigit(c) || (c >= 0xC3 && ByteText.isUpperScalar(ByteText.scalar(b, i).value)) {
                return true
            }
            atWord = c == .space || c == 0x2D
        }
        return false
    }
}
