/// The words an article itself writes as names: capitalised where English would not capitalise
/// a common word, that is inside a sentence of running text (not at its start, not in a line in
/// headline case). A capitalised common word elsewhere ("Corners" in a headline, "Afterwards"
/// opening a sentence) counts as a name only when the article gives this evidence for it.
struct NameEvidence: Sendable {
    private var words = HashIndex()

    /// Records the capitalised words inside the sentences of one paragraph.
    mutating func read(_ t: TokenTable) {
        guard !t.headlineCase else { return }
        for i in t.tokens.indices where t.tokens[i].isCapitalized && !t.opensSentence(i) {
            let tok = t.tokens[i]
            words.insert(ByteText.lowerHash(t.b, tok.start, tok.coreEnd))
        }
    }

    /// Does the article write the word at `start..<end` (its possessive suffix excluded) as a name?
    func contains(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        words.contains(ByteText.lowerHash(b, start, end))
    }
}

extension TokenTable {
    /// Is the paragraph written in headline case: the common words capitalised ("Gold Star Mom Corners
    /// Obama On His Refusal", "Chris Christie Calls Hillary Clinton ‘A Disgrace’ Over Police Shooting
    /// Comments")? There, capitals are not evidence of a name. Titles, organisation words, given names
    /// and the like do not count: a reporting clause ("Senate Majority Leader Mitch McConnell said")
    /// capitalises those in any case.
    static func isHeadlineCase(_ tokens: [Token]) -> Bool {
        var common = 0
        var capitalised = 0
        for t in tokens where t.kind == .word && t.lex.any(.commonWord) && !t.lex.any(Self.nameLike)
            && !t.flags.contains(.digit) {
            common += 1
            if t.isCapitalized { capitalised += 1 }
        }
        return capitalised >= 3 && capitalised * 5 >= common * 4
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
