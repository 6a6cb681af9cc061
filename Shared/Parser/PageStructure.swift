import QuotewireModels

/// The parts of a page, as byte ranges into the text.
struct PageLayout: Sendable {
    var source: Range<Int>?
    var headline: Range<Int>?
    var caption: Range<Int>?
    var photoCredit: Range<Int>?
    var byline: Range<Int>?
    var headings: [Range<Int>] = []
    /// Body paragraphs in text order.
    var paragraphs: [Range<Int>] = []
    var marketQuotes: [MarketQuote] = []
    /// Lines outside the body that may repeat a quotation (headline, caption): scanned after the body.
    var auxiliary: [Range<Int>] = []
    /// Transcript turns among the paragraphs (`MR. HALE: …`), read by `TranscriptLines`.
    var turns: [LabelledLine] = []
}

/// Parts of a page that its markup gave, as byte ranges into the text: taken as they are
/// instead of guessed from the layout. The body starts at `bodyStart`.
struct KnownParts: Sendable {
    var headline: Range<Int>?
    var captions: [Range<Int>] = []
    var bodyStart = 0
}

/// Splits a page into outlet, headline, ticker block and body, and classifies every line of the body
/// (`LineClassifier`): article paragraphs, section labels (`headings`), link and promo lines, credits
/// (`photoCredit`), captions (`caption`), datelines, bylines (`byline`) and ticker lines (`marketQuotes`).
/// What carries data is kept in its field; the rest of the furniture is dropped, so no later stage reads
/// it as text. Then `TranscriptLines` reads the `LABEL: text` paragraphs: transcript turns, or section
/// labels whose text is prose.
///
/// Every non-empty line is one unit. Only lines of a recognised shape leave the body, so a bare
/// paragraph stays body.
enum PageStructure {
    static func analyze(_ b: UnsafeBufferPointer<UInt8>, known: KnownParts? = nil) -> PageLayout {
        var lines: [Range<Int>] = []
        let n = b.count
        var lineStart = 0
        while lineStart <= n {
            let i = ByteText.firstByte(b, 0x0A, lineStart, n)
            // Most lines need no trimming: they start and end with a printable ASCII byte.
            if i > lineStart, b[lineStart] > 0x20, b[lineStart] < 0x80, b[i - 1] > 0x20, b[i - 1] < 0x80 {
                lines.append(lineStart..<i)
            } else {
                let (s, e) = ByteText.trim(b, lineStart, i)
                if s < e { lines.append(s..<e) }
            }
            lineStart = i + 1
        }
        var layout = PageLayout()
        guard !lines.isEmpty else { return layout }
        // Furniture above the headline (share prompts, a date, a byline) is no headline.
        var idx = 0
        if let known {
            idx = lines.firstIndex { $0.lowerBound >= known.bodyStart } ?? lines.count
            layout.headline = known.headline
            layout.auxiliary += [known.headline].compactMap { $0 }
            for line in known.captions {
                // A caption the markup marked may still end with its credit.
                let kind = LineClassifier.classify(b, line, opensBody: false)
                if layout.photoCredit == nil { layout.photoCredit = kind.credit }
                let caption = kind.kind == .caption ? kind.caption : (kind.kind == .credit ? nil : line)
                if let caption {
                    if layout.caption == nil { layout.caption = caption }
                    layout.auxiliary.append(caption)
                }
            }
        }
        if known?.headline == nil {
            while idx < lines.count - 1 {
                let kind = LineClassifier.classify(b, lines[idx], opensBody: false)
                guard kind.kind == .linkPromo || kind.kind == .dateline || kind.kind == .byline || kind.kind == .credit else { break }
                if layout.byline == nil { layout.byline = kind.byline }
                if layout.photoCredit == nil { layout.photoCredit = kind.credit }
                idx += 1
            }
            if lines.count - idx >= 2 { idx = detectHeadline(b, lines[idx...], &layout) }
        }

        var exchange: String?
        var inTicker = false
        var inLinkList = false
        var k = idx
        while k < lines.count {
            let line = lines[k]
            defer { k += 1 }
            if let h = layout.headline, ByteText.equal(b, h, line) { continue }
            if line.count <= 40, MarketQuoteParser.isExchangeHeader(b, line.lowerBound, line.upperBound), k + 1 < lines.count,
               MarketQuoteParser.parseLine(b, lines[k + 1].lowerBound, lines[k + 1].upperBound, exchange: nil) != nil {
                exchange = ByteText.string(b, line.lowerBound, line.upperBound)
                inTicker = true
                continue
            }
            if inTicker || isTickerNeighbour(b, lines, k) {
                if let q = MarketQuoteParser.parseLine(b, line.lowerBound, line.upperBound, exchange: exchange) {
                    layout.marketQuotes.append(q)
                    inTicker = true
                    continue
                }
            }
            inTicker = false
            exchange = nil
            if inLinkList, LineClassifier.isListedLink(b, line) { continue }
            let kind = LineClassifier.classify(b, line, opensBody: layout.paragraphs.isEmpty)
            inLinkList = kind.opensLinkList
            if let c = kind.credit, layout.photoCredit == nil { layout.photoCredit = c }
            switch kind.kind {
            case .paragraph:
                if let t = kind.text { LineClassifier.appendPieces(b, t, to: &layout.paragraphs) }
            case .sectionLabel:
                if let h = kind.heading { layout.headings.append(h) }
            case .caption:
                if layout.caption == nil, let c = kind.caption {
                    layout.caption = c
                    layout.auxiliary.append(c)
                }
            case .byline:
                if layout.byline == nil { layout.byline = kind.byline }
            case .linkPromo, .credit, .dateline:
                break
            }
        }
        let labelled = TranscriptLines.read(b, paragraphs: layout.paragraphs)
        layout.turns = labelled.turns
        if !labelled.sections.isEmpty {
            for section in labelled.sections {
                layout.headings.append(section.label)
                layout.paragraphs[section.paragraph] = section.text
            }
            layout.headings.sort { $0.lowerBound < $1.lowerBound }
        }
        return layout
    }

    /// Decides whether the first of `lines` is `Outlet - Headline` or a headline; returns the next line index.
    private static func detectHeadline(_ b: UnsafeBufferPointer<UInt8>, _ lines: ArraySlice<Range<Int>>,
                                       _ layout: inout PageLayout) -> Int {
        let start = lines.startIndex
        let first = lines[start]
        guard first.count <= 300, !endsSentence(b, first),
              MarketQuoteParser.parseLine(b, first.lowerBound, first.upperBound, exchange: nil) == nil,
              ByteText.find(b, first.lowerBound, first.upperBound, "Photo:") == nil
        else { return start }
        if let dash = separator(b, first) {
            let (ts, te) = ByteText.trim(b, dash.upperBound, first.upperBound)
            let (ss, se) = ByteText.trim(b, first.lowerBound, dash.lowerBound)
            if ts < te, ss < se, repeatsLater(b, lines, ts..<te) || looksLikeOutlet(b, ss, se) {
                layout.source = ss..<se
                layout.headline = ts..<te
                layout.auxiliary.append(ts..<te)
                return start + 1
            }
        }
        if LineShape.hasDoubleQuote(b, first), !repeatsLater(b, lines, first) { return start }
        guard first.count <= 200 else { return start }
        layout.headline = first
        layout.auxiliary.append(first)
        return start + 1
    }

    private static func separator(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int>? {
        if let d = ByteText.find(b, r.lowerBound, r.upperBound, " - ") { return d..<(d + 3) }
        if let d = ByteText.find(b, r.lowerBound, r.upperBound, " \u{2013} ") { return d..<(d + 5) }
        if let d = ByteText.find(b, r.lowerBound, r.upperBound, " | ") { return d..<(d + 3) }
        return nil
    }

    private static func repeatsLater(_ b: UnsafeBufferPointer<UInt8>, _ lines: ArraySlice<Range<Int>>, _ text: Range<Int>) -> Bool {
        for line in lines.dropFirst().prefix(40) {
            if line.count >= text.count, ByteText.equal(b, line.lowerBound..<(line.lowerBound + text.count), text) {
                return true
            }
        }
        return false
    }

    /// One to five capitalised words: a plausible outlet name.
    private static func looksLikeOutlet(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s <= 40 else { return false }
        var words = 0
        var atWordStart = true
        for i in s..<e {
            if b[i] == 0x20 { atWordStart = true; continue }
            if atWordStart {
                words += 1
                if !(ByteText.isASCIIUpper(b[i]) || b[i] >= 0x80 || ByteText.isDigit(b[i])) { return false }
                atWordStart = false
            }
        }
        return words >= 1 && words <= 5
    }

    private static func endsSentence(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        let c = b[r.upperBound - 1]
        return c == 0x2E || c == 0x3A || c == 0x3B || c == 0x2C
    }

    /// Could this line be a ticker line at all (short, starts with an upper-case letter or digit)?
    @inline(__always) private static func tickerShaped(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        line.count <= 64 && (ByteText.isASCIIUpper(b[line.lowerBound]) || ByteText.isDigit(b[line.lowerBound]))
    }

    private static func isTickerNeighbour(_ b: UnsafeBufferPointer<UInt8>, _ lines: [Range<Int>], _ k: Int) -> Bool {
        guard tickerShaped(b, lines[k]) else { return false }
        func parses(_ j: Int) -> Bool {
            j >= 0 && j < lines.count && tickerShaped(b, lines[j])
                && MarketQuoteParser.parseLine(b, lines[j].lowerBound, lines[j].upperBound, exchange: nil) != nil
        }
        return parses(k - 1) || parses(k + 1)
    }
}
