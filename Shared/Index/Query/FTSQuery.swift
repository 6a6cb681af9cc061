import Foundation

/// User search text turned into a safe FTS5 pattern.
///
/// The text is never pasted into `MATCH`: every word becomes a quoted FTS5 string, so
/// operators (`AND`, `OR`, `NOT`, `NEAR(`), column filters (`col:`), parentheses,
/// `^`, `+`, `-` and stray quotes are ordinary text. What is kept:
///
/// - `"a phrase"` matches those words next to each other (an unclosed quote runs to the end);
/// - `word*` and `"a phra"*` match by prefix (at least ``minimumPrefixLength`` characters);
/// - every other run of non-space characters is one term; all terms must match.
///
/// Control characters separate words. Terms with no letter or digit (`*`, `++`, `(`)
/// are dropped. Example:
/// `c++ "shoot` → `"c++" AND "shoot"`.
public struct FTSQuery: Sendable, Hashable {
    /// One term of the pattern: a word or a phrase, optionally a prefix.
    public struct Term: Sendable, Hashable {
        /// The words, as typed (the FTS5 tokenizer splits and folds them).
        public var text: String
        /// True for a `"quoted phrase"`.
        public var isPhrase: Bool
        /// True for a trailing `*`.
        public var isPrefix: Bool
    }

    /// The longest text accepted, in characters.
    public static let maximumLength = 1_000
    /// The most terms accepted.
    public static let maximumTerms = 32
    /// Shorter prefixes (`a*`) are searched as whole words: they would match most of the index.
    public static let minimumPrefixLength = 2

    /// The terms, in the order typed.
    public let terms: [Term]

    /// Parses user text.
    /// - Throws: ``IndexError`` `.invalidQuery` when the text is longer than
    ///   ``maximumLength``, has more than ``maximumTerms`` terms, or has no searchable word.
    public init(_ text: String) throws(IndexError) {
        guard text.unicodeScalars.count <= Self.maximumLength else {
            throw IndexError(.invalidQuery, "the query is longer than \(Self.maximumLength) characters")
        }
        // Control characters (NUL above all: SQLite would end the pattern there) separate words.
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            cleaned.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        var terms: [Term] = []
        var scalars = Substring(String(cleaned))
        while let first = scalars.first {
            if first.isWhitespace {
                scalars = scalars.dropFirst()
                continue
            }
            if first == "\"" {
                let rest = scalars.dropFirst()
                let close = rest.firstIndex(of: "\"") ?? rest.endIndex
                var phrase = String(rest[rest.startIndex..<close])
                scalars = close == rest.endIndex ? rest[close...] : rest[rest.index(after: close)...]
                var prefix = false
                if scalars.first == "*" {
                    prefix = true
                    scalars = scalars.dropFirst()
                }
                phrase = phrase.trimmingWhitespace()
                if let term = Self.term(phrase, phrase: true, prefix: prefix) { terms.append(term) }
                continue
            }
            let end = scalars.firstIndex(where: { $0.isWhitespace || $0 == "\"" }) ?? scalars.endIndex
            var word = scalars[scalars.startIndex..<end]
            scalars = scalars[end...]
            var prefix = false
            if word.hasSuffix("*") {
                while word.hasSuffix("*") { word = word.dropLast() }
                prefix = true
            }
            if let term = Self.term(String(word), phrase: false, prefix: prefix) { terms.append(term) }
        }
        guard !terms.isEmpty else {
            throw IndexError(.invalidQuery, "the query has no word to search for")
        }
        guard terms.count <= Self.maximumTerms else {
            throw IndexError(.invalidQuery, "the query has more than \(Self.maximumTerms) terms")
        }
        self.terms = terms
    }

    private static func term(_ text: String, phrase: Bool, prefix: Bool) -> Term? {
        let searchable = text.filter { $0.isLetter || $0.isNumber }
        guard !searchable.isEmpty else { return nil }
        // The prefix applies to the last word; too short a prefix is searched as a word.
        let lastWord = text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).last ?? ""
        let usablePrefix = prefix && lastWord.count >= minimumPrefixLength
        return Term(text: text, isPhrase: phrase, isPrefix: usablePrefix)
    }

    /// The FTS5 pattern: quoted strings joined by `AND`, with `*` after prefix terms.
    public var pattern: String {
        terms.map { term in
            // Every `"` scalar is doubled, also one that a combining mark after it hides
            // inside a grapheme (`"\u{301}`), which a Character-level replace would miss.
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in term.text.unicodeScalars {
                if scalar == "\"" { quoted.append(scalar) }
                quoted.append(scalar)
            }
            quoted.append("\"")
            return term.isPrefix ? String(quoted) + " *" : String(quoted)
        }.joined(separator: " AND ")
    }

    /// A normalised form of the query, stable across spacing differences (used by cursors).
    public var normalized: String {
        terms.map { ($0.isPhrase ? "\"\($0.text)\"" : $0.text) + ($0.isPrefix ? "*" : "") }.joined(separator: " ")
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let trimmed = drop(while: \.isWhitespace)
        var end = trimmed.endIndex
        while end > trimmed.startIndex, trimmed[trimmed.index(before: end)].isWhitespace {
            end = trimmed.index(before: end)
        }
        return String(trimmed[trimmed.startIndex..<end])
    }
}
