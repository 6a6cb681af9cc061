import QuotewireModels
/// One token of a paragraph: a word, a punctuation mark, or a whole quotation.
struct Token: Sendable {
    enum Kind: UInt8, Sendable {
        case word, comma, period, colon, semicolon, dash, openParen, closeParen, quote, other
    }

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt16
        /// First letter is upper case.
        static let capitalized = Flags(rawValue: 1)
        /// Two or more letters, all upper case (NATO, UN).
        static let allCaps = Flags(rawValue: 2)
        /// Ends in 's / ’s: `coreEnd` excludes it.
        static let possessive = Flags(rawValue: 4)
        /// Contains a digit.
        static let digit = Flags(rawValue: 8)
        /// Quote content ends with . ! or ? (for quote tokens).
        static let endsSentence = Flags(rawValue: 16)
        /// Quote content ends with a comma (for quote tokens).
        static let endsComma = Flags(rawValue: 32)
        /// Quote content ends with ? or ! (for quote tokens): a speech act that a `Name said …` may follow.
        static let endsQuestionOrExclamation = Flags(rawValue: 64)
        /// A capitalised word that the article writes as a name inside a sentence somewhere (`NameEvidence`).
        static let writtenAsName = Flags(rawValue: 128)
        /// `lex` holds the word's open classes too (`Lexicon.openClasses`); without this flag
        /// `TokenTable.has` looks them up when a rule asks.
        static let openClassesRead = Flags(rawValue: 256)
        /// A hyphen before a lower-case letter inside the word: "US-led", "pro-Kremlin".
        static let hyphenLower = Flags(rawValue: 512)
    }

    let start: Int
    let end: Int
    /// End of the word without a possessive suffix.
    let coreEnd: Int
    let kind: Kind
    var flags: Flags
    /// For quote tokens: index of the span in the scanner's list.
    let quote: Int32
    /// The word's lexicon classes (empty for punctuation and quotations), looked up once by the tokenizer;
    /// the open classes (`Lexicon.openClasses`) only with `.openClassesRead`, else `TokenTable.has` asks.
    let lex: Lexicon.Flags

    var isWord: Bool { kind == .word }
    var isCapitalized: Bool { kind == .word && flags.contains(.capitalized) }
}

/// Splits a paragraph into tokens in one pass over its bytes.
///
/// ASCII bytes are classified through a 256-entry table; only non-ASCII scalars
/// are decoded and looked up by Unicode property.
enum Tokenizer {
    /// Byte classes: the letter and digit bits, then the punctuation token kind (`kindShift`).
    private static let lowerBit: UInt8 = 1
    private static let upperBit: UInt8 = 2
    private static let digitBit: UInt8 = 4
    private static let alnumBits: UInt8 = 7
    /// Space or tab, CR, LF: skipped.
    private static let skipBit: UInt8 = 8
    private static let kindShift: UInt8 = 4

    private static let classes: [UInt8] = (0..<256).map { v -> UInt8 in
        let c = UInt8(v)
        if ByteText.isASCIILower(c) { return lowerBit }
        if ByteText.isASCIIUpper(c) { return upperBit }
        if ByteText.isDigit(c) { return digitBit }
        if c >= 0x80 { return 0 }
        let kind: Token.Kind
        switch c {
        case 0x20, 0x09, 0x0D, 0x0A: return skipBit
        case 0x2C: kind = .comma
        case 0x2E, 0x21, 0x3F: kind = .period
        case 0x3A: kind = .colon
        case 0x3B: kind = .semicolon
        case 0x28, 0x5B: kind = .openParen
        case 0x29, 0x5D: kind = .closeParen
        case 0x2D: kind = .dash
        default: kind = .other
        }
        return kind.rawValue << kindShift
    }

    /// `regions`: quote regions inside this paragraph, sorted: (byte range from mark to mark, quote index, flags).
    /// Appends the paragraph's tokens to `tokens`, each word with its `lexicon` classes, and notes its
    /// capitalised words and headline-case counts in `notes` (so that no later pass reads every token).
    static func tokenize(
        _ b: UnsafeBufferPointer<UInt8>, _ para: Range<Int>, regions: ArraySlice<(Range<Int>, Int32, Token.Flags)>,
        lexicon: Lexicon, into tokens: inout [Token], notes: inout ParagraphNotes
    ) {
        let first = tokens.count
        defer { markPhrasalCues(b, &tokens, from: first) }
        classes.withUnsafeBufferPointer { cls in
            var i = para.lowerBound
            let end = para.upperBound
            var r = regions.startIndex
            var nextRegion = r < regions.endIndex ? regions[r].0.lowerBound : Int.max
            while i < end {
                if i >= nextRegion {
                    let (range, q, f) = regions[r]
                    tokens.append(Token(start: range.lowerBound, end: range.upperBound, coreEnd: range.upperBound,
                                        kind: .quote, flags: f, quote: q, lex: []))
                    i = max(i, range.upperBound)
                    r += 1
                    nextRegion = r < regions.endIndex ? regions[r].0.lowerBound : Int.max
                    continue
                }
                let c = b[i]
                if c < 0x80 {
                    let k = cls[Int(c)]
                    if k & alnumBits != 0 {
                        i = word(b, cls, i, min(end, nextRegion), lexicon, &tokens, &notes)
                    } else {
                        if k & skipBit == 0, let kind = Token.Kind(rawValue: k >> kindShift) {
                            tokens.append(Token(start: i, end: i &+ 1, coreEnd: i &+ 1, kind: kind, flags: [], quote: -1, lex: []))
                        }
                        i &+= 1
                    }
                    continue
                }
                let (v, len) = ByteText.scalar(b, i)
                if v == 0x2014 || v == 0x2013 || v == 0x2015 {
                    tokens.append(Token(start: i, end: i + len, coreEnd: i + len, kind: .dash, flags: [], quote: -1, lex: []))
                } else if ByteText.isAlnumScalar(v) {
                    i = word(b, cls, i, min(end, nextRegion), lexicon, &tokens, &notes)
                    continue
                } else if !ByteText.isSpaceScalar(v) {
                    tokens.append(Token(start: i, end: i + len, coreEnd: i + len, kind: .other, flags: [], quote: -1, lex: []))
                }
                i += len
            }
        }
    }

    /// A phrasal speech verb (`fired back`, `cut in`, `went on`) is a cue only with its particle right
    /// after it: where the particle follows, the verb's token gains `.cue` (or `.cueGerund`).
    private static func markPhrasalCues(_ b: UnsafeBufferPointer<UInt8>, _ tokens: inout [Token], from first: Int) {
        var i = first
        while i + 1 < tokens.count {
            let t = tokens[i]
            if t.lex.any(Lexicon.Flags.phrasalParticles), tokens[i + 1].kind == .word,
               Lexicon.particleMatches(t.lex, b, tokens[i + 1].start, tokens[i + 1].end) {
                let cue: Lexicon.Flags = t.lex.contains(.phrasalGerund) ? .cueGerund : .cue
                tokens[i] = Token(start: t.start, end: t.end, coreEnd: t.coreEnd, kind: t.kind, flags: t.flags,
                                  quote: t.quote, lex: t.lex | cue)
            }
            i += 1
        }
    }

    /// Abbreviations that swallow their dot, packed little-endian (lower case) by length 2...4.
    private static let abbreviations: [UInt32] = [
        "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "del", "lt", "col", "capt", "prof", "rev",
        "no", "vs", "mt", "ft", "inc", "corp", "ltd", "co", "sgt", "maj", "cmdr", "adm", "supt", "insp", "det",
    ].map { word in word.utf8.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

    /// Is `start..<end` one of the abbreviations, ignoring ASCII case?
    private static func isAbbreviation(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let n = end - start
        guard n >= 2, n <= 4 else { return false }
        var packed: UInt32 = 0
        for k in stride(from: end - 1, through: start, by: -1) {
            let c = b[k]
            packed = packed << 8 | UInt32(ByteText.isASCIIUpper(c) ? c | 0x20 : c)
        }
        return abbreviations.contains(packed)
    }

    /// The leading ASCII letters and digits of eight packed bytes: how many, how many of them are
    /// capitals and lower-case letters (each counted up to 2: the callers only ask for 0, 1 or
    /// "2 or more"), and whether one is a digit.
    @inline(__always) private static func asciiAlnumRun(_ w: UInt64) -> (length: Int, upper: Int, lower: Int, digit: Bool) {
        let low = ByteWords.lowBits
        let high = ByteWords.highBits
        let x = w & ~high
        // High bit of each byte set where the byte is at least `c` (x has no high bits, so no carries).
        func atLeast(_ c: UInt64) -> UInt64 { (x &+ low &* (0x80 - c)) & high }
        let upperBytes = atLeast(0x41) & ~atLeast(0x5B)
        let lowerBytes = atLeast(0x61) & ~atLeast(0x7B)
        let digitBytes = atLeast(0x30) & ~atLeast(0x3A)
        let other = ~(upperBytes | lowerBytes | digitBytes) & high | (w & high)
        let length = other == 0 ? 8 : other.trailingZeroBitCount >> 3
        let inRun: UInt64 = length == 8 ? ~0 : (1 << UInt64(length * 8)) &- 1
        func upToTwo(_ m: UInt64) -> Int { m == 0 ? 0 : m & (m &- 1) == 0 ? 1 : 2 }
        return (length, upToTwo(upperBytes & inRun), upToTwo(lowerBytes & inRun), digitBytes & inRun != 0)
    }

    /// Reads a word starting at `start`; returns the index after it.
    private static func word(
        _ b: UnsafeBufferPointer<UInt8>, _ cls: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ lexicon: Lexicon,
        _ tokens: inout [Token], _ notes: inout ParagraphNotes
    ) -> Int {
        var i = start
        var flags: Token.Flags = []
        var upper = 0
        var lower = 0
        var digit: UInt8 = 0
        var segment = 0
        let c0 = b[start]
        if c0 < 0x80 ? cls[Int(c0)] & upperBit != 0 : ByteText.isUpperScalar(ByteText.scalar(b, start).value) {
            flags.insert(.capitalized)
        }
        while i < end {
            if let base = b.baseAddress, i + 8 <= end {
                // Eight bytes at a time through the run of ASCII letters and digits.
                let run = asciiAlnumRun(ByteWords.word(base, i))
                upper &+= run.upper
                lower &+= run.lower
                if run.digit { digit |= digitBit }
                segment &+= run.length
                i &+= run.length
                if run.length == 8 { continue }
            }
            let c = b[i]
            if c < 0x80 {
                let k = cls[Int(c)]
                if k & alnumBits != 0 {
                    upper &+= Int(k >> 1 & 1)
                    lower &+= Int(k & 1)
                    digit |= k
                    segment &+= 1
                    i &+= 1
                    continue
                }
                // Joiners inside a word: apostrophe, hyphen, a dot in U.S. or 2.5, a digit group comma.
                if i + 1 < end {
                    let n = b[i + 1]
                    if (c == 0x27 || c == 0x2D || c == 0x26) && (ByteText.isASCIIAlnum(n) || n >= 0xC0) {
                        if c == 0x2D, ByteText.isASCIILower(n) { flags.insert(.hyphenLower) }
                        i += 1; segment = 0; continue
                    }
                    if c == 0x2E, segment == 1, ByteText.isASCIIAlpha(n) { i += 1; segment = 0; continue }
                    if (c == 0x2E || c == 0x2C), digit & digitBit != 0, ByteText.isDigit(n), ByteText.isDigit(b[i - 1]) {
                        i += 1; segment = 0; continue
                    }
                }
                break
            }
            let (v, len) = ByteText.scalar(b, i)
            if v == 0x2019, i + len < end, ByteText.isAlnumScalar(ByteText.scalar(b, i + len).value) {
                i += len; segment = 0; continue
            }
            if ByteText.isAlnumScalar(v) {
                if ByteText.isUpperScalar(v) { upper += 1 } else { lower += 1 }
                segment += 1
                i += len
                continue
            }
            break
        }
        if digit & digitBit != 0 { flags.insert(.digit) }
        // An abbreviation swallows its dot: Mr. Dr. U.S. K.
        if i < end, b[i] == 0x2E, (segment == 1 && upper > 0) || isAbbreviation(b, start, i) { i += 1 }
        if upper >= 2 && lower == 0 { flags.insert(.allCaps) }
        var coreEnd = i
        if i - start >= 3, b[i - 1] == 0x73 || b[i - 1] == 0x53 {
            if b[i - 2] == 0x27 { coreEnd = i - 2; flags.insert(.possessive) }
            else if i - start >= 5, b[i - 2] == 0x99, b[i - 3] == 0x80, b[i - 4] == 0xE2 { coreEnd = i - 4; flags.insert(.possessive) }
        }
        // One key and hash of the word for both tables. A capitalised word's open classes decide whether
        // it may be a name (`isNameWord`), so they are looked up here, unless a closed class or a given
        // name already decides it ("The", "He", "Mary"); a lower-case word's only where a rule asks
        // (`TokenTable.has`).
        var lex: Lexicon.Flags = []
        let capitalised = flags.contains(.capitalized)
        var nameHash: UInt64 = 0
        if i - start <= Lexicon.maxWordLength {
            let (lo, hi) = Lexicon.key(b, start, i)
            let h = Lexicon.hash(lo, hi)
            lex = lexicon.flags(lo, hi, h)
            if capitalised, !lex.any(TokenTable.decidedWithoutOpenClasses) {
                lex = lex | lexicon.openFlags(lo, hi, h)
                flags.insert(.openClassesRead)
            }
            if capitalised, coreEnd == i { nameHash = h }
        }
        if capitalised {
            if nameHash == 0 { nameHash = NameEvidence.hash(b, start, coreEnd) }
            notes.capitals.append(CapitalWord(token: Int32(tokens.count), hash: nameHash,
                                              insideSentence: !TokenTable.opensSentence(tokens, tokens.count)))
        }
        if !lex.any(TokenTable.nameLike), !flags.contains(.digit) {
            if !capitalised { notes.lowerCandidates += 1 } else if lex.any(.commonWord) { notes.capitalisedCommon += 1 }
        }
        tokens.append(Token(start: start, end: i, coreEnd: coreEnd, kind: .word, flags: flags, quote: -1, lex: lex))
        return i
    }
}

/// What the tokenizer notes beside the tokens, for the passes over the whole article.
struct ParagraphNotes {
    /// The capitalised words of every paragraph read so far, in order (`token` counts within its paragraph).
    var capitals: [CapitalWord] = []
    /// Capitalised words of an open class and no closed one ("Corners", "Afterwards"): `isHeadlineCase`.
    var capitalisedCommon = 0
    /// Lower-case words of no closed class, common or not: an upper bound on the lower-case common words.
    var lowerCandidates = 0

    /// Resets the counts, which are the current paragraph's.
    mutating func startParagraph() {
        capitalisedCommon = 0
        lowerCandidates = 0
    }
}

/// A capitalised word of a paragraph: its token, the hash `NameEvidence` keeps, and whether it
/// stands inside a sentence (not at its start), where a capital is evidence of a name.
struct CapitalWord {
    let token: Int32
    let hash: UInt64
    let insideSentence: Bool
}
