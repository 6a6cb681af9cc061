import QuotewireModels
/// A quoted span found in the text, before anyone decides whether it is speech.
struct QuoteSpan: Sendable {
    /// Byte offset of the opening mark.
    var open: Int
    /// Content (trimmed, without marks): byte range.
    var start: Int
    var end: Int
    /// Byte offset just past the closing mark.
    var close: Int
    /// Index of the paragraph holding the opening mark, and of the one holding the closing mark.
    var paragraph: Int
    var lastParagraph: Int
    /// For a quotation over several paragraphs: each paragraph's content range. Empty otherwise.
    var pieces: [Range<Int>] = []
}

/// Finds quoted spans in paragraphs: straight and curly double and single quotes,
/// German „…“ and ‚…‘, French «…». Apostrophes (Rutte's, don't, '90s) are not marks.
///
/// One pass over the bytes with a small bounded stack, so the time is linear even
/// for thousands of unbalanced marks. Only outermost spans are reported; a span
/// left open at a paragraph end continues when the next paragraph opens again.
struct QuoteScanner {
    private enum Mark: UInt8 {
        case straightDouble, curlyDouble, lowDouble, straightSingle, curlySingle, lowSingle, guillemet

        var isDouble: Bool {
            switch self {
            case .straightDouble, .curlyDouble, .lowDouble, .guillemet: true
            default: false
            }
        }
    }

    private struct Open {
        var mark: Mark
        var openPos: Int
        var contentStart: Int
        var carried: [Range<Int>]?
        var carriedOpen: Int
        var firstParagraph: Int
        var lastParagraph: Int = 0
    }

    private static let maxDepth = 32
    private static let searchDepth = 6

    /// Scans the paragraphs (byte ranges, in text order) and returns outermost spans sorted by start.
    static func scan(_ b: UnsafeBufferPointer<UInt8>, paragraphs: [Range<Int>]) -> [QuoteSpan] {
        var found: [QuoteSpan] = []
        var stack: [Open] = []
        stack.reserveCapacity(8)
        var pending: Open?
        for (pi, para) in paragraphs.enumerated() {
            stack.removeAll(keepingCapacity: true)
            var i = para.lowerBound
            let pe = para.upperBound
            if var carry = pending {
                pending = nil
                var j = i
                while j < pe {
                    let (v, len) = ByteText.scalar(b, j)
                    if !ByteText.isSpaceScalar(v) { break }
                    j += len
                }
                if j < pe, let (mark, len) = openingDouble(b, j, pe) {
                    carry.mark = mark
                    carry.contentStart = j + len
                    stack.append(carry)
                    i = j + len
                } else {
                    emitUnclosed(b, carry, paragraphs, into: &found)
                }
            }
            while i < pe {
                i = nextCandidate(b, i, pe)
                guard i < pe else { break }
                let c = b[i]
                var len = 1
                switch c {
                case 0x22:
                    if let k = findOpen(stack, .straightDouble, .lowDouble, .straightDouble) {
                        close(b, &stack, k, at: i, length: 1, paragraph: pi, into: &found)
                    } else if closerContext(b, i, 1, para), !openerContext(b, i, 1, para),
                              let k = findOpen(stack, .curlyDouble, .curlyDouble, .curlyDouble) {
                        // Mixed marks, “…": a straight mark in closing position closes the curly opener.
                        close(b, &stack, k, at: i, length: 1, paragraph: pi, into: &found)
                    } else if openerContext(b, i, 1, para) {
                        push(&stack, .straightDouble, i, 1, pi)
                    }
                case 0x27:
                    single(b, &stack, i, 3, para, pi, &found, straight: true)
                case 0xE2:
                    guard i + 2 < pe, b[i + 1] == 0x80 else { break }
                    len = 3
                    switch b[i + 2] {
                    case 0x9C: // “
                        if let k = findOpen(stack, .lowDouble, .lowDouble, .lowDouble) {
                            close(b, &stack, k, at: i, length: 3, paragraph: pi, into: &found)
                        } else if closerContext(b, i, 3, para), let k = findOpen(stack, .curlyDouble, .curlyDouble, .curlyDouble) {
                            close(b, &stack, k, at: i, length: 3, paragraph: pi, into: &found)
                        } else {
                            push(&stack, .curlyDouble, i, 3, pi)
                        }
                    case 0x9D: // ”
                        if let k = findOpen(stack, .curlyDouble, .lowDouble, .straightDouble) {
                            close(b, &stack, k, at: i, length: 3, paragraph: pi, into: &found)
                        } else if openerContext(b, i, 3, para), !closerContext(b, i, 3, para) {
                            push(&stack, .curlyDouble, i, 3, pi)
                        }
                    case 0x9E: // „
                        push(&stack, .lowDouble, i, 3, pi)
                    case 0x98: // ‘
                        if let k = findOpen(stack, .lowSingle, .lowSingle, .lowSingle) {
                            close(b, &stack, k, at: i, length: 3, paragraph: pi, into: &found)
                        } else {
                            single(b, &stack, i, 0, para, pi, &found, straight: false)
                        }
                    case 0x99: // ’
                        single(b, &stack, i, 1, para, pi, &found, straight: false)
                    case 0x9A: // ‚
                        push(&stack, .lowSingle, i, 3, pi)
                    default:
                        break
                    }
                case 0xC2:
                    guard i + 1 < pe else { break }
                    len = 2
                    if b[i + 1] == 0xAB {
                        push(&stack, .guillemet, i, 2, pi)
                    } else if b[i + 1] == 0xBB, let k = findOpen(stack, .guillemet, .guillemet, .guillemet) {
                        close(b, &stack, k, at: i, length: 2, paragraph: pi, into: &found)
                    }
                default:
                    break
                }
                i += len
            }
            if let bottom = stack.first, bottom.mark.isDouble {
                var carry = bottom
                let (s, e) = ByteText.trim(b, bottom.contentStart, pe)
                var pieces = carry.carried ?? []
                // `lastParagraph` is the paragraph of the last piece: an unclosed span ends there
                // (a paragraph that only reopens the mark adds nothing to it).
                if s < e {
                    pieces.append(s..<e)
                    carry.lastParagraph = pi
                }
                carry.carried = pieces
                pending = carry
            }
        }
        if let carry = pending { emitUnclosed(b, carry, paragraphs, into: &found) }
        return outermost(found)
    }

    /// A quotation left open at the end of its paragraph(s) that nothing reopens: kept when it
    /// opens the paragraph (or follows a colon or comma) and starts with a word, as a
    /// paragraph cut from a longer quotation reads; otherwise it was a stray mark.
    private static func emitUnclosed(
        _ b: UnsafeBufferPointer<UInt8>, _ carry: Open, _ paragraphs: [Range<Int>], into found: inout [QuoteSpan]
    ) {
        guard let pieces = carry.carried, let first = pieces.first, let last = pieces.last,
              carry.firstParagraph < paragraphs.count else { return }
        guard ByteText.isAlnumScalar(ByteText.scalar(b, first.lowerBound).value) else { return }
        let para = paragraphs[carry.firstParagraph]
        var k = carry.carriedOpen
        while k > para.lowerBound, b[k - 1] == 0x20 { k -= 1 }
        guard k == para.lowerBound || b[k - 1] == 0x3A || b[k - 1] == 0x2C else { return }
        guard last.upperBound - first.lowerBound >= 12 else { return }
        found.append(QuoteSpan(open: carry.carriedOpen, start: first.lowerBound, end: last.upperBound, close: last.upperBound,
                               paragraph: carry.firstParagraph, lastParagraph: carry.lastParagraph,
                               pieces: pieces.count > 1 ? pieces : []))
    }

    /// `kind`: 0 = ‘ opener-or-apostrophe, 1 = ’ closer-or-apostrophe, 3 = straight '.
    private static func single(
        _ b: UnsafeBufferPointer<UInt8>, _ stack: inout [Open], _ i: Int, _ kind: Int,
        _ para: Range<Int>, _ pi: Int, _ found: inout [QuoteSpan], straight: Bool
    ) {
        let len = straight ? 1 : 3
        let prev = i > para.lowerBound ? ByteText.scalarBefore(b, i)?.value : nil
        let next: UInt32? = i + len < para.upperBound ? ByteText.scalar(b, i + len).value : nil
        let prevAlnum = prev.map(ByteText.isAlnumScalar) ?? false
        let nextAlnum = next.map(ByteText.isAlnumScalar) ?? false
        if prevAlnum && nextAlnum { return } // don't, Rutte's
        let prevSpace = prev.map(ByteText.isSpaceScalar) ?? true
        if nextAlnum && !prevAlnum {
            // '90s, ’19: an elided year, not a quotation.
            if let n = next, n >= 0x30, n <= 0x39, i + len + 1 < para.upperBound,
               ByteText.isDigit(b[i + len + 1]) { return }
            if kind == 1 { return }
            if prevSpace || isOpenPunct(prev) { push(&stack, straight ? .straightSingle : .curlySingle, i, len, pi) }
            return
        }
        if !prevSpace && !nextAlnum, kind != 0 {
            if let k = findOpen(stack, .straightSingle, .curlySingle, .lowSingle) {
                close(b, &stack, k, at: i, length: len, paragraph: pi, into: &found)
            }
        }
    }

    /// The next byte in `i..<end` that may start a quote mark: `"`, `'`, or the lead byte of `“”„‘’‚` or `«»`.
    @inline(__always) private static func nextCandidate(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        if let base = b.baseAddress {
            while i + 8 <= end {
                let x = ByteWords.word(base, i)
                let m = ByteWords.equalBytes(x, 0x22) | ByteWords.equalBytes(x, 0x27) | ByteWords.equalBytes(x, 0xE2)
                    | ByteWords.equalBytes(x, 0xC2)
                if m != 0 { return i + m.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < end {
            let c = b[i]
            if c == 0x22 || c == 0x27 || c == 0xE2 || c == 0xC2 { return i }
            i += 1
        }
        return i
    }

    private static func isOpenPunct(_ v: UInt32?) -> Bool {
        guard let v else { return true }
        return v == 0x28 || v == 0x5B || v == 0x22 || v == 0x201C || v == 0x2014 || v == 0x2013 || v == 0x2D
            || v == 0x2F || v == 0x3A || v == 0xAB || v == 0x201E
    }

    /// Looks like an opening mark: start of paragraph or after space/opening punctuation, or text follows.
    private static func openerContext(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ len: Int, _ para: Range<Int>) -> Bool {
        let prev = i > para.lowerBound ? ByteText.scalarBefore(b, i)?.value : nil
        if prev == nil || ByteText.isSpaceScalar(prev ?? 0x20) || isOpenPunct(prev) { return true }
        if i + len >= para.upperBound { return false }
        let next = ByteText.scalar(b, i + len).value
        return !ByteText.isSpaceScalar(next) && !ByteText.isAlnumScalar(prev ?? 0x20)
            && prev != 0x2E && prev != 0x2C
    }

    /// Looks like a closing mark: text before it and a space, punctuation or the end after it.
    private static func closerContext(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ len: Int, _ para: Range<Int>) -> Bool {
        guard i > para.lowerBound, let prev = ByteText.scalarBefore(b, i)?.value, !ByteText.isSpaceScalar(prev)
        else { return false }
        if i + len >= para.upperBound { return true }
        let next = ByteText.scalar(b, i + len).value
        return !ByteText.isAlnumScalar(next)
    }

    private static func openingDouble(_ b: UnsafeBufferPointer<UInt8>, _ j: Int, _ pe: Int) -> (Mark, Int)? {
        let c = b[j]
        if c == 0x22 { return (.straightDouble, 1) }
        if c == 0xE2, j + 2 < pe, b[j + 1] == 0x80 {
            if b[j + 2] == 0x9C { return (.curlyDouble, 3) }
            if b[j + 2] == 0x9E { return (.lowDouble, 3) }
        }
        if c == 0xC2, j + 1 < pe, b[j + 1] == 0xAB { return (.guillemet, 2) }
        return nil
    }

    @inline(__always)
    private static func findOpen(_ stack: [Open], _ m1: Mark, _ m2: Mark, _ m3: Mark) -> Int? {
        var k = stack.count - 1
        let floor = max(0, stack.count - searchDepth)
        while k >= floor {
            let m = stack[k].mark
            if m == m1 || m == m2 || m == m3 { return k }
            k -= 1
        }
        return nil
    }

    @inline(__always)
    private static func push(_ stack: inout [Open], _ mark: Mark, _ i: Int, _ len: Int, _ pi: Int) {
        guard stack.count < maxDepth else { return }
        stack.append(Open(mark: mark, openPos: i, contentStart: i + len, carried: nil, carriedOpen: i, firstParagraph: pi,
                          lastParagraph: pi))
    }

    private static func close(
        _ b: UnsafeBufferPointer<UInt8>, _ stack: inout [Open], _ k: Int, at i: Int, length: Int,
        paragraph: Int, into found: inout [QuoteSpan]
    ) {
        let entry = stack[k]
        stack.removeSubrange(k...)
        let (s, e) = ByteText.trim(b, entry.contentStart, i)
        if var pieces = entry.carried {
            if s < e { pieces.append(s..<e) }
            guard let first = pieces.first, let last = pieces.last else { return }
            found.append(QuoteSpan(
                open: entry.carriedOpen, start: first.lowerBound, end: last.upperBound, close: i + length,
                paragraph: entry.firstParagraph, lastParagraph: paragraph, pieces: pieces.count > 1 ? pieces : []))
            return
        }
        guard s < e else { return }
        found.append(QuoteSpan(open: entry.openPos, start: s, end: e, close: i + length,
                               paragraph: paragraph, lastParagraph: paragraph))
    }

    /// Keeps spans not inside another span; input spans nest or are disjoint.
    private static func outermost(_ spans: [QuoteSpan]) -> [QuoteSpan] {
        if spans.count < 2 { return spans }
        let sorted = spans.sorted { $0.open < $1.open || ($0.open == $1.open && $0.close > $1.close) }
        var out: [QuoteSpan] = []
        out.reserveCapacity(sorted.count)
        var lastClose = -1
        for s in sorted where s.open >= lastClose {
            out.append(s)
            lastClose = s.close
        }
        return out
    }
}
