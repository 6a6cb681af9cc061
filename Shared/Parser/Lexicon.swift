/// Word classes the attribution logic needs, looked up by a lower-cased hash.
///
/// The table is keyed by the word's own bytes (up to 16, lower-cased eight at a
/// time), so a look-up costs two loads, a multiply and a probe or two: no `String`
/// is made and no per-byte hashing is done.
struct Lexicon: Sendable {
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt64
        /// A speech verb: said, told, wrote, added, warned, …
        static let cue = Flags(rawValue: 1 << 0)
        /// A speech verb in -ing form: saying, adding, calling, …
        static let cueGerund = Flags(rawValue: 1 << 1)
        /// he, she
        static let personPronoun = Flags(rawValue: 1 << 2)
        /// it, they
        static let groupPronoun = Flags(rawValue: 1 << 3)
        /// who, which, that
        static let relative = Flags(rawValue: 1 << 4)
        /// President, Minister, Dr., …: words that make a role, never a name.
        static let title = Flags(rawValue: 1 << 5)
        /// Words that cannot start or belong to a name: The, But, In, …
        static let stop = Flags(rawValue: 1 << 6)
        /// Adverbs and auxiliaries that may stand between a subject and its verb.
        static let skippable = Flags(rawValue: 1 << 7)
        /// Heads of organisation names: Ministry, Police, Army, …
        static let orgWord = Flags(rawValue: 1 << 8)
        /// Prepositions: a name after one is usually not a subject.
        static let preposition = Flags(rawValue: 1 << 9)
        /// Determiners: the, a, an, his, …
        static let determiner = Flags(rawValue: 1 << 10)
        /// Months and weekdays.
        static let calendar = Flags(rawValue: 1 << 11)
        /// First words of place names: New, North, San, …
        static let placePrefix = Flags(rawValue: 1 << 12)
        /// was, were, been, being, is, are: before a cue verb they make it passive.
        static let passiveAux = Flags(rawValue: 1 << 13)
        /// Nouns for documents that "say" things: statement, tweet, letter.
        static let document = Flags(rawValue: 1 << 14)
        /// Conjunctions and clause openers that end a noun phrase going backwards.
        static let clauseWord = Flags(rawValue: 1 << 15)
        /// Generic words skipped when matching a description against roles.
        static let generic = Flags(rawValue: 1 << 16)
        /// Name suffixes dropped from a name's end: QC, Jr., MP.
        static let nameSuffix = Flags(rawValue: 1 << 17)
        /// Heads of place names: Island, Province, Street, …
        static let placeWord = Flags(rawValue: 1 << 18)
        /// Verbs whose object follows them: "told Rutte" names the listener, not the speaker.
        static let objectCue = Flags(rawValue: 1 << 19)
        /// Nouns for what someone said: answer, reply, response, words.
        static let speechNoun = Flags(rawValue: 1 << 20)
        /// Words that say a person is a man or a woman: given names (`given-names-*.txt`), titles (Mr., Mrs.),
        /// gendered role nouns (spokeswoman).
        static let male = Flags(rawValue: 1 << 21)
        static let female = Flags(rawValue: 1 << 22)
        /// Parties, demonyms and states standing before a name (`affiliations.txt`).
        static let affiliation = Flags(rawValue: 1 << 23)
        /// Words that label a line without naming a speaker: UPDATE:, WATCH:, VIDEO:.
        static let lineLabel = Flags(rawValue: 1 << 24)
        /// Forms of a phrasal speech verb and the particle it needs (`speech-verbs-phrasal.txt`):
        /// fired back, cut in, went on. The tokenizer makes them cues where the particle follows.
        static let phrasalBack = Flags(rawValue: 1 << 25)
        static let phrasalIn = Flags(rawValue: 1 << 26)
        static let phrasalOn = Flags(rawValue: 1 << 27)
        /// The -ing form of a phrasal speech verb (firing back).
        static let phrasalGerund = Flags(rawValue: 1 << 28)
        static let phrasalParticles: Flags = [.phrasalBack, .phrasalIn, .phrasalOn]

        // Parts of speech (`common-*.txt`, from WordNet, and the closed classes).
        /// A common noun, singular or plural.
        static let noun = Flags(rawValue: 1 << 29)
        /// A verb's base form ("say").
        static let verbBase = Flags(rawValue: 1 << 30)
        /// A verb's third-person form ("says").
        static let verbThird = Flags(rawValue: 1 << 31)
        /// A verb's past or participle form ("said", "gone").
        static let verbPast = Flags(rawValue: 1 << 32)
        /// A verb's -ing form ("saying").
        static let verbIng = Flags(rawValue: 1 << 33)
        static let adjective = Flags(rawValue: 1 << 34)
        static let adverb = Flags(rawValue: 1 << 35)
        /// be, have, do and the modals, with their forms.
        static let auxiliary = Flags(rawValue: 1 << 36)
        /// and, but, although, whereas, …
        static let conjunction = Flags(rawValue: 1 << 37)
        /// Every pronoun: personal, possessive, reflexive, demonstrative, indefinite.
        static let pronoun = Flags(rawValue: 1 << 38)
        /// A given name (`given-names-*.txt`): where a person's name starts.
        static let givenName = Flags(rawValue: 1 << 39)
        /// A place of one word (`places.txt`: Canada, Ohio, Kyiv).
        static let place = Flags(rawValue: 1 << 40)
        /// A word of a place of several words (New, York, Hong, Kong): `TokenTable.placeLength` checks the whole.
        static let placePart = Flags(rawValue: 1 << 41)
        /// A party or its member (`party-words.txt`: Republican, Democrat, Tory).
        static let party = Flags(rawValue: 1 << 42)

        static let verb: Flags = [.verbBase, .verbThird, .verbPast, .verbIng]
        /// A word that may be a common word rather than a name: any open class.
        static let commonWord: Flags = [.noun, .verb, .adjective, .adverb]

        /// Shares any flag with `f` (a plain bit test).
        @inline(__always) func any(_ f: Flags) -> Bool { rawValue & f.rawValue != 0 }

        /// Union without the generic SetAlgebra machinery.
        @inline(__always) static func | (a: Flags, b: Flags) -> Flags { Flags(rawValue: a.rawValue | b.rawValue) }
    }

    /// The closed classes, the lists of this folder and the speech verbs: a few thousand words,
    /// looked up for every word of a text.
    private let closed: WordTable
    /// The open classes from WordNet (nouns, verbs, adjectives, adverbs; 33,000 words with their
    /// forms): a table too large to stay in the cache, so it is looked up only where a rule asks
    /// (`openFlags`): for capitalised words in the tokenizer, for lower-case words by `TokenTable.has`.
    private let open: WordTable
    /// Places of several words (`places.txt`), as `phraseKey`s of their words.
    private let placePhrases: Set<UInt64>

    /// Longest word the table holds; longer words have no flags.
    static let maxWordLength = 16
    /// Longest place of several words, in words.
    static let maxPlaceWords = 4
    /// The classes that `open` holds.
    static let openClasses: Flags = [.noun, .verb, .adjective, .adverb]

    static let shared = Lexicon()

    init() {
        var entries: [(Substring, Flags)] = []
        for (list, flags) in Lexicon.lists {
            for line in list.split(separator: "\n") { entries.append((line, flags)) }
        }
        entries += Lexicon.speechVerbEntries()
        var phrases = Set<UInt64>()
        for line in LexiconData.places.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 1 {
                entries.append((line, .place))
            } else {
                for w in words { entries.append((w, .placePart)) }
                phrases.insert(Self.phraseKey(words.map { Self.key(Array($0.utf8)) }))
            }
        }
        closed = WordTable(entries)
        open = WordTable(Lexicon.openClassEntries())
        placePhrases = phrases
    }

    /// The classes of the word at `start..<end` (ASCII case ignored), but for the open ones.
    @inline(__always) func flags(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Flags {
        Self.lookUp(closed, b, start, end)
    }

    /// The classes but for the open ones of a word given by its key and hash (`key`, `hash`).
    @inline(__always) func flags(_ lo: UInt64, _ hi: UInt64, _ h: UInt64) -> Flags { closed.flags(lo, hi, h) }

    /// The open classes (`openClasses`) of the word at `start..<end`.
    @inline(__always) func openFlags(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Flags {
        Self.lookUp(open, b, start, end)
    }

    /// Every class of the word at `start..<end`, open and closed: for the few words a rule reads whole.
    func allFlags(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Flags {
        flags(b, start, end) | openFlags(b, start, end)
    }

    @inline(__always) private static func lookUp(_ table: WordTable, _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Flags {
        let n = end - start
        guard n > 0, n <= maxWordLength else { return [] }
        let (lo, hi) = key(b, start, end)
        return table.flags(lo, hi, hash(lo, hi))
    }

    /// The open classes of a word given by its key and hash.
    @inline(__always) func openFlags(_ lo: UInt64, _ hi: UInt64, _ h: UInt64) -> Flags { open.flags(lo, hi, h) }

    /// Open-addressing table of words up to 16 bytes, keyed by their lower-cased bytes
    /// packed little-endian into two words (zero-padded): a look-up compares keys
    /// exactly, so it never confuses two words.
    private struct WordTable: Sendable {
        private let slots: [Slot]
        private let mask: Int
        /// One bit per value of 17 bits of the hash, set for the words in the table: a word of a text
        /// that is not in it (a name, a number, a rare word) is mostly turned away by this 16 KB filter,
        /// which stays in the L1 cache, without touching the table.
        private let filter: [UInt64]

        private struct Slot {
            var lo: UInt64 = 0
            var hi: UInt64 = 0
            var flags: UInt64 = 0
        }

        init(_ entries: [(Substring, Flags)]) {
            var size = 1024
            while size < entries.count * 2 { size *= 2 }
            var slots = [Slot](repeating: Slot(), count: size)
            var filter = [UInt64](repeating: 0, count: 2048)
            mask = size - 1
            for (word, flags) in entries {
                guard !word.isEmpty, word.utf8.count <= Lexicon.maxWordLength else { continue }
                let (lo, hi) = Lexicon.key(Array(word.utf8))
                let h = Lexicon.hash(lo, hi)
                let bit = Self.filterBit(h)
                filter[bit >> 6] |= 1 << UInt64(bit & 63)
                var i = Self.slot(h) & mask
                while slots[i].lo != 0, slots[i].lo != lo || slots[i].hi != hi { i = (i + 1) & mask }
                slots[i].lo = lo
                slots[i].hi = hi
                slots[i].flags |= flags.rawValue
            }
            self.slots = slots
            self.filter = filter
        }

        @inline(__always) func flags(_ lo: UInt64, _ hi: UInt64, _ h: UInt64) -> Flags {
            let bit = Self.filterBit(h)
            let inFilter = filter.withUnsafeBufferPointer { $0[bit >> 6] >> UInt64(bit & 63) & 1 != 0 }
            guard inFilter else { return [] }
            return slots.withUnsafeBufferPointer { t in
                var i = Self.slot(h) & mask
                while true {
                    let s = t[i]
                    if s.lo == lo && s.hi == hi { return Flags(rawValue: s.flags) }
                    if s.lo == 0 { return [] }
                    i = (i + 1) & mask
                }
            }
        }

        /// The filter's bit: 17 bits of the hash that `slot` does not use.
        @inline(__always) private static func filterBit(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> 8) & 0x1FFFF }

        /// The table's first slot for a hash (before masking).
        @inline(__always) private static func slot(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> 40) }
    }

    /// The key of a word given as bytes.
    fileprivate static func key(_ bytes: [UInt8]) -> (UInt64, UInt64) {
        bytes.withUnsafeBufferPointer { key($0, 0, $0.count) }
    }

    /// One key for a sequence of words' keys.
    static func phraseKey(_ keys: [(UInt64, UInt64)]) -> UInt64 {
        var h: UInt64 = 0x84222325
        for (lo, hi) in keys { h = (h ^ hash(lo, hi)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Is the sequence of words with these keys a place of several words?
    func isPlacePhrase(_ keys: [(UInt64, UInt64)]) -> Bool { placePhrases.contains(Self.phraseKey(keys)) }

    /// One hash of a key, which both the filter and the table take their bits from.
    @inline(__always) static func hash(_ lo: UInt64, _ hi: UInt64) -> UInt64 {
        (lo &* 0x9E37_79B9_7F4A_7C15) ^ (hi &* 0xC2B2_AE3D_27D4_EB4F)
    }

    /// The bytes of `start..<end` (1 to 16 of them), ASCII lower-cased, packed into two words.
    @inline(__always) static func key(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (UInt64, UInt64) {
        let n = end - start
        let lo: UInt64
        var hi: UInt64 = 0
        if let base = b.baseAddress, start + 16 <= b.count {
            // Whole words from memory, masked to the length.
            let raw = UnsafeRawPointer(base + start)
            let w0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            let w1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            if n >= 8 {
                lo = w0
                hi = n == 16 ? w1 : w1 & ((1 << UInt64((n - 8) * 8)) &- 1)
            } else {
                lo = w0 & ((1 << UInt64(n * 8)) &- 1)
            }
        } else {
            var w0: UInt64 = 0
            for k in 0..<min(n, 8) { w0 |= UInt64(b[start + k]) << UInt64(k * 8) }
            for k in 8..<max(n, 8) { hi |= UInt64(b[start + k]) << UInt64((k - 8) * 8) }
            lo = w0
        }
        return (lowerASCII(lo), lowerASCII(hi))
    }

    /// Lower-cases the ASCII capitals among eight packed bytes.
    @inline(__always) static func lowerASCII(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let seven = x & ~high
        let atLeastA = seven &+ ones &* (0x80 - 0x41)
        let pastZ = seven &+ ones &* (0x80 - 0x5B)
        let upper = atLeastA & ~pastZ & ~x & high
        return x | (upper >> 2)
    }

    /// Does the word at `start..<end` complete a phrasal verb whose forms carry `lex`?
    static func particleMatches(_ lex: Flags, _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        func word(_ w: StaticString) -> Bool {
            end - start == w.utf8CodeUnitCount && ByteText.hasPrefixIgnoringCase(b, start, end, w)
        }
        return (lex.contains(.phrasalBack) && word("back")) || (lex.contains(.phrasalIn) && word("in"))
            || (lex.contains(.phrasalOn) && word("on"))
    }

    /// The word lists of one entry a line (`Lexicons/*.txt`, embedded as `LexiconData`) and the classes
    /// each gives its words.
    private static let lists: [(String, Flags)] = [
        (LexiconData.speechVerbExtraForms, .cue), (LexiconData.personPronouns, .personPronoun),
        (LexiconData.groupPronouns, .groupPronoun), (LexiconData.relativePronouns, .relative),
        (LexiconData.titles, .title), (LexiconData.stopWords, .stop), (LexiconData.skippableWords, .skippable),
        (LexiconData.organisationHeads, .orgWord), (LexiconData.prepositions, .preposition),
        (LexiconData.determiners, .determiner), (LexiconData.calendarWords, .calendar),
        (LexiconData.placePrefixes, .placePrefix), (LexiconData.passiveAuxiliaries, .passiveAux),
        (LexiconData.speechNouns, .speechNoun), (LexiconData.documentNouns, .document),
        (LexiconData.clauseWords, .clauseWord), (LexiconData.genericWords, .generic),
        (LexiconData.nameSuffixes, .nameSuffix), (LexiconData.lineLabels, .lineLabel),
        (LexiconData.maleWords, .male), (LexiconData.femaleWords, .female), (LexiconData.placeHeads, .placeWord),
        (LexiconData.givenNamesMale, [.male, .givenName]), (LexiconData.givenNamesFemale, [.female, .givenName]),
        (LexiconData.affiliations, .affiliation), (LexiconData.partyWords, .party),
        (LexiconData.auxiliaries, .auxiliary),
        (LexiconData.conjunctions, .conjunction), (LexiconData.pronouns, .pronoun),
    ]

    /// The rows of a list: its lines, each split at spaces.
    static func rows(_ list: String) -> [[Substring]] {
        list.split(separator: "\n").map { $0.split(separator: " ") }
    }

    /// The open classes as table entries: common nouns and verbs, one row of forms per word, and the
    /// adjectives and adverbs.
    private static func openClassEntries() -> [(Substring, Flags)] {
        var out: [(Substring, Flags)] = []
        for forms in rows(LexiconData.commonNouns) {
            for w in forms { out.append((w, .noun)) }
        }
        // "lemma third-person gerund past...".
        for forms in rows(LexiconData.commonVerbs) where forms.count >= 4 {
            out.append((forms[0], .verbBase))
            out.append((forms[1], .verbThird))
            out.append((forms[2], .verbIng))
            for w in forms[3...] { out.append((w, .verbPast)) }
        }
        for w in LexiconData.commonAdjectives.split(separator: "\n") { out.append((w, .adjective)) }
        for w in LexiconData.commonAdverbs.split(separator: "\n") { out.append((w, .adverb)) }
        return out
    }

    /// The speech verbs, one row of forms per verb, as table entries.
    private static func speechVerbEntries() -> [(Substring, Flags)] {
        var out: [(Substring, Flags)] = []
        // Speech verbs, "lemma third past gerund": finite forms (and the lemma of `speech-verbs-bare-form.txt`'s
        // verbs) are cues, the -ing form a gerund cue, every form of a `listener-verbs.txt` verb an object cue.
        let listeners = Set(rows(LexiconData.listenerVerbs).map { $0[0] })
        let bareForms = Set(rows(LexiconData.speechVerbsBareForm).map { $0[0] })
        for forms in rows(LexiconData.speechVerbs) where forms.count == 4 {
            let listener: Flags = listeners.contains(forms[0]) ? .objectCue : []
            if bareForms.contains(forms[0]) { out.append((forms[0], [.cue, .verbBase] | listener)) }
            if forms[1] != "-" { out.append((forms[1], [.cue, .verbThird] | listener)) }
            out.append((forms[2], [.cue, .verbPast] | listener))
            out.append((forms[3], [.cueGerund, .verbIng] | listener))
        }
        // Phrasal speech verbs, "particle lemma third past gerund": every form gets its particle's flag,
        // the -ing form `.phrasalGerund` too.
        let particles: [Substring: Flags] = ["back": .phrasalBack, "in": .phrasalIn, "on": .phrasalOn]
        for forms in rows(LexiconData.speechVerbsPhrasal) where forms.count == 5 {
            guard let particle = particles[forms[0]] else { continue }
            for w in forms[1...3] { out.append((w, particle)) }
            out.append((forms[4], particle | .phrasalGerund))
        }
        return out
    }
}
