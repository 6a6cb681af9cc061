/// Transcript lines: paragraphs that open with a speaker's label in capitals and a colon
/// (`MR. O'NEILL: We will …`, `CLINTON: I believe …`). Their words are speech without quote marks, so
/// each line's text becomes one quotation, attributed to its label (`AttributionRule.transcriptLabel`).
/// A quoted excerpt of a transcript (`"WALLACE: Let's start …"`) carries its label inside the marks.
///
/// A page is read as a transcript only when at least two different labels open lines, so one
/// `UPDATE:` or `WATCH:` line is never taken for speech.
enum TranscriptLines {
    /// Longest label, in bytes ("SEN. ELIZABETH WARREN").
    private static let maxLabel = 32

    /// Quotation spans for the transcript lines among `paragraphs` that hold no quotation of their own,
    /// each with its label.
    static func spans(
        _ b: UnsafeBufferPointer<UInt8>, paragraphs: [Range<Int>], quoted: [QuoteSpan]
    ) -> [(span: QuoteSpan, label: Range<Int>)] {
        var lines: [(paragraph: Int, label: Range<Int>, text: Range<Int>)] = []
        var next = 0
        for (p, range) in paragraphs.enumerated() {
            while next < quoted.count, quoted[next].lastParagraph < p { next += 1 }
            if next < quoted.count, quoted[next].paragraph <= p { continue }
            if let line = line(b, range) { lines.append((p, line.label, line.text)) }
        }
        lines.removeAll { !namesSpeaker(b, label: $0.label, lexicon: .shared) }
        guard let first = lines.first,
              lines.contains(where: { !ByteText.equal(b, $0.label, first.label) }) else { return [] }
        return lines.map { line in
            (QuoteSpan(open: line.text.lowerBound, start: line.text.lowerBound, end: line.text.upperBound,
                       close: line.text.upperBound, paragraph: line.paragraph, lastParagraph: line.paragraph),
             line.label)
        }
    }

    /// `LABEL: text` with a label of capitals (and `.`, `'`, `-`, spaces, at least two letters) and a text
    /// of at least four words.
    static func line(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (label: Range<Int>, text: Range<Int>)? {
        var i = range.lowerBound
        var letters = 0
        while i < range.upperBound, i - range.lowerBound <= maxLabel {
            let c = b[i]
            if ByteText.isASCIIUpper(c) { letters += 1 } else if c != .period, c != .apostrophe, c != .hyphen, c != .space { break }
            i += 1
        }
        guard letters >= 2, i < range.upperBound, b[i] == .colon, i + 1 < range.upperBound, b[i + 1] == .space,
              ByteText.isASCIIUpper(b[range.lowerBound]) else { return nil }
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
