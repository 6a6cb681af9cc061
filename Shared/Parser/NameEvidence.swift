/// The words an article itself writes as names: capitalised where English would not capitalise
/// a common word, that is inside a sentence of running text (not at its start, not in a line in
/// headline case). A capitalised common word elsewhere ("Corners" in a headline, "Afterwards"
/// opening a sentence) counts as a name only when the article gives this evidence for it.
struct NameEvidence: Sendable {
    /// An article writes a few hundred distinct words as names: room for them without growing.
    private var words = HashIndex(capacity: 512)

    /// Records the capitalised words inside the sentences of one paragraph (the tokenizer's notes).
    mutating func read(_ capitals: ArraySlice<CapitalWord>, headlineCase: Bool) {
        guard !headlineCase else { return }
        for c in capitals where c.insideSentence { words.insert(c.hash) }
    }

    /// Does the article write the capitalised word `c` as a name?
    func contains(_ c: CapitalWord) -> Bool { words.contains(c.hash) }

    var isEmpty: Bool { words.isEmpty }

    /// The hash of the word at `start..<end` (its possessive suffix excluded), ASCII case ignored: the
    /// lexicon's, which the tokenizer has computed already for a word of up to 16 bytes.
    static func hash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        guard end - start <= Lexicon.maxWordLength else { return ByteText.lowerHash(b, start, end) }
        let (lo, hi) = Lexicon.key(b, start, end)
        return Lexicon.hash(lo, hi)
    }
}

extension TokenTable {
    /// Is the paragraph written in headline case: the common words capitalised ("Gold Star Mom Corners
    /// Obama On His Refusal", "Chris Christie Calls Hillary Clinton ‘A Disgrace’ Over Police Shooting
    /// Comments")? There, capitals are not evidence of a name. Titles, organisation words, given names
    /// and the like do not count: a reporting clause ("Senate Majority Leader Mitch McConnell said")
    /// capitalises those in any case.
    static func isHeadlineCase(_ b: UnsafeBufferPointer<UInt8>, _ tokens: [Token], _ notes: ParagraphNotes) -> Bool {
        // The tokenizer counted the capitalised common words and the lower-case words that may be
        // common; those need a look-up in the open classes only when they could outnumber a quarter
        // of the capitals, and only as many as decide it.
        let capitalised = notes.capitalisedCommon
        guard capitalised >= 3 else { return false }
        if capitalised >= 4 * notes.lowerCandidates { return true }
        let lexicon = Lexicon.shared
        var lower = 0
        for t in tokens where t.kind == .word && !t.isCapitalized && !t.lex.any(Self.nameLike) && !t.flags.contains(.digit)
            && (t.lex.any(.commonWord) || lexicon.openFlags(b, t.start, t.end).any(.commonWord)) {
            lower += 1
            if 4 * lower > capitalised { return false }
        }
        return true
    }

    /// Words capitalised in running text too, or never common words: titles, organisation words, given
    /// names, places, parties and peoples, months and closed-class words.
    static let nameLike: Lexicon.Flags = [
        .title, .orgWord, .givenName, .place, .placePart, .affiliation, .calendar, .determiner, .preposition,
        .conjunction, .auxiliary, .pronoun, .clauseWord, .personPronoun, .groupPronoun, .stop,
    ]

    /// Closed-class words, which headline case may or may not capitalise.
    static let functionWords: Lexicon.Flags = [
        .determiner, .preposition, .conjunction, .auxiliary, .pronoun, .clauseWord, .personPronoun, .groupPronoun,
    ]
}
