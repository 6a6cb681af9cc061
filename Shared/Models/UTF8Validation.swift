/// The project's one UTF-8 well-formedness check, for the parser's hot path (is this buffer
/// valid?) and for error messages (where does it stop being valid?).
///
/// Strict, as Unicode defines well-formed UTF-8: overlong forms, UTF-16 surrogates
/// (U+D800…U+DFFF), values above U+10FFFF, stray continuation bytes and sequences cut short
/// are all invalid. It agrees with `String(validating:as:)`, and is quicker on the mostly-ASCII
/// text of news articles: ASCII is skipped eight bytes at a time.
public enum UTF8Validation {
    /// Whether all of `bytes` is well-formed UTF-8 (an empty buffer is).
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstInvalidOffset(bytes) == nil
    }

    /// The offset of the first byte of the first ill-formed sequence in `bytes`, or nil when all
    /// of it is well-formed UTF-8.
    public static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        var i = 0
        while i < n {
            if i + 8 <= n {
                let nonASCII = ByteWords.word(base, i) & ByteWords.highBits
                if nonASCII == 0 {
                    i += 8
                    continue
                }
                // Straight to the first byte with its high bit set (the word is little-endian).
                i += nonASCII.trailingZeroBitCount >> 3
            }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            // The sequence's length, and the range its second byte must fall in: the narrow
            // ranges after E0, ED, F0 and F4 exclude overlong forms, surrogates and values
            // above U+10FFFF.
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i  // a continuation byte, C0/C1 (always overlong) or F5…FF
            }
            guard length <= n - i else { return i }
            let second = base[i + 1]
            guard second >= low, second <= high else { return i }
            if length >= 3, base[i + 2] & 0xC0 != 0x80 { return i }
            if length == 4, base[i + 3] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// ``firstInvalidOffset(_:)`` for any collection of bytes (`Data`, an array, a slice).
    public static func firstInvalidOffset(in bytes: some Collection<UInt8>) -> Int? {
        // The outer optional says whether the storage was contiguous; the inner one is the answer.
        if let answer = bytes.withContiguousStorageIfAvailable({ firstInvalidOffset($0) }) {
            return answer
        }
        return Array(bytes).withUnsafeBufferPointer { firstInvalidOffset($0) }
    }
}
