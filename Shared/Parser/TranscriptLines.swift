/// A paragraph that opens with a label in capitals and a colon: `MR. O'NEILL: We will …`, `ENERGY: Benchmark …`.
struct LabelledLine: Sendable, Equatable {
    var paragraph: Int
    var label: Range<Int>
    /// The words after the label.
    var text: Range<Int>
}

/// Transcript lines: paragraphs that open with a speaker's label in capitals and a colon
/// (`MR. O'NEILL: We will …`, `CLINTON: I believe …`). Their words are speech without quote marks, so
/// each turn's text becomes one quotation, attributed to its label (`AttributionRule.transcriptLabel`).
/// A quoted excerpt of a transcript (`"WALLACE: Let's start …"`) carries its label inside the marks.
///
/// Transcripts need evidence. A label names a person when it is a role (`MODERATOR`, `Q`,
/// `transcript-roles.txt`), a title and a name (`MR. HALE`, `SEN. WARREN`), opens with a given name
/// (`KEVIN VICKERS`), or is a name the article writes elsewhere after a given name or a title (`WALLACE`
/// where it says `Chris Wallace`); a label that comes back after another one (`A … B … A`) is a speaker
/// taking turns. A page reads as a transcript when two different such labels open lines. Labels of
/// topics (a word of `section-labels.txt` or a function word: `KEEPING SCORE`, `ENERGY`,
/// `U.S.-CHINA RELATIONS`), and labels with no evidence, are section headings: their paragraph is the
/// prose after them. Labels of notes (`UPDATE`, `EDITOR'S NOTE`: `line-labels.txt`) stay in their paragraph.
enum TranscriptLines {
    /// Longest label, in bytes ("SEN. ELIZABETH WARREN").
    private static let maxLabel = 32
    /// Labels whose names are looked for in the article; more distinct labels than this are not read as names.
    private static let maxNameSearches = 32

    /// What a label says about its line.
    enum LabelKind: Equatable {
        /// A person or a speaker's role: a transcript turn when the page is a transcript.
        case person
        /// A topic: a section heading.
        case topic
        /// A note about the article (`UPDATE`, `CORRECTION`): the line stays as it is.
        case note
        /// No evidence either way: a section heading, unless it takes turns with another label.
        case unknown
    }

    /// The page's labelled paragraphs, read: the turns of a transcript, and the section labels whose
    /// paragraphs are prose (a label with no evidence followed by a quotation, `CLINTON: "…"`, may be a
    /// lead-in and is not one).
    static func read(_ b: UnsafeBufferPointer<UInt8>, paragraphs: [Range<Int>]) -> (turns: [LabelledLine], sections: [LabelledLine]) {
        var lines: [LabelledLine] = []
        for (p, range) in paragraphs.enumerated() {
            // A label is in capitals: a paragraph whose second letter is in lower case has none.
            guard range.count > 3, !ByteText.isASCIILower(b[range.lowerBound + 1]) else { continue }
            if let l = line(b, range) { lines.append(LabelledLine(paragraph: p, label: l.label, text: l.text)) }
        }
        guard !lines.isEmpty else { return ([], []) }
        // One kind per distinct label; `first[i]` is the index of line i's label among the distinct ones.
        var distinct: [Range<Int>] = []
        var kinds: [LabelKind] = []
        var first: [Int] = []
        let names = LabelNameEvidence(b)
        for l in lines {
            if let d = distinct.firstIndex(where: { ByteText.equal(b, $0, l.label) }) {
                first.append(d)
                continue
            }
            first.append(distinct.count)
            distinct.append(l.label)
            kinds.append(kind(b, label: l.label, names: distinct.count <= maxNameSearches ? names : nil))
        }
        for d in kinds.indices where kinds[d] == .unknown && takesTurns(d, first) { kinds[d] = .person }
        let speakers = Set(first.filter { kinds[$0] == .person })
        let transcript = speakers.count >= 2
        var turns: [LabelledLine] = []
        var sections: [LabelledLine] = []
        for (i, l) in lines.enumerated() {
            switch kinds[first[i]] {
            case .person where transcript: turns.append(l)
            case .topic: sections.append(l)
            case .unknown:
                // `CLINTON: "…"` may be a lead-in naming the speaker: the line stays whole.
                if !LineShape.isQuoteMark(b, l.text.lowerBound, l.text.upperBound) { sections.append(l) }
            default: break
            }
        }
        return (turns, sections)
    }

    /// Does the label `d` open a line again after another label opened one (`A … B … A`)?
    private static func takesTurns(_ d: Int, _ first: [Int]) -> Bool {
        var seen = false
        var other = false
        for x in first {
            if x == d {
                if seen && other { return true }
                seen = true
            } else if seen {
                other = true
            }
        }
        return false
    }

    /// What a label is, by its words and, for a bare name, by the article's other mentions of it.
    static func kind(_ b: UnsafeBufferPointer<UInt8>, label: Range<Int>, names: LabelNameEvidence?) -> LabelKind {
        if FurnitureWords.transcriptRoles.matchesWhole(b, label.lowerBound, label.upperBound) { return .person }
        var words: [Range<Int>] = []
        var i = label.lowerBound
        while let w = LineShape.word(b, from: i, label.upperBound) {
            words.append(w)
            i = w.upperBound
            var stem = w.upperBound
            if let a = (w.lowerBound..<w.upperBound).first(where: { b[$0] == .apostrophe }) {
                // `EDITOR'S`: the word is `EDITOR`; a possessive (`TRUMP'S TAXES`) names a topic.
                if a + 2 == w.upperBound, b[a + 1] | 0x20 == .letterS, FurnitureWords.lineLabels.matchesWhole(b, w.lowerBound, a) {
                    return .note
                }
                if a + 2 == w.upperBound, b[a + 1] | 0x20 == .letterS { return .topic }
                stem = a
            }
            if FurnitureWords.lineLabels.matchesWhole(b, w.lowerBound, stem) { return .note }
            if FurnitureWords.sectionLabels.matchesWhole(b, w.lowerBound, w.upperBound)
                || FurnitureWords.stopWords.matchesWhole(b, w.lowerBound, w.upperBound) { return .topic }
        }
        guard let head = words.first, let last = words.last, words.count <= 4 else { return .topic }
        if words.count >= 2, FurnitureWords.titles.matchesWhole(b, head.lowerBound, head.upperBound) { return .person }
        if FurnitureWords.givenNames.matchesWhole(b, head.lowerBound, head.upperBound) { return .person }
        if words.count <= 3, let names, names.writesName(last) { return .person }
        return .unknown
    }

    /// Is the label a role rather than a name (`MODERATOR`, `Q`)? Its turns then have no named speaker.
    static func isRole(_ b: UnsafeBufferPointer<UInt8>, label: Range<Int>) -> Bool {
        FurnitureWords.transcriptRoles.matchesWhole(b, label.lowerBound, label.upperBound)
    }

    /// Quotation spans for the transcript turns that hold no quotation of their own, each with its label.
    static func spans(_ turns: [LabelledLine], quoted: [QuoteSpan]) -> [(span: QuoteSpan, label: Range<Int>)] {
        var out: [(span: QuoteSpan, label: Range<Int>)] = []
        var next = 0
        for t in turns {
            while next < quoted.count, quoted[next].lastParagraph < t.paragraph { next += 1 }
            if next < quoted.count, quoted[next].paragraph <= t.paragraph { continue }
            out.append((QuoteSpan(open: t.text.lowerBound, start: t.text.lowerBound, end: t.text.upperBound,
                                  close: t.text.upperBound, paragraph: t.paragraph, lastParagraph: t.paragraph), t.label))
        }
        return out
    }

    /// `LABEL: text` with a label of capitals (and `.`, `'`, `-`, spaces; two letters at least, or a one-letter
    /// role such as `Q`) and a text of at least four words.
    static func line(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (label: Range<Int>, text: Range<Int>)? {
        var i = range.lowerBound
        var letters = 0
        while i < range.upperBound, i - range.lowerBound <= maxLabel {
            let c = b[i]
            if ByteText.isASCIIUpper(c) { letters += 1 } else if c != .period, c != .apostrophe, c != .hyphen, c != .space { break }
            i += 1
        }
        guard i < range.upperBound, b[i] == .colon, i + 1 < range.upperBound, b[i + 1] == .space,
              ByteText.isASCIIUpper(b[range.lowerBound]),
              letters >= 2 || (letters == 1 && isRole(b, label: range.lowerBound..<i)) else { return nil }
        var start = i + 2
        while start < range.upperBound, b[start] == .space { start += 1 }
        var end = range.upperBound
        while end > start, b[end - 1] == .space || b[end - 1] == .newline { end -= 1 }
        var words = 0
        var k = start
        while k < end, words < 4 {
            if b[k] == .space, k + 1 < end, b[k + 1] != .space { words += 1 }
            k += 1
        }
        guard words >= 3 else { return nil }
        return (range.lowerBound..<i, start..<end)
    }

    /// Does the label name a speaker? Not when a word of it labels lines of another kind (`UPDATE`,
    /// `EDITOR'S NOTE`) or is a function word.
    static func namesSpeaker(_ b: UnsafeBufferPointer<UInt8>, label: Range<Int>, lexicon: Lexicon) -> Bool {
        var i = label.lowerBound
        while i < label.upperBound {
            while i < label.upperBound, b[i] == .space { i += 1 }
            let start = i
            while i < label.upperBound, b[i] != .space, b[i] != .apostrophe { i += 1 }
            if start < i, lexicon.flags(b, start, i).any(.lineLabel | .stop) { return false }
            while i < label.upperBound, b[i] != .space { i += 1 }
        }
        return true
    }

    /// The name in a label: without a leading title word (`MR. O'NEILL` → `O'NEILL`).
    static func name(_ b: UnsafeBufferPointer<UInt8>, label: Range<Int>, lexicon: Lexicon) -> Range<Int> {
        guard let space = label.firstIndex(where: { b[$0] == .space }) else { return label }
        var start = space + 1
        while start < label.upperBound, b[start] == .space { start += 1 }
        let isTitle = lexicon.flags(b, label.lowerBound, space).contains(.title)
        return isTitle && start < label.upperBound ? start..<label.upperBound : label
    }
}

/// Does the article write a label's word as a name elsewhere: in lower case after a given name or a title
/// (`WALLACE` and `Chris Wallace`, `O'NEILL` and `Mr. O'Neill`)?
struct LabelNameEvidence {
    private let b: UnsafeBufferPointer<UInt8>

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    func writesName(_ word: Range<Int>) -> Bool {
        let n = word.count
        guard n >= 2 else { return false }
        // A name is written with a capital: look for the label's first letter as it stands.
        let w0 = b[word.lowerBound]
        var i = 0
        let last = b.count - n
        while i <= last {
            defer { i += 1 }
            i = ByteText.firstByte(b, w0, i, last + 1)
            guard i <= last, i != word.lowerBound else { continue }
            if i > 0, PhraseList.isWordByte(b[i - 1]) { continue }
            if i + n < b.count, ByteText.isASCIIAlpha(b[i + n]) { continue }
            var k = 1
            var lower = false
            while k < n, PhraseList.lower(b[i + k]) == PhraseList.lower(b[word.lowerBound + k]) {
                if ByteText.isASCIILower(b[i + k]) { lower = true }
                k += 1
            }
            guard k == n, lower, let before = wordBefore(i) else { continue }
            if FurnitureWords.givenNames.matchesWhole(b, before.lowerBound, before.upperBound)
                || FurnitureWords.titles.matchesWhole(b, before.lowerBound, before.upperBound) {
                return true
            }
        }
        return false
    }

    /// The word before the one at `i` (one space between them).
    private func wordBefore(_ i: Int) -> Range<Int>? {
        guard i >= 2, b[i - 1] == .space else { return nil }
        var s = i - 1
        while s > 0, b[s - 1] != .space, b[s - 1] != .newline { s -= 1 }
        return s < i - 1 ? s..<(i - 1) : nil
    }
}
