import Foundation
import GRDB

extension IndexReader {
    /// A document with at most this many matches gets FTS5's own `snippet()`; its cost grows with
    /// the square of the matches (and `highlight()` costs about a microsecond a word), so past this
    /// the snippet is cut from the stored text instead.
    static let snippetMatchLimit = 200
    /// Words in a snippet, as FTS5's `snippet()` is asked for.
    static let snippetTokens = 24

    /// The snippet of one hit, HTML-ready. The matches of each column are counted on the stored
    /// text (``MatchWords``, linear); with few of them the snippet is FTS5's `snippet()` for that row,
    /// the passage a search always gave; with many (a document repeating a word thousands of
    /// times) it is ``snippetTokens`` words around the first match of the column with the most,
    /// its matching words marked.
    /// `words` is `MatchWords(query)`, made once per search.
    static func snippet(_ db: Database, type: SearchHitType, rowID: Int64, query: SearchQuery, words: MatchWords) throws -> String {
        let (table, content, key, columns) = type == .article
            ? ("article_fts", "article", "rid", "headline, body") : ("quotation_fts", "quotation", "qid", "text, speaker")
        guard let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM \(content) WHERE \(key) = ?", arguments: [rowID]) else {
            return ""
        }
        let texts: [[UInt8]] = [Array(((row[0] as String?) ?? "").utf8), Array(((row[1] as String?) ?? "").utf8)]
        guard let pattern = query.pattern else {
            // Filters alone match no word: the opening words of the body (or quotation).
            let text = type == .article && !texts[1].isEmpty ? texts[1] : texts[0]
            return highlight(words.window(of: text, tokens: snippetTokens))
        }
        let matches = texts.map { words.count(in: $0) }
        if matches.reduce(0, +) <= snippetMatchLimit {
            let raw = try String.fetchOne(db, sql: """
                SELECT snippet(\(table), -1, char(2), char(3), '…', \(snippetTokens))
                FROM \(table) WHERE \(table) MATCH ? AND rowid = ?
                """, arguments: [pattern, rowID])
            return highlight(raw ?? "")
        }
        let best = matches.indices.max { matches[$0] < matches[$1] } ?? 0
        return highlight(words.window(of: texts[best], tokens: snippetTokens))
    }

    /// Escapes `&`, `<`, `>` and turns SQLite's match marks (``SnippetMarks``) into `<mark>`…`</mark>`.
    static func highlight(_ raw: String) -> String {
        var out = ""
        out.reserveCapacity(raw.utf8.count + 32)
        for character in raw {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case SnippetMarks.open: out += "<mark>"
            case SnippetMarks.close: out += "</mark>"
            default: out.append(character)
            }
        }
        return out
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static func date(_ seconds: Double?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: $0) }
    }
}

/// The words of a query as FTS5's unicode61 tokenizer would meet them in a text: runs of letters
/// and digits, ASCII case folded (diacritics are not, so a folded match is missed, which only
/// undercounts), the last word of a prefix term matching any word it starts.
struct MatchWords: Sendable {
    private var words: [(bytes: [UInt8], prefix: Bool)] = []

    init(_ query: SearchQuery) {
        for term in query.matchedTerms {
            let parts = Self.tokens(Array(term.text.utf8)).map { range in Array(term.text.utf8)[range].map(Self.lower) }
            for (index, part) in parts.enumerated() {
                words.append((part, term.isPrefix && index == parts.count - 1))
            }
        }
    }

    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte >= 0x80
    }

    /// The word ranges of `text`.
    static func tokens(_ text: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < text.count {
            guard isWordByte(text[i]) else { i += 1; continue }
            let start = i
            while i < text.count, isWordByte(text[i]) { i += 1 }
            out.append(start..<i)
        }
        return out
    }

    /// Does the word `text[range]` match one of the query's words?
    func matches(_ text: [UInt8], _ range: Range<Int>) -> Bool {
        words.contains { word in
            guard word.prefix ? range.count >= word.bytes.count : range.count == word.bytes.count else { return false }
            for (k, byte) in word.bytes.enumerated() where Self.lower(text[range.lowerBound + k]) != byte { return false }
            return true
        }
    }

    /// How many words of `text` match.
    func count(in text: [UInt8]) -> Int {
        Self.tokens(text).reduce(0) { $0 + (matches(text, $1) ? 1 : 0) }
    }

    /// `count` words around the first matching word of `text` (a sixth of them before it), the
    /// matching ones between FTS5's marks, with `…` where the text goes on. With no words to
    /// match, the first `count` words.
    func window(of text: [UInt8], tokens count: Int) -> String {
        let all = Self.tokens(text)
        guard let first = words.isEmpty ? (all.isEmpty ? nil : 0) : all.firstIndex(where: { matches(text, $0) })
        else { return "" }
        let from = max(0, first - count / 6)
        let to = min(all.count, from + count)
        var out = from > 0 ? "…" : ""
        var position = all[from].lowerBound
        for range in all[from..<to] {
            out += String(decoding: text[position..<range.lowerBound], as: UTF8.self)
            let word = String(decoding: text[range], as: UTF8.self)
            out += matches(text, range) ? "\(SnippetMarks.open)\(word)\(SnippetMarks.close)" : word
            position = range.upperBound
        }
        if to < all.count { out += "…" }
        return out
    }
}
