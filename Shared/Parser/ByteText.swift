import QuotewireModels

/// Byte-level helpers over UTF-8 text: classification, decoding and comparison.
///
/// Everything on the parser's hot path works on `UnsafeBufferPointer<UInt8>` and
/// byte offsets; these helpers keep that code short.
enum ByteText {
    /// ASCII letter or digit.
    @inline(__always) static func isASCIIAlnum(_ c: UInt8) -> Bool {
        (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 26
    }

    @inline(__always) static func isASCIIUpper(_ c: UInt8) -> Bool { (c &- 0x41) < 26 }
    @inline(__always) static func isASCIILower(_ c: UInt8) -> Bool { (c &- 0x61) < 26 }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { (c &- 0x30) < 10 }

    /// ASCII space, tab, CR, LF, vertical tab, form feed.
    @inline(__always) static func isASCIISpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c &- 0x09) < 5
    }

    /// Decodes the scalar at `i` (lenient: a malformed sequence gives U+FFFD and length 1).
    @inline(__always)
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
        let c0 = b[i]
        if c0 < 0x80 { return (UInt32(c0), 1) }
        let n = b.count
        if c0 >= 0xC2, c0 < 0xE0, i + 1 < n {
            return ((UInt32(c0 & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F), 2)
        }
        if c0 >= 0xE0, c0 < 0xF0, i + 2 < n {
            return ((UInt32(c0 & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F), 3)
        }
        if c0 >= 0xF0, i + 3 < n {
            let v = (UInt32(c0 & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12)
                | (UInt32(b[i + 2] & 0x3F) << 6) | UInt32(b[i + 3] & 0x3F)
            return (v, 4)
        }
        return (0xFFFD, 1)
    }

    /// The scalar that ends just before `i` (start offset and value), or nil at the start.
    @inline(__always)
    static func scalarBefore(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt32, start: Int)? {
        if i <= 0 { return nil }
        var s = i - 1
        var steps = 0
        while s > 0, b[s] & 0xC0 == 0x80, steps < 3 { s -= 1; steps += 1 }
        let (v, len) = scalar(b, s)
        if s + len != i { return (UInt32(b[i - 1]), i - 1) }
        return (v, s)
    }

    /// Unicode whitespace we meet in news text (ASCII, NBSP, the U+2000 block, U+3000).
    @inline(__always) static func isSpaceScalar(_ v: UInt32) -> Bool {
        v == 0x20 || (v &- 0x09) < 5 || v == 0xA0 || (v >= 0x2000 && v <= 0x200B) || v == 0x202F
            || v == 0x205F || v == 0x3000 || v == 0xFEFF || v == 0x200D
    }

    /// A letter or digit (ASCII fast path; other scalars by Unicode property).
    @inline(__always) static func isAlnumScalar(_ v: UInt32) -> Bool {
        if v < 0x80 { return isASCIIAlnum(UInt8(v)) }
        if v >= 0x2000 && v <= 0x206F { return false }
        if v < 0xC0 { return v == 0xAA || v == 0xB5 || v == 0xBA }
        // Latin-1 letters and Latin Extended-A and B are all alphabetic (× and ÷ are not letters).
        if v <= 0x24F { return v != 0xD7 && v != 0xF7 }
        return isAlnumByProperty(v)
    }

    /// Kept out of line: the Unicode property look-up would weigh down every caller's fast path.
    @inline(never) private static func isAlnumByProperty(_ v: UInt32) -> Bool {
        guard let s = Unicode.Scalar(v) else { return false }
        if s.properties.isAlphabetic { return true }
        if case .some = s.properties.numericType { return true }
        return false
    }

    @inline(__always) static func isUpperScalar(_ v: UInt32) -> Bool {
        if v < 0x80 { return isASCIIUpper(UInt8(v)) }
        if v < 0xC0 { return false }
        if v <= 0xFF { return v <= 0xDE && v != 0xD7 }
        return isUpperByProperty(v)
    }

    @inline(never) private static func isUpperByProperty(_ v: UInt32) -> Bool {
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isUppercase
    }

    /// Trims whitespace scalars from both ends of `start..<end`.
    static func trim(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var s = start
        var e = end
        while s < e {
            let (v, len) = scalar(b, s)
            if !isSpaceScalar(v) { break }
            s += len
        }
        while e > s, let (v, ps) = scalarBefore(b, e), ps >= s, isSpaceScalar(v) { e = ps }
        return (s, e)
    }

    /// Byte-wise equality of two ranges.
    static func equal(_ b: UnsafeBufferPointer<UInt8>, _ r1: Range<Int>, _ r2: Range<Int>) -> Bool {
        if r1.count != r2.count { return false }
        var i = r1.lowerBound
        var j = r2.lowerBound
        while i < r1.upperBound {
            if b[i] != b[j] { return false }
            i += 1
            j += 1
        }
        return true
    }

    /// Does `start..<end` begin with the ASCII `prefix`, ignoring case?
    static func hasPrefixIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        if end - start < n { return false }
        let p = prefix.utf8Start
        for k in 0..<n where (b[start + k] | 0x20) != (p[k] | 0x20) { return false }
        return true
    }

    /// Finds the ASCII `needle` inside `start..<end`; returns its start.
    static func find(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ needle: StaticString) -> Int? {
        let n = needle.utf8CodeUnitCount
        let p = needle.utf8Start
        if n == 0 || end - start < n { return nil }
        var i = start
        let last = end - n
        while i <= last {
            i = firstByte(b, p[0], i, last + 1)
            if i > last { return nil }
            var k = 1
            while k < n, b[i + k] == p[k] { k += 1 }
            if k == n { return i }
            i += 1
        }
        return nil
    }

    // MARK: Eight bytes at a time

    /// Index of the first byte equal to `c` in `start..<end`, or `end`.
    @inline(__always) static func firstByte(_ b: UnsafeBufferPointer<UInt8>, _ c: UInt8, _ start: Int, _ end: Int) -> Int {
        var i = start
        if let base = b.baseAddress {
            while i + 8 <= end {
                let m = ByteWords.equalBytes(ByteWords.word(base, i), c)
                if m != 0 { return i + m.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < end, b[i] != c { i += 1 }
        return i
    }

    /// A String from a byte range (input is valid UTF-8).
    @inline(__always) static func string(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        guard start < end else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }

    /// 64-bit FNV-1a of the ASCII-lower-cased bytes; used for lexicon look-ups.
    @inline(__always) static func lowerHash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            var c = b[i]
            if isASCIIUpper(c) { c |= 0x20 }
            h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h
    }
}

extension ByteText {
    @inline(__always) static func isASCIIAlpha(_ c: UInt8) -> Bool { ((c | 0x20) &- 0x61) < 26 }
}

/// Named ASCII bytes used by the attribution rules.
extension UInt8 {
    static let space: UInt8 = 0x20
    static let newline: UInt8 = 0x0A
    static let exclamation: UInt8 = 0x21
    static let apostrophe: UInt8 = 0x27
    static let comma: UInt8 = 0x2C
    static let hyphen: UInt8 = 0x2D
    static let period: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let question: UInt8 = 0x3F
    static let letterG: UInt8 = 0x67
    static let letterI: UInt8 = 0x69
    static let letterL: UInt8 = 0x6C
    static let letterN: UInt8 = 0x6E
    static let letterS: UInt8 = 0x73
    static let letterU: UInt8 = 0x75
    static let letterY: UInt8 = 0x79
}
