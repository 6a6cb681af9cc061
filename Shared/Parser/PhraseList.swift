/// A word list whose entries may be phrases (`read more`, `getty images`, `photo:`), matched on the
/// text's bytes, ASCII case ignored, at word boundaries: the page-structure layer classifies lines with
/// these before anything is tokenized.
///
/// Entries are bucketed by their first two bytes (lower-cased), so a position no entry can start at is
/// turned away by one bit test; the longest entry that matches wins.
struct PhraseList: Sendable {
    /// Entries, lower-cased, longest first.
    private let entries: [[UInt8]]
    /// For each first byte: indexes into `entries` of the entries starting with it, longest first.
    private let buckets: [[Int32]]
    /// One bit per (first byte, second byte) pair some entry starts with (a one-byte entry sets every
    /// second byte of its first).
    private let pairs: [UInt64]

    /// A list from a lexicon file's text: one entry per line.
    init(_ list: String) {
        let words = list.split(separator: "\n").map { Array($0.utf8).map(PhraseList.lower) }.filter { !$0.isEmpty }
        let sorted = words.sorted { $0.count > $1.count }
        var buckets = [[Int32]](repeating: [], count: 256)
        var pairs = [UInt64](repeating: 0, count: 1024)
        for (k, w) in sorted.enumerated() {
            buckets[Int(w[0])].append(Int32(k))
            let seconds = w.count > 1 ? [w[1]] : Array(0...255)
            for s in seconds {
                let bit = Int(w[0]) << 8 | Int(s)
                pairs[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        entries = sorted
        self.buckets = buckets
        self.pairs = pairs
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { ByteText.isASCIIUpper(c) ? c | 0x20 : c }

    /// Could an entry start at `i` (limit `end`)? One bit test.
    @inline(__always) func mayStart(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        guard i < end else { return false }
        let second = i + 1 < end ? Self.lower(b[i + 1]) : 0
        let bit = Int(Self.lower(b[i])) << 8 | Int(second)
        return pairs.withUnsafeBufferPointer { $0[bit >> 6] >> UInt64(bit & 63) & 1 != 0 }
    }

    /// The end of the longest entry matching at `i` (not past `end`) and ending at a word boundary.
    func match(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        guard mayStart(b, i, end) else { return nil }
        for k in buckets[Int(Self.lower(b[i]))] {
            let w = entries[Int(k)]
            guard i + w.count <= end else { continue }
            var j = 1
            while j < w.count, Self.lower(b[i + j]) == w[j] { j += 1 }
            if j == w.count, Self.endsWord(b, w, i + j, end) { return i + j }
        }
        return nil
    }

    /// Is `start..<end` exactly one entry?
    func matchesWhole(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        match(b, at: start, end: end) == end
    }

    /// The first entry found at a word start in `start..<end`.
    func firstMatch(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int>? {
        var i = start
        while i < end {
            if (i == start || !PhraseList.isWordByte(b[i - 1])), let e = match(b, at: i, end: end) { return i..<e }
            i += 1
        }
        return nil
    }

    /// An entry that ends in a letter or digit must not run on into a longer word.
    @inline(__always) private static func endsWord(_ b: UnsafeBufferPointer<UInt8>, _ w: [UInt8], _ j: Int, _ end: Int) -> Bool {
        guard let last = w.last, isWordByte(last), j < end else { return true }
        return !isWordByte(b[j])
    }

    /// A byte that continues a word: an ASCII letter or digit, or a byte of a non-ASCII letter
    /// (punctuation from U+2000 on, dashes and curly quotes, does not).
    @inline(__always) static func isWordByte(_ c: UInt8) -> Bool {
        ByteText.isASCIIAlnum(c) || (c >= 0x80 && c != 0xE2)
    }
}
