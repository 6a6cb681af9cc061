/// One token of a paragraph: a word, a punctuation mark, or a whole quotation.
struct Token: Sendable {
    enum Kind: UInt8, Sendable {
        case word, comma, period, colon, semicolon, dash, openParen, closeParen, quote, other
    }

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
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
    }

    var start: Int
    var end: Int
    /// End of the word without a possessive suffix.
    var coreEnd: Int
    var kind: Kind
    var flags: Flags
    /// For quote tokens: index of the span in the scanner's list.
    var quote: Int32
    /// Cached lexicon flags (computed lazily; `UInt32.max` = not yet).
    var lex: UInt32 = .max

    var isWord: Bool { kind == .word }
    var isCapitalized: Bool { kind == .word && flags.contains(.capitalized) }
}

/// Tokens of one paragraph, with quotations collapsed into single `.quote` tokens.
struct TokenizedParagraph: Sendable {
    var range: Range<Int>
    var tokens: [Token]
}

/// Splits a paragraph into tokens in one pass over its bytes.
enum Tokenizer {
    /// `regions`: quote regions inside this paragraph, sorted: (byte range from mark to mark, quote index, flags).
    static func tokenize(
        _ b: UnsafeBufferPointer<UInt8>, _ para: Range<Int>, regions: ArraySlice<(Range<Int>, Int32, Token.Flags)>
    ) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(para.count / 5 + 4)
        var i = para.lowerBound
        let end = para.upperBound
        var r = regions.startIndex
        var nextRegion = r < regions.endIndex ? regions[r].0.lowerBound : Int.max
        while i < end {
            if i >= nextRegion {
                let (range, q, f) = regions[r]
                tokens.append(Token(start: range.lowerBound, end: range.upperBound, coreEnd: range.upperBound,
                                    kind: .quote, flags: f, quote: q))
                i = max(i, range.upperBound)
                r += 1
                nextRegion = r < regions.endIndex ? regions[r].0.lowerBound : Int.max
                continue
            }
            let c = b[i]
            if c < 0x80 {
                if ByteText.isASCIIAlnum(c) {
                    i = word(b, i, min(end, nextRegion), &tokens)
                    continue
                }
                var kind: Token.Kind?
                switch c {
                case 0x2C: kind = .comma
                case 0x2E, 0x21, 0x3F: kind = .period
                case 0x3A: kind = .colon
                case 0x3B: kind = .semicolon
                case 0x28, 0x5B: kind = .openParen
                case 0x29, 0x5D: kind = .closeParen
                case 0x2D: kind = .dash
                case 0x20, 0x09, 0x0D, 0x0A: kind = nil
                default: kind = .other
                }
                if let kind {
                    tokens.append(Token(start: i, end: i + 1, coreEnd: i + 1, kind: kind, flags: [], quote: -1))
                }
                i += 1
                continue
            }
            let (v, len) = ByteText.scalar(b, i)
            if v == 0x2014 || v == 0x2013 {
                tokens.append(Token(start: i, end: i + len, coreEnd: i + len, kind: .dash, flags: [], quote: -1))
            } else if ByteText.isAlnumScalar(v) {
                i = word(b, i, min(end, nextRegion), &tokens)
                continue
            } else if !ByteText.isSpaceScalar(v) {
                tokens.append(Token(start: i, end: i + len, coreEnd: i + len, kind: .other, flags: [], quote: -1))
            }
            i += len
        }
        return tokens
    }

    private static let abbreviations: [StaticString] = [
        "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "lt", "col", "capt", "prof", "rev",
        "no", "vs", "mt", "ft", "inc", "corp", "ltd", "co", "sgt", "maj", "cmdr", "adm", "supt", "insp", "det",
    ]

    /// Reads a word starting at `start`; returns the index after it.
    private static func word(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ tokens: inout [Token]) -> Int {
        var i = start
        var flags: Token.Flags = []
        var upper = 0
        var lower = 0
        var segment = 0
        let (v0, _) = ByteText.scalar(b, start)
        if ByteText.isUpperScalar(v0) { flags.insert(.capitalized) }
        while i < end {
            let c = b[i]
            if c < 0x80 {
                if ByteText.isASCIIAlnum(c) {
                    if ByteText.isASCIIUpper(c) { upper += 1 } else if ByteText.isASCIILower(c) { lower += 1 } else { flags.insert(.digit) }
                    segment += 1
                    i += 1
                    continue
                }
                // Joiners inside a word: apostrophe, hyphen, a dot in U.S. or 2.5, a digit group comma.
                if i + 1 < end {
                    let n = b[i + 1]
                    if (c == 0x27 || c == 0x2D || c == 0x26) && (ByteText.isASCIIAlnum(n) || n >= 0xC0) {
                        i += 1; segment = 0; continue
                    }
                    if c == 0x2E, segment == 1, ByteText.isASCIIAlpha(n) { i += 1; segment = 0; continue }
                    if (c == 0x2E || c == 0x2C), flags.contains(.digit), ByteText.isDigit(n), ByteText.isDigit(b[i - 1]) {
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
        // An abbreviation swallows its dot: Mr. Dr. U.S. K.
        if i < end, b[i] == 0x2E {
            if segment == 1 && upper > 0 {
                i += 1
            } else {
                for a in abbreviations where i - start == a.utf8CodeUnitCount
                    && ByteText.hasPrefixIgnoringCase(b, start, i, a) {
                    i += 1
                    break
                }
            }
        }
        if upper >= 2 && lower == 0 { flags.insert(.allCaps) }
        var coreEnd = i
        if i - start >= 3, b[i - 1] == 0x73 || b[i - 1] == 0x53 {
            if b[i - 2] == 0x27 { coreEnd = i - 2; flags.insert(.possessive) }
            else if i - start >= 5, b[i - 2] == 0x99, b[i - 3] == 0x80, b[i - 4] == 0xE2 { coreEnd = i - 4; flags.insert(.possessive) }
        }
        tokens.append(Token(start: start, end: i, coreEnd: coreEnd, kind: .word, flags: flags, quote: -1))
        return i
    }
}
