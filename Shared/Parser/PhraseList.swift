/// A word list whose entries may be phrases (`read more`, `getty images`, `photo:`), matched on the
/// text's bytes, ASCII case ignored, at word boundaries: the page-structure layer classifies lines with
/// these before anything is tokenized. Several lists may share one `PhraseList`, each entry keeping the
/// tag of its list, so that one scan of a line looks for all of them.
///
/// Entries are bucketed by their first byte, longest first, so the longest entry that matches wins; they
/// are kept in flat arrays, so a look-up touches no reference counts. In front of the buckets sits a
/// filter that turns nearly every position away with a bit test or two: four 4096-bit tables, of the
/// first byte of one-byte entries, and of the hashed first two, four and eight bytes of the entries of
/// two to three, four to seven, and eight or more bytes.
struct PhraseList: Sendable {
    /// The entries' bytes, lower-cased, one after another: grouped by first byte, longest first in a group.
    private let bytes: [UInt8]
    /// Entry `k` is `bytes[starts[k]..<starts[k + 1]]`.
    private let starts: [Int32]
    private let tags: [UInt8]
    /// The entries starting with byte `c` are `bucketStarts[c]..<bucketStarts[c + 1]`.
    private let bucketStarts: [Int32]
    /// The filter: table `t` (0: one byte, 1: two, 2: four, 3: eight) is words `64 * t ..< 64 * (t + 1)`.
    private let filter: [UInt64]
    /// Which of the four tables hold anything (bit `t`).
    private let tiers: UInt8
    /// The first letters of the entries, as bits of a mask (bit 0 for `a`, …, bit 25 for `z`).
    let firstLetters: UInt32
    /// The longest entry, in bytes.
    let maxLength: Int

    /// A list from a lexicon file's text: one entry per line.
    init(_ list: String) { self.init([(list, 0)]) }

    /// One list from several, each entry tagged with its list's tag.
    init(_ lists: [(String, UInt8)]) {
        var tagged: [([UInt8], UInt8)] = []
        for (list, tag) in lists {
            for line in list.split(separator: "\n") where !line.isEmpty {
                tagged.append((Array(line.utf8).map(PhraseList.lower), tag))
            }
        }
        tagged.sort { ($0.0[0], $1.0.count) < ($1.0[0], $0.0.count) }
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var bucketStarts = [Int32](repeating: 0, count: 257)
        var filter = [UInt64](repeating: 0, count: 256)
        var tiers: UInt8 = 0
        var letters: UInt32 = 0
        for (w, _) in tagged {
            starts.append(Int32(bytes.count))
            bytes.append(contentsOf: w)
            bucketStarts[Int(w[0]) + 1] += 1
            var packed: UInt64 = 0
            for (k, c) in w.prefix(8).enumerated() { packed |= UInt64(c) << UInt64(8 * k) }
            let tier = w.count >= 8 ? 3 : w.count >= 4 ? 2 : w.count >= 2 ? 1 : 0
            let bit = Self.filterBit(tier, packed)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
            tiers |= 1 << UInt8(tier)
            if ByteText.isASCIILower(w[0]) { letters |= 1 << UInt32(w[0] - 0x61) }
        }
        starts.append(Int32(bytes.count))
        for c in 0..<256 { bucketStarts[c + 1] += bucketStarts[c] }
        self.bytes = bytes
        self.starts = starts
        tags = tagged.map(\.1)
        self.bucketStarts = bucketStarts
        self.filter = filter
        self.tiers = tiers
        firstLetters = letters
        maxLength = tagged.map(\.0.count).max() ?? 0
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { ByteText.isASCIIUpper(c) ? c | 0x20 : c }

    /// The ASCII capitals among eight packed bytes in lower case.
    @inline(__always) private static func lower8(_ x: UInt64) -> UInt64 {
        let seven = x & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = seven &+ 0x3F3F_3F3F_3F3F_3F3F  // 0x80 - 0x41 in each byte
        let pastZ = seven &+ 0x2525_2525_2525_2525  // 0x80 - 0x5B
        return x | ((atLeastA & ~pastZ & ~x & 0x8080_8080_8080_8080) >> 2)
    }

    /// The filter bit of table `tier` for the lower-cased bytes packed in `x` (the first 1, 2, 4 or 8 of them).
    @inline(__always) private static func filterBit(_ tier: Int, _ x: UInt64) -> Int {
        switch tier {
        case 0: return Int(x & 0xFF)
        case 1: return 64 * 64 + Int(((x & 0xFFFF) &* 0x9E37_79B9_7F4A_7C15) >> 52)
        case 2: return 2 * 64 * 64 + Int(((x & 0xFFFF_FFFF) &* 0x9E37_79B9_7F4A_7C15) >> 52)
        default: return 3 * 64 * 64 + Int((x &* 0x9E37_79B9_7F4A_7C15) >> 52)
        }
    }

    @inline(__always) private func has(_ bit: Int) -> Bool {
        filter.withUnsafeBufferPointer { $0[bit >> 6] >> UInt64(bit & 63) & 1 != 0 }
    }

    /// May an entry start with the ASCII letter `c` (either case)?
    @inline(__always) func mayStart(letter c: UInt8) -> Bool {
        let k = (c | 0x20) &- 0x61
        return k < 26 && firstLetters >> UInt32(k) & 1 != 0
    }

    /// Could an entry start at `i` (limit `end`)? A bit test per table that holds entries.
    @inline(__always) func mayStart(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        guard i < end, let base = b.baseAddress else { return false }
        if tiers & 1 != 0, has(Self.filterBit(0, UInt64(Self.lower(b[i])))) { return true }
        let n = end - i
        guard n >= 2 else { return false }
        var x: UInt64
        if i + 8 <= b.count {
            x = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
        } else {
            x = 0
            for k in 0..<min(n, 8) { x |= UInt64(b[i + k]) << UInt64(8 * k) }
        }
        x = Self.lower8(x)
        if tiers & 2 != 0, has(Self.filterBit(1, x)) { return true }
        if n >= 4, tiers & 4 != 0, has(Self.filterBit(2, x)) { return true }
        return n >= 8 && tiers & 8 != 0 && has(Self.filterBit(3, x))
    }

    /// The end and tag of the longest entry matching at `i` (not past `end`) and ending at a word boundary.
    func tagged(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (end: Int, tag: UInt8)? {
        guard mayStart(b, i, end) else { return nil }
        let c = Int(Self.lower(b[i]))
        return bytes.withUnsafeBufferPointer { w in
            starts.withUnsafeBufferPointer { st in
                var k = Int(bucketStarts[c])
                let last = Int(bucketStarts[c + 1])
                while k < last {
                    defer { k += 1 }
                    let ws = Int(st[k])
                    let n = Int(st[k + 1]) - ws
                    guard i + n <= end else { continue }
                    var j = 1
                    while j < n, Self.lower(b[i + j]) == w[ws + j] { j += 1 }
                    guard j == n else { continue }
                    // An entry that ends in a letter or digit must not run on into a longer word.
                    if i + n < end, Self.isWordByte(w[ws + n - 1]), Self.isWordByte(b[i + n]) { continue }
                    return (i + n, tags[k])
                }
                return nil
            }
        }
    }

    /// The end of the longest entry matching at `i` (not past `end`) and ending at a word boundary.
    @inline(__always) func match(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        tagged(b, at: i, end: end)?.end
    }

    /// Is `start..<end` exactly one entry?
    func matchesWhole(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        match(b, at: start, end: end) == end
    }

    /// The tag of the first entry found at a word start in `start..<end` (entries that open with a letter or
    /// a digit: the scan goes from word to word).
    func firstTag(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt8? {
        var i = start
        while i < end {
            if mayStart(letter: b[i]), mayStart(b, i, end), let m = tagged(b, at: i, end: end) { return m.tag }
            // On to the next word: past the next space, then past what opens no word.
            i += 1
            while i < end, b[i] != .space { i += 1 }
            while i < end, !PhraseList.isWordByte(b[i]) { i += 1 }
        }
        return nil
    }

    /// A byte that continues a word: an ASCII letter or digit, or a byte of a non-ASCII letter
    /// (punctuation from U+2000 on, dashes and curly quotes, does not).
    @inline(__always) static func isWordByte(_ c: UInt8) -> Bool {
        ByteText.isASCIIAlnum(c) || (c >= 0x80 && c != 0xE2)
    }
}
