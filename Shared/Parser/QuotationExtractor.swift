import QuotewireModels

/// A quotation found in the text, with byte offsets, before scalar offsets are computed.
struct FoundQuotation {
    var span: QuoteSpan
    var speaker: ResolvedSpeaker
    var kind: QuotationKind
    var auxiliary: Bool
}

/// Turns quoted spans into quotations: decides which are speech, finds and resolves speakers.
struct QuotationExtractor {
    let b: UnsafeBufferPointer<UInt8>
    private var readers: [TokenReader] = []
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
        var previousBody: (paragraph: Int, speaker: ResolvedSpeaker)?
        for qi in spans.indices {
            let s = spans[qi]
            let aux = s.paragraph >= bodyCount
            let (fu, ft) = firstTok[qi]
            let (lu, lt) = lastTok[qi]
            guard ft >= 0, lt >= 0 else { continue }
            let atClauseStart = readers[fu].clauseStart(ft) == ft
                || (ft > 0 && readers[fu].tokens[ft - 1].kind == .colon)
            var attribution: (Attribution, Int)?
            if atClauseStart {
                if let a = readers[lu].attributionAfter(lt) { attribution = (a, lu) }
                else if let a = readers[fu].attributionBefore(ft) { attribution = (a, fu) }
            } else {
                if let a = readers[fu].attributionBefore(ft) { attribution = (a, fu) }
                else if let a = readers[lu].attributionAfter(lt) { attribution = (a, lu) }
            }
            let direct = isDirect(qi, atClauseStart: atClauseStart)
            var speaker = ResolvedSpeaker()
            if let (a, unit) = attribution {
                speaker = resolve(a, unit: unit)
                // "…, he added": the speaker of the quotation before goes on.
                if case .pronoun = a.subject, let prev = found.last, prev.speaker.speaker != nil,
                   prev.span.lastParagraph >= s.paragraph - 1, let cue = speaker.cue, continuesSpeech(cue) {
                    speaker.speaker = prev.speaker.speaker
                    speaker.role = prev.speaker.role
                }
            } else {
                guard direct, !looksLikeTitle(s) else { continue }
                // No attribution: a split quotation or a quotation paragraph continues the previous speaker.
                if let prev = found.last, !prev.auxiliary, prev.span.lastParagraph == s.paragraph {
                    speaker = prev.speaker
                } else if !aux, let p = previousBody, p.paragraph == s.paragraph - 1, ft == 0 {
                    speaker = p.speaker
                    speaker.mention = nil
                    speaker.cue = nil
                } else if !aux, ft == 0, s.paragraph > 0, let colonSpeaker = colonLead(s.paragraph - 1) {
                    speaker = colonSpeaker
                } else if !aux, ft == 0, s.paragraph > 0, !hasQuote(s.paragraph - 1),
                          let reported = reportedSpeechLead(s.paragraph - 1) {
                    speaker = reported
                }
            }
            found.append(FoundQuotation(span: s, speaker: speaker, kind: direct ? .direct : .partial, auxiliary: aux))
            if !aux { previousBody = (s.lastParagraph, speaker) }
        }
        return found
    }

    private static let continuationCues: [StaticString] = ["added", "adds", "continued", "continues", "went"]

    /// A cue that carries the previous speaker on: "added", "continued", "went on".
    private func continuesSpeech(_ cue: Range<Int>) -> Bool {
        Self.continuationCues.contains { w in
            cue.count == w.utf8CodeUnitCount && ByteText.hasPrefixIgnoringCase(b, cue.lowerBound, cue.upperBound, w)
        }
    }

    /// `Rutte said:` ending the previous paragraph.
    private mutating func colonLead(_ p: Int) -> ResolvedSpeaker? {
        guard let last = readers[p].tokens.last, last.kind == .colon else { return nil }
        let n = readers[p].tokens.count - 1
        let start = readers[p].clauseStart(n)
        if let c = readers[p].cueBefore(n, floor: start) {
            var a = readers[p].subjectBefore(c, floor: start)
            a.cue = readers[p].cueRange(c)
            return resolve(a, unit: p)
        }
        if let s = readers[p].sentenceSubject(from: start, limit: n) { return resolve(Attribution(subject: s), unit: p) }
        return nil
    }

    /// Does paragraph `p` hold a quotation?
    private func hasQuote(_ p: Int) -> Bool { readers[p].tokens.contains { $0.kind == .quote } }

    /// `Carter said that the region matters.` as the last sentence before a quotation paragraph:
    /// the person who reported speech there goes on speaking.
    private mutating func reportedSpeechLead(_ p: Int) -> ResolvedSpeaker? {
        let n = readers[p].tokens.count
        guard n > 2 else { return nil }
        var start = readers[p].clauseStart(n - 1, semicolon: false)
        if start >= n - 1, n - 1 > 0 { start = readers[p].clauseStart(n - 2, semicolon: false) }
        var c = start
        while c < n, c < start + 12 {
            if readers[p].isCue(c), readers[p].has(c, .cue) { break }
            c += 1
        }
        guard c < n, c < start + 12 else { return nil }
        var a = readers[p].subjectBefore(c, floor: start)
        switch a.subject {
        case .run(let r)? where r.isPersonLike || (r.hasName && !r.isOrg && r.nameTokenCount == 1): break
        case .pronoun(let k)? where readers[p].has(k, .personPronoun): break
        default: return nil
        }
        a.cue = readers[p].cueRange(c)
        var out = resolve(a, unit: p)
        out.cue = nil
        return out.speaker == nil ? nil : out
    }

    private mutating func tokenizeUnits() {
        var regions = [[(Range<Int>, Int32, Token.Flags)]](repeating: [], count: units.count)
        for (qi, s) in spans.enumerated() {
            var f: Token.Flags = []
            let last = b[s.end - 1]
            if last == 0x2E || last == 0x21 || last == 0x3F { f.insert(.endsSentence) }
            if last == 0x21 || last == 0x3F { f.insert(.endsQuestionOrExclamation) }
            if last == 0x2C { f.insert(.endsComma) }
            for p in s.paragraph...s.lastParagraph {
                let u = units[p]
                let lo = p == s.paragraph ? s.open : u.lowerBound
                let hi = p == s.lastParagraph ? s.close : u.upperBound
                regions[p].append((lo..<hi, Int32(qi), f))
            }
        }
        firstTok = Array(repeating: (0, -1), count: spans.count)
        lastTok = Array(repeating: (0, -1), count: spans.count)
        readers.reserveCapacity(units.count)
        for (ui, u) in units.enumerated() {
            var toks: [Token] = []
            toks.reserveCapacity(u.count / 5 + 4)
            Tokenizer.tokenize(b, u, regions: regions[ui][...], into: &toks)
            for (ti, t) in toks.enumerated() where t.kind == .quote {
                let q = Int(t.quote)
                if firstTok[q].1 < 0 { firstTok[q] = (ui, ti) }
                lastTok[q] = (ui, ti)
            }
            readers.append(TokenReader(b, toks))
        }
    }

    private mutating func readMentions() {
        let order = units.indices.sorted { units[$0].lowerBound < units[$1].lowerBound }
        for u in order { memory.read(&readers[u]) }
        memory.finish()
    }

    /// Direct speech: a sentence or more, or a quotation standing at the start of its clause.
    private func isDirect(_ qi: Int, atClauseStart: Bool) -> Bool {
        let s = spans[qi]
        let (v, _) = ByteText.scalar(b, s.start)
        let startsUpper = ByteText.isUpperScalar(v) || (v >= 0x30 && v <= 0x39) || v == 0x5B || v == 0x2026
        let last = b[s.end - 1]
        let ends = last == 0x2E || last == 0x21 || last == 0x3F || last == 0x2C
        let words = wordCount(s.start, s.end, limit: 4)
        return (startsUpper || atClauseStart) && (words >= 4 || (ends && words >= 1 && (atClauseStart || words >= 3)))
    }

    private func wordCount(_ s: Int, _ e: Int, limit: Int) -> Int {
        var words = 0
        var inWord = false
        var i = s
        while i < e {
            let space = b[i] == 0x20 || b[i] == 0x0A
            if !space && !inWord { words += 1; if words >= limit { return words } }
            inWord = !space
            i += 1
        }
        return words
    }

    /// Every longer word capitalised: a title or a name, not speech.
    private func looksLikeTitle(_ s: QuoteSpan) -> Bool {
        let last = b[s.end - 1]
        if last == 0x2E || last == 0x21 || last == 0x3F || last == 0x2C { return false }
        var i = s.start
        while i < s.end {
            while i < s.end, b[i] == 0x20 { i += 1 }
            let ws = i
            while i < s.end, b[i] != 0x20 { i += 1 }
            if i - ws >= 4, !ByteText.isUpperScalar(ByteText.scalar(b, ws).value) { return false }
        }
        return true
    }

    /// Resolves an attribution's subject against the article's mentions.
    private mutating func resolve(_ a: Attribution, unit u: Int) -> ResolvedSpeaker {
        var out = ResolvedSpeaker()
        if let c = a.cue { out.cue = readers[u].tokens[c.lowerBound].start..<readers[u].tokens[c.upperBound - 1].end }
        guard let subject = a.subject else { return out }
        switch subject {
        case .run(let r):
            if r.isOrg {
                out.speaker = memory.trimmedRunRange(&readers[u], r)
                out.mention = out.speaker
                return out
            }
            guard let name = readers[u].nameRange(r), let surname = readers[u].surnameRange(r) else { return out }
            out.speaker = memory.fullestName(surname: surname, fallback: name)
            out.mention = name
            out.role = a.appositionRole ?? readers[u].roleRange(before: r, floor: 0) ?? memory.role(surname: surname)
        case .pronoun(let k):
            let t = readers[u].tokens[k]
            out.mention = t.start..<t.end
            if readers[u].has(k, .personPronoun) {
                if let m = memory.resolvePerson(before: t.start) {
                    let mm = memory.mentions[m]
                    out.speaker = memory.fullestName(surname: mm.surname, fallback: mm.name)
                    out.role = a.appositionRole ?? memory.role(surname: mm.surname)
                }
            } else if let m = memory.resolveOrg(before: t.start) {
                let mm = memory.mentions[m]
                out.speaker = mm.name
            }
        case .description(let s, let e):
            let toks = readers[u].tokens
            out.mention = toks[s].start..<toks[e - 1].end
            var words: [UInt64] = []
            var head: UInt64 = 0
            var headIndex = -1
            for k in s..<e where toks[k].kind == .word && !Lexicon.shared.flags(b, toks[k].start, toks[k].end).any(.generic | .determiner) {
                let h = ByteText.lowerHash(b, toks[k].start, toks[k].coreEnd)
                words.append(h)
                head = h
                headIndex = k
            }
            guard headIndex >= 0 else { return out }
            if let m = memory.matchRole(words: words, head: head, before: toks[s].start) {
                let mm = memory.mentions[m]
                out.speaker = memory.fullestName(surname: mm.surname, fallback: mm.name)
                out.role = mm.role
            } else if Lexicon.shared.flags(b, toks[headIndex].start, toks[headIndex].end).any(.orgWord),
                      let m = memory.resolveOrg(head: toks[headIndex].start..<toks[headIndex].end, before: toks[s].start) {
                let mm = memory.mentions[m]
                out.speaker = mm.name
            } else if Lexicon.shared.flags(b, toks[headIndex].start, toks[headIndex].end).any(.orgWord) {
                var f = s
                while f < headIndex, Lexicon.shared.flags(b, toks[f].start, toks[f].end).any(.determiner) { f += 1 }
                out.speaker = toks[f].start..<toks[headIndex].coreEnd
            }
        }
        return out
    }
}
