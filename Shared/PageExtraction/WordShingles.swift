/// Three-word shingles of a text, hashed: to tell which blocks of a page show the body its
/// structured data gives. Words are runs of letters and digits (ASCII compared lower-cased,
/// other scripts byte for byte); punctuation and quote marks separate them.
enum WordShingles {
    static func words(_ b: UnsafeBufferPointer<UInt8>) -> [UInt64] {
        var hashes: [UInt64] = []
        var h: UInt64 = 0
        var inWord = false
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            let isWordByte: Bool
            if c < 0x80 {
                isWordByte = ((c | 0x20) &- 0x61) < 26 || (c &- 0x30) < 10
            } else if c == 0xE2 || c == 0xC2 {
                // General and Latin-1 punctuation (quote marks, dashes, no-break space): a separator.
                if inWord { hashes.append(h); inWord = false }
                i += c == 0xE2 ? 3 : 2
                continue
            } else {
                isWordByte = true
            }
            if isWordByte {
                if !inWord { h = 0xcbf2_9ce4_8422_2325; inWord = true }
                let l = (c &- 0x41) < 26 ? c | 0x20 : c
                h = (h ^ UInt64(l)) &* 0x0000_0100_0000_01B3
            } else if inWord {
                hashes.append(h)
                inWord = false
            }
            i += 1
        }
        if inWord { hashes.append(h) }
        return hashes
    }

    /// The shingles of a word list (a text of fewer than three words is one shingle).
    static func shingles(_ words: [UInt64]) -> [UInt64] {
        guard words.count >= 3 else {
            return words.isEmpty ? [] : [words.reduce(0x9E37_79B9_7F4A_7C15) { ($0 ^ $1) &* 0x0000_0100_0000_01B3 }]
        }
        var out: [UInt64] = []
        out.reserveCapacity(words.count - 2)
        for i in 0..<(words.count - 2) {
            out.append(((words[i] &* 31) ^ (words[i + 1] &* 0x9E37_79B9_7F4A_7C15) ^ (words[i + 2] >> 7)) &+ words[i + 2])
        }
        return out
    }
}
