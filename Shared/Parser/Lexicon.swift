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
        /// Words that say a person is a man or a woman: given names (`GivenNameLexicon`), titles (Mr., Mrs.),
        /// gendered role nouns (spokeswoman).
        static let male = Flags(rawValue: 1 << 21)
        static let female = Flags(rawValue: 1 << 22)
        /// Parties, demonyms and states standing before a name (`AffiliationLexicon`).
        static let affiliation = Flags(rawValue: 1 << 23)
        /// Words that label a line without naming a speaker: UPDATE:, WATCH:, VIDEO:.
        static let lineLabel = Flags(rawValue: 1 << 24)
        /// Forms of a phrasal speech verb and the particle it needs (`SpeechVerbLexicon.phrasalRows`):
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
        let names: [(String, Flags)] = [
            (GivenNameLexicon.male, .male), (GivenNameLexicon.female, .female), (AffiliationLexicon.words, .affiliation),
        ]
        for (words, flags) in Lexicon.entries + Lexicon.speechVerbEntries() + Lexicon.phrasalVerbEntries() + names {
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

    /// `SpeechVerbLexicon.phrasalRows` as table entries: every form gets its particle's flag, the -ing
    /// form `.phrasalGerund` too.
    private static func phrasalVerbEntries() -> [(String, Flags)] {
        let particles: [Substring: Flags] = ["back": .phrasalBack, "in": .phrasalIn, "on": .phrasalOn]
        var out: [(String, Flags)] = []
        for row in SpeechVerbLexicon.phrasalRows {
            let forms = row.split(separator: " ")
            guard forms.count == 5, let particle = particles[forms[0]] else { continue }
            out.append((forms[1...3].joined(separator: " "), particle))
            out.append((String(forms[4]), particle | .phrasalGerund))
        }
        return out
    }

    /// `SpeechVerbLexicon` as table entries: lemma and finite forms are cues, the -ing form a gerund cue,
    /// every form of a listener verb an object cue.
    private static func speechVerbEntries() -> [(String, Flags)] {
        let listeners = Set(SpeechVerbLexicon.listenerLemmas)
        let bareForms = Set(SpeechVerbLexicon.bareFormLemmas)
        var out: [(String, Flags)] = []
        out.reserveCapacity(SpeechVerbLexicon.rows.count * 3)
        for row in SpeechVerbLexicon.rows {
            let forms = row.split(separator: " ")
            guard forms.count == 4 else { continue }
            let bare = bareForms.contains(String(forms[0]))
            let present = forms.enumerated().filter { $0.element != "-" && ($0.offset > 0 || bare) }.map(\.element)
            out.append((present.dropLast().joined(separator: " "), .cue))
            out.append((String(forms[3]), .cueGerund))
            if listeners.contains(String(forms[0])) { out.append((present.joined(separator: " "), .objectCue)) }
        }
        return out
    }

    private static let entries: [(String, Flags)] = [
        // Speech verbs (`.cue`, `.cueGerund`) come from `SpeechVerbLexicon`; these are the phrasal and
        // irregular ones it does not inflect.
        ("continued labelled saying", .cue),
        ("he she", .personPronoun),
        ("it they", .groupPronoun),
        ("who which", .relative),
        ("president minister prime chancellor senator sen. governor gov. mayor general gen. chief secretary director "
            + "judge justice pope king queen prince princess dr dr. mr mr. mrs mrs. ms ms. rep. representative professor "
            + "prof. captain capt. commissioner ambassador officer sergeant lieutenant colonel col. inspector ceo chairman "
            + "chairwoman chair leader spokesman spokeswoman spokesperson coach detective superintendent deputy vice "
            + "assemblywoman assemblyman congressman congresswoman councillor councilor attorney admiral commandant "
            + "bishop archbishop cardinal rev. reverend father sister brother sheikh emir sultan premier speaker "
            + "ex-president ex-prime lord lady sir dame scientist researcher mp chief-executive envoy founder co-founder official scholar co-author author analyst expert lawyer activist witness eyewitness economist editor executive manager head",
         .title),
        ("the a an and but or nor so yet in on at of for to from by with as if when while after before since "
            + "because although though however meanwhile also this that these those there here then thus it its "
            + "his her their our my your we i you they he she despite during under over about against according "
            + "following among between into through across without within upon via per like unlike every each "
            + "some many most more several all both other another such no not only just even still where what "
            + "why how one two three four five six seven eight nine ten earlier later today yesterday tomorrow "
            + "tonight last next first second third new dear hi",
         .stop),
        ("also meanwhile earlier later then had has have was is were would will could had previously reportedly "
            + "again further once recently publicly separately repeatedly subsequently went go goes on to did does "
            + "has now still already too however yesterday today initially originally first last finally "
            + "reportedly allegedly openly privately simply quickly immediately", .skippable),
        ("ministry department council party office police army force forces corps committee commission agency "
            + "service services court bank association union company inc inc. corp corp. ltd ltd. group news times "
            + "post herald airport university college institute organization organisation church cathedral museum "
            + "station airlines airways patrol republic kingdom federation assembly parliament senate house "
            + "congress government guard navy fund foundation center centre club league reserve exchange nations "
            + "journal hospital school board brigade trust administration authority authorities embassy military team network "
            + "press tribune gazette daily agency bureau unit command coalition alliance society institution caucus",
         .orgWord),
        ("in at from to near into across with by for of on about against over under via toward towards", .preposition),
        ("the a an his her its their our my your another this that these those", .determiner),
        ("january february march april june july august september october november december monday tuesday "
            + "wednesday thursday friday saturday sunday", .calendar),
        ("new north south east west northern southern eastern western saint st st. san santa los las hong sri "
            + "saudi el united central greater upper lower", .placePrefix),
        ("was were been being is are be", .passiveAux),
        ("answer comment comments dictum explanation message motto remark remarks reply response retort slogan "
            + "statement verdict warning words", .speechNoun),
        ("statement tweet letter post message report study document release note email e-mail memo", .document),
        ("and but or that when while after before because although though if as where since until so", .clauseWord),
        ("the a an of part statement own former current acting new top senior", .generic),
        ("qc kc jr jr. sr sr. mp mep phd md", .nameSuffix),
        ("breaking correction editor exclusive live note photo photos read related source update updated video "
            + "watch", .lineLabel),
        ("he mr mr. sir lord king prince duke father brother uncle son husband congressman spokesman chairman "
            + "assemblyman businessman councilman sheikh emir sultan", .male),
        ("she mrs mrs. ms ms. miss madam mme lady dame queen princess duchess mother sister aunt daughter wife "
            + "congresswoman spokeswoman chairwoman assemblywoman businesswoman councilwoman", .female),
        ("island islands sea ocean river lake mountain mountains valley bay gulf coast peninsula region province "
            + "county city district street avenue square park bridge canal desert forest strait island "
            + "highway road airport", .placeWord),
    ]
}
