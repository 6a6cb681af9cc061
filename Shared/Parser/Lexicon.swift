/// Word classes the attribution logic needs, looked up by a lower-cased hash.
///
/// The table is keyed by the word's own bytes (up to 16, lower-cased eight at a
/// time), so a look-up costs two loads, a multiply and a probe or two: no `String`
/// is made and no per-byte hashing is done.
struct Lexicon: Sendable {
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt32
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

        /// Shares any flag with `f` (a plain bit test).
        @inline(__always) func any(_ f: Flags) -> Bool { rawValue & f.rawValue != 0 }

        /// Union without the generic SetAlgebra machinery.
        @inline(__always) static func | (a: Flags, b: Flags) -> Flags { Flags(rawValue: a.rawValue | b.rawValue) }
    }

    /// Open-addressing table of words up to 16 bytes, keyed by their lower-cased bytes
    /// packed little-endian into two words (zero-padded): a look-up compares keys
    /// exactly, so it never confuses two words.
    private let slots: [Slot]
    private let mask: Int
    /// One bit per value of the hash's low 16 bits, set for the words in the table: most words of a
    /// text are not in it, and this 8 KB filter (which stays in the L1 cache) turns nearly all of them
    /// away without touching the table.
    private let filter: [UInt64]

    private struct Slot {
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        var flags: UInt32 = 0
    }

    /// Longest word the table holds; longer words have no flags.
    static let maxWordLength = 16

    static let shared = Lexicon()

    init() {
        let size = 4096
        var slots = [Slot](repeating: Slot(), count: size)
        var filter = [UInt64](repeating: 0, count: 1024)
        mask = size - 1
        for (words, flags) in Lexicon.lists + Lexicon.speechVerbEntries() + Lexicon.phrasalVerbEntries() {
            for w in words.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let bytes = Array(w.utf8)
                guard bytes.count <= Self.maxWordLength else { continue }
                let (lo, hi) = bytes.withUnsafeBufferPointer { Self.key($0, 0, $0.count) }
                let h = Self.hash(lo, hi)
                let bit = Self.filterBit(h)
                filter[bit >> 6] |= 1 << UInt64(bit & 63)
                var i = Self.slot(h) & mask
                while slots[i].lo != 0, slots[i].lo != lo || slots[i].hi != hi { i = (i + 1) & mask }
                slots[i].lo = lo
                slots[i].hi = hi
                slots[i].flags |= flags.rawValue
            }
        }
        self.slots = slots
        self.filter = filter
    }

    /// The flags of the word at `start..<end` (ASCII case ignored).
    @inline(__always) func flags(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Flags {
        let n = end - start
        guard n > 0, n <= Self.maxWordLength else { return [] }
        let (lo, hi) = Self.key(b, start, end)
        let h = Self.hash(lo, hi)
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

    /// One hash of a key, which both the filter and the table take their bits from.
    @inline(__always) private static func hash(_ lo: UInt64, _ hi: UInt64) -> UInt64 {
        (lo &* 0x9E37_79B9_7F4A_7C15) ^ (hi &* 0xC2B2_AE3D_27D4_EB4F)
    }

    /// The filter's bit: 16 bits of the hash that `slot` does not use.
    @inline(__always) private static func filterBit(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> 8) & 0xFFFF }

    /// The table's first slot for a hash (before masking).
    @inline(__always) private static func slot(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> 40) }

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

    /// The word lists (`Lexicons/*.txt`, embedded as `LexiconData`) and the classes each gives its words.
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
        (LexiconData.givenNamesMale, .male), (LexiconData.givenNamesFemale, .female),
        (LexiconData.affiliations, .affiliation),
    ]

    /// The rows of a list: its lines, each split at spaces.
    static func rows(_ list: String) -> [[Substring]] {
        list.split(separator: "\n").map { $0.split(separator: " ") }
    }

    /// `speech-verbs-phrasal.txt` ("particle lemma third past gerund") as table entries: every form gets
    /// its particle's flag, the -ing form `.phrasalGerund` too.
    private static func phrasalVerbEntries() -> [(String, Flags)] {
        let particles: [Substring: Flags] = ["back": .phrasalBack, "in": .phrasalIn, "on": .phrasalOn]
        var out: [(String, Flags)] = []
        for forms in rows(LexiconData.speechVerbsPhrasal) {
            guard forms.count == 5, let particle = particles[forms[0]] else { continue }
            out.append((forms[1...3].joined(separator: " "), particle))
            out.append((String(forms[4]), particle | .phrasalGerund))
        }
        return out
    }

    /// `speech-verbs.txt` ("lemma third past gerund") as table entries: finite forms (and the lemma of
    /// `speech-verbs-bare-form.txt`'s verbs) are cues, the -ing form a gerund cue, every form of a
    /// `listener-verbs.txt` verb an object cue.
    private static func speechVerbEntries() -> [(String, Flags)] {
        let listeners = Set(rows(LexiconData.listenerVerbs).map { String($0[0]) })
        let bareForms = Set(rows(LexiconData.speechVerbsBareForm).map { String($0[0]) })
        var out: [(String, Flags)] = []
        for forms in rows(LexiconData.speechVerbs) {
            guard forms.count == 4 else { continue }
            let bare = bareForms.contains(String(forms[0]))
            let present = forms.enumerated().filter { $0.element != "-" && ($0.offset > 0 || bare) }.map(\.element)
            out.append((present.dropLast().joined(separator: " "), .cue))
            out.append((String(forms[3]), .cueGerund))
            if listeners.contains(String(forms[0])) { out.append((present.joined(separator: " "), .objectCue)) }
        }
        return out
    }
}
