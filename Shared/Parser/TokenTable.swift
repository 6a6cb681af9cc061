/// One paragraph's tokens, with quotations collapsed into single `.quote` tokens and every word's
/// lexicon classes looked up by the tokenizer: built once, then only read.
///
/// Every question the attribution rules ask of a paragraph (is this a speech verb, where does this
/// clause start, where does this noun phrase end) is a `func` here or in an extension of it.
struct TokenTable {
    let b: UnsafeBufferPointer<UInt8>
    let tokens: [Token]
    /// The paragraph is in headline case (`isHeadlineCase`): its capitals say nothing of names.
    let headlineCase: Bool

    /// `tokens` carry the article's name evidence already (`.writtenAsName`, marked by
    /// `QuotationExtractor.tokenizeUnits` once every paragraph has been read).
    init(_ b: UnsafeBufferPointer<UInt8>, _ tokens: [Token], headlineCase: Bool) {
        self.b = b
        self.tokens = tokens
        self.headlineCase = headlineCase
    }

    var count: Int { tokens.count }

    /// Lexicon classes of token `i` as the tokenizer found them (empty for anything but a word; the
    /// open classes only for a capitalised word that may be a name: see `Token.lex`).
    @inline(__always) func lex(_ i: Int) -> Lexicon.Flags { tokens[i].lex }

    /// Is `i` a token whose lexicon classes share one with `f`? Open classes (noun, verb, adjective,
    /// adverb) the tokenizer did not read are looked up here, when asked.
    @inline(__always) func has(_ i: Int, _ f: Lexicon.Flags) -> Bool {
        guard i >= 0 && i < tokens.count else { return false }
        let t = tokens[i]
        if t.lex.any(f) { return true }
        return f.any(Lexicon.openClasses) && t.kind == .word && !t.flags.contains(.openClassesRead)
            && Lexicon.shared.openFlags(b, t.start, t.end).any(f)
    }

    func isWord(_ i: Int) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .word }

    /// Is token `i` the word `w` (ASCII case ignored)?
    func isWordEqual(_ i: Int, _ w: StaticString) -> Bool {
        guard isWord(i) else { return false }
        let t = tokens[i]
        return t.end - t.start == w.utf8CodeUnitCount && ByteText.hasPrefixIgnoringCase(b, t.start, t.end, w)
    }

    /// A lower-case speech verb, finite or -ing.
    func isCue(_ k: Int) -> Bool {
        guard isWord(k), !tokens[k].isCapitalized else { return false }
        return tokens[k].lex.any(.cue | .cueGerund)
    }

    /// Is there a speech verb in `s..<e`?
    func hasCue(_ s: Int, _ e: Int) -> Bool {
        (s..<max(s, e)).contains { isCue($0) }
    }

    /// "according to" at `k`.
    func isAccordingTo(_ k: Int) -> Bool { isWordEqual(k, "according") && isWordEqual(k + 1, "to") }

    /// Start of the clause holding token `q` (after `.`, `;` or a quotation that ended a sentence).
    func clauseStart(_ q: Int, semicolon: Bool = true) -> Int {
        var k = q - 1
        // Bounded look-back keeps very long unpunctuated paragraphs linear.
        let limit = max(0, q - 80)
        while k >= limit {
            let t = tokens[k]
            // "McConnell, R-Ky., said", "Reid (D-Nev.) said": an abbreviation's dot before a comma or a
            // closing parenthesis ends no sentence.
            let abbreviation = t.kind == .period && k + 1 < q && (tokens[k + 1].kind == .comma || tokens[k + 1].kind == .closeParen)
            if (t.kind == .period && !abbreviation) || (semicolon && t.kind == .semicolon) { break }
            if t.kind == .quote, t.flags.contains(.endsSentence), k + 1 < q, tokens[k + 1].isCapitalized { break }
            k -= 1
        }
        return k + 1
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

    /// The `(` opening the `)` at `close`, at or after `floor` and at most 12 tokens back.
    func openingParen(before close: Int, floor: Int) -> Int? {
        var j = close - 1
        while j >= max(floor, close - 12) {
            if tokens[j].kind == .openParen { return j }
            if tokens[j].kind == .quote || tokens[j].kind == .closeParen { return nil }
            j -= 1
        }
        return nil
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

    /// A phrasal speech verb with its particle after it ("fired back"): the tokenizer made it a cue.
    func isPhrasalCue(_ c: Int) -> Bool {
        has(c, .phrasalParticles) && has(c, .cue | .cueGerund) && isWord(c + 1)
            && Lexicon.particleMatches(lex(c), b, tokens[c + 1].start, tokens[c + 1].end)
    }

    /// "said", "pointed out", "according to".
    func cueRange(_ c: Int) -> Range<Int> {
        if isWordEqual(c + 1, "out") || isAccordingTo(c) || isPhrasalCue(c) { return c..<(c + 2) }
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

    /// A lower-case word in -ly: "reportedly", "audibly".
    func isAdverb(_ k: Int) -> Bool {
        guard isWord(k) else { return false }
        let t = tokens[k]
        guard !t.isCapitalized, t.end - t.start > 4 else { return false }
        return b[t.end - 1] == .letterY && b[t.end - 2] == .letterL
    }

    /// A segment that is an aside, never a speaker: a gerund clause ("wearing a hat") or a number ("30").
    func isAsideStart(_ k: Int) -> Bool {
        guard isWord(k) else { return false }
        let t = tokens[k]
        if t.flags.contains(.digit) { return true }
        guard !t.isCapitalized, t.end - t.start > 4 else { return false }
        return b[t.end - 3] == .letterI && b[t.end - 2] == .letterN && b[t.end - 1] == .letterG
    }

    /// A lower-case word in a plural -s ("attendees", "protesters"; not "press", "bus", "analysis").
    func isPluralNoun(_ k: Int) -> Bool {
        guard isWord(k), !tokens[k].isCapitalized else { return false }
        let t = tokens[k]
        guard t.coreEnd - t.start > 3, b[t.coreEnd - 1] == .letterS else { return false }
        let before = b[t.coreEnd - 2]
        return before != .letterS && before != .letterU && before != .letterI
    }

    /// A lower-case agent noun: unionist, treasurer, historian, spokesman.
    func isRoleNoun(_ k: Int) -> Bool {
        let t = tokens[k]
        let n = t.end - t.start
        guard n > 4 else { return false }
        let e = t.end
        func suffix(_ s: StaticString) -> Bool {
            let m = s.utf8CodeUnitCount
            return n > m && ByteText.hasPrefixIgnoringCase(b, e - m, e, s)
        }
        return suffix("ist") || suffix("ian") || suffix("er") || suffix("or") || suffix("ant") || suffix("ent")
            || suffix("man") || suffix("woman") || suffix("person")
    }
}
