/// The kind of entity a speaker's words name, where the words alone tell. The directory lists names
/// of people and organisations; a group of people or a party ("Republicans", "Police", "Flight
/// Attendants", "a New Hampshire Democrat") is what the speaker is, not who: it goes to
/// `speakerRole`, as a description does.
enum EntityKind {
    /// Is `r` (a speaker's text, words separated by spaces) a group, a party or one of its members
    /// rather than a name? Never when a word is a given name. One word: a party word, a demonym in
    /// the plural ("Americans"; a demonym alone may be a surname: Cuban), or an organisation head
    /// alone ("Police", "Senate"). Several: common words and affiliations ending in a party word or a
    /// plural noun ("Oversight Committee Republicans", "Flight Attendants").
    static func isGroup(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, lexicon: Lexicon = .shared) -> Bool {
        var words: [Lexicon.Flags] = []
        var headStart = r.lowerBound
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound, b[i] == .space { i += 1 }
            let s = i
            while i < r.upperBound, b[i] != .space { i += 1 }
            guard s < i else { break }
            let flags = lexicon.allFlags(b, s, i)
            // A given name makes a person ("Cuban"), unless it is part of a place ("South Carolina Democrat").
            if flags.contains(.givenName), !flags.any(.place | .placePart) { return false }
            words.append(flags)
            headStart = s
        }
        guard let head = words.popLast() else { return false }
        // The head's classes without a plural s: "Republicans" → republican.
        let end = r.upperBound
        let plural = end - headStart > 3 && (b[end - 1] == .letterS || b[end - 1] == 0x53)
        let singular: Lexicon.Flags = plural ? lexicon.allFlags(b, headStart, end - 1) : []
        let modifiers = words.allSatisfy(isModifier)
        if head.any(.party) || singular.any(.party) { return modifiers }
        if words.isEmpty { return singular.any(.affiliation) || (head.any(.orgWord) && !head.any(.place)) }
        // Organisations, too, end in plurals ("United Nations", "Homeland Security Investigations"); people
        // do in an agent noun ("Flight Attendants", "Senior Lawmakers").
        return singular.contains(.noun) && !head.any(.orgWord) && isAgentNoun(b, end - 1) && modifiers
    }

    /// Does the plural word whose s is at `last` end, without the s, in an agent suffix: -er, -or,
    /// -ist, -ian, or -ant / -ent but not -ment ("attendants", "residents"; not "investments")?
    private static func isAgentNoun(_ b: UnsafeBufferPointer<UInt8>, _ last: Int) -> Bool {
        func ends(_ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            return last - n >= 2 && ByteText.hasPrefixIgnoringCase(b, last - n, last, suffix)
        }
        if ends("er") || ends("or") || ends("ist") || ends("ian") { return true }
        return (ends("ant") || ends("ent")) && !ends("ment")
    }

    /// A word that may stand before a group's head: a common word, a place or an affiliation.
    private static func isModifier(_ flags: Lexicon.Flags) -> Bool {
        flags.any(Lexicon.openClasses | .affiliation | .party | .place | .placePart | .placePrefix | .orgWord)
    }
}
