import Foundation

/// The search language, parsed: a boolean expression over words and phrases, and the field
/// filters that narrow the whole query.
///
/// ```
/// query    = or
/// or       = and { "OR" and }
/// and      = unary { ["AND"] unary }          (AND is the default between terms)
/// unary    = "NOT" unary | "-" primary | primary
/// primary  = "(" or ")" | word ["*"] | '"' phrase '"' ["*"] | field ":" (word | '"' phrase '"')
/// field    = speaker | source | type | ticker | since | until
/// ```
///
/// `AND`, `OR` and `NOT` are operators only in capitals; in lower case they are words. A word
/// is a run of characters other than space, `(`, `)` and `"`; one with no letter or digit
/// (`*`, `++`) is left out. A trailing `*` makes a prefix of at least ``minimumPrefixLength``
/// characters (a shorter one is searched as a word).
///
/// Filters apply to the whole query, so they may stand only at its top level, beside the terms
/// (`speaker:rutte missiles`), not inside parentheses, `OR` or `NOT`. A query may be filters
/// alone. The same field given twice means either value (`source:a source:b`), except `type`,
/// `since` and `until`, which may be given once.
///
/// Everything accepted becomes a valid FTS5 pattern (``pattern``): every term is a quoted FTS5
/// string, so the text typed never reaches FTS5's own syntax. Anything else is an
/// ``IndexError`` `.invalidQuery` whose message names the character position (counted from 1)
/// and what was expected there.
public struct SearchQuery: Sendable, Hashable {
    /// One searched term: a word or a phrase, optionally a prefix.
    public struct Term: Sendable, Hashable {
        /// The words, as typed (the FTS5 tokenizer splits and folds them).
        public var text: String
        /// True for a `"quoted phrase"`.
        public var isPhrase: Bool
        /// True for a trailing `*`.
        public var isPrefix: Bool
    }

    /// The boolean structure of the terms.
    public indirect enum Expression: Sendable, Hashable {
        case term(Term)
        /// All must match; a `.not` member excludes what it matches.
        case all([Expression])
        /// Any may match.
        case any([Expression])
        /// Excludes what it matches from the `.all` it belongs to.
        case not(Expression)
    }

    /// What restricts the results besides the words.
    public struct Filters: Sendable, Hashable {
        /// Quotations by one of these speakers (or articles quoting them); a name or part of one.
        public var speakers: [String] = []
        /// Articles (and their quotations) from one of these outlets, case-insensitive.
        public var sources: [String] = []
        /// Articles (and their quotations) carrying a market quote of one of these symbols.
        public var tickers: [String] = []
        /// Only this kind of hit.
        public var type: SearchHitType?
        /// Published (else received) at or after this time.
        public var since: Date?
        /// Published (else received) before this time; a date alone means the end of that day.
        public var until: Date?

        /// True when nothing is filtered.
        public var isEmpty: Bool {
            speakers.isEmpty && sources.isEmpty && tickers.isEmpty && type == nil && since == nil && until == nil
        }
    }

    /// The longest text accepted, in characters.
    public static let maximumLength = 1_000
    /// The most terms accepted.
    public static let maximumTerms = 32
    /// The deepest nesting of parentheses and `NOT`s accepted.
    public static let maximumDepth = 16
    /// Shorter prefixes (`a*`) are searched as whole words: they would match most of the index.
    public static let minimumPrefixLength = 2
    /// The field names, as typed before the colon.
    public static let fields = ["speaker", "source", "type", "ticker", "since", "until"]

    /// The terms to match, or nil for a query of filters only.
    public let expression: Expression?
    /// The field filters.
    public let filters: Filters

    /// Parses user text.
    /// - Throws: ``IndexError`` `.invalidQuery` for text that is too long, malformed, or has
    ///   neither a term nor a filter.
    public init(_ text: String) throws(IndexError) {
        guard text.unicodeScalars.count <= Self.maximumLength else {
            throw IndexError(.invalidQuery, "the query is longer than \(Self.maximumLength) characters")
        }
        var parser = SearchQueryParser(tokens: try SearchQueryLexer.tokens(of: text))
        (expression, filters) = try parser.parseQuery()
        guard expression != nil || !filters.isEmpty else {
            throw IndexError(.invalidQuery, "the query has no word to search for and no filter")
        }
        guard terms.count <= Self.maximumTerms else {
            throw IndexError(.invalidQuery, "the query has more than \(Self.maximumTerms) terms")
        }
    }

    /// Every term, in the order typed, excluded ones included.
    public var terms: [Term] { terms(excluded: true) }

    /// The terms a match shows (the ones not excluded), for highlighting.
    public var matchedTerms: [Term] { terms(excluded: false) }

    private func terms(excluded: Bool) -> [Term] {
        var out: [Term] = []
        func walk(_ node: Expression) {
            switch node {
            case .term(let term): out.append(term)
            case .all(let members), .any(let members): members.forEach(walk)
            case .not(let inner): if excluded { walk(inner) }
            }
        }
        expression.map(walk)
        return out
    }

    /// The FTS5 pattern of ``expression``, or nil for a query of filters only.
    public var pattern: String? {
        expression.map { Self.pattern(of: $0) }
    }

    /// Each phrase of ``pattern`` as a pattern of its own, in the order FTS5 numbers them
    /// (the order they are written in the pattern: excluded members after the included ones).
    public var phrasePatterns: [String] {
        var out: [String] = []
        func walk(_ node: Expression) {
            switch node {
            case .term: out.append(Self.pattern(of: node))
            case .any(let members): members.forEach(walk)
            case .all(let members):
                members.forEach { if case .not = $0 {} else { walk($0) } }
                members.forEach { if case .not(let inner) = $0 { walk(inner) } }
            case .not(let inner): walk(inner)
            }
        }
        expression.map(walk)
        return out
    }

    private static func pattern(of node: Expression) -> String {
        switch node {
        case .term(let term):
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
        case .any(let members):
            return "(" + members.map { pattern(of: $0) }.joined(separator: " OR ") + ")"
        case .all(let members):
            // FTS5's NOT is binary (`a NOT b`): the excluded members go after the included ones.
            // The parser guarantees at least one included member.
            let included = members.filter { if case .not = $0 { false } else { true } }
            let excluded = members.compactMap { member -> Expression? in
                if case .not(let inner) = member { inner } else { nil }
            }
            var text = "(" + included.map { pattern(of: $0) }.joined(separator: " AND ") + ")"
            if !excluded.isEmpty {
                text = "(" + text + " NOT (" + excluded.map { pattern(of: $0) }.joined(separator: " OR ") + "))"
            }
            return text
        case .not(let inner):
            return pattern(of: inner)  // only reached inside `.all`, handled above
        }
    }

    /// A normalised form of the query, stable across spacing and order of filters (used by cursors).
    public var normalized: String {
        func text(_ node: Expression) -> String {
            switch node {
            case .term(let term): (term.isPhrase ? "\"\(term.text)\"" : term.text) + (term.isPrefix ? "*" : "")
            case .all(let members): "(" + members.map(text).joined(separator: " ") + ")"
            case .any(let members): "(" + members.map(text).joined(separator: " OR ") + ")"
            case .not(let inner): "-" + text(inner)
            }
        }
        var parts = [expression.map(text) ?? ""]
        parts += filters.speakers.sorted().map { "speaker:\($0)" }
        parts += filters.sources.sorted().map { "source:\($0.lowercased())" }
        parts += filters.tickers.sorted().map { "ticker:\($0)" }
        if let type = filters.type { parts.append("type:\(type.rawValue)") }
        if let since = filters.since { parts.append("since:\(since.timeIntervalSince1970)") }
        if let until = filters.until { parts.append("until:\(until.timeIntervalSince1970)") }
        return parts.joined(separator: " ")
    }
}

/// A lexical token of the search language, with the character position it starts at (from 1).
struct SearchQueryToken: Equatable {
    enum Kind: Equatable {
        case word(String, prefix: Bool)
        case phrase(String, prefix: Bool)
        case field(String, value: String, isPhrase: Bool)
        case and, or, not, minus, open, close
    }

    var kind: Kind
    var position: Int
}

/// Splits query text into tokens. Control characters separate words (a NUL would end the
/// pattern in SQLite).
enum SearchQueryLexer {
    static func tokens(of text: String) throws(IndexError) -> [SearchQueryToken] {
        let characters = Array(text)
        var tokens: [SearchQueryToken] = []
        var i = 0
        func isSeparator(_ c: Character) -> Bool {
            c.isWhitespace || c.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }
        func ends(_ c: Character) -> Bool { isSeparator(c) || c == "(" || c == ")" || c == "\"" }

        /// A quoted phrase starting at `i` (on the quote): its text, whether `*` follows, and
        /// where the scan goes on.
        func phrase(at start: Int) throws(IndexError) -> (String, Bool, Int) {
            var j = start + 1
            while j < characters.count, characters[j] != "\"" { j += 1 }
            guard j < characters.count else {
                throw IndexError(.invalidQuery, "at character \(start + 1): expected a closing \" for this phrase")
            }
            let body = String(characters[(start + 1)..<j].map { isSeparator($0) ? " " : $0 })
            j += 1
            var prefix = false
            if j < characters.count, characters[j] == "*" {
                prefix = true
                while j < characters.count, characters[j] == "*" { j += 1 }
            }
            return (body.trimmingCharacters(in: .whitespaces), prefix, j)
        }

        while i < characters.count {
            let c = characters[i]
            let position = i + 1
            if isSeparator(c) {
                i += 1
            } else if c == "(" {
                tokens.append(.init(kind: .open, position: position))
                i += 1
            } else if c == ")" {
                tokens.append(.init(kind: .close, position: position))
                i += 1
            } else if c == "\"" {
                let (body, prefix, next) = try phrase(at: i)
                tokens.append(.init(kind: .phrase(body, prefix: prefix), position: position))
                i = next
            } else if c == "-", i + 1 < characters.count, !isSeparator(characters[i + 1]), characters[i + 1] != ")",
                      i == 0 || ends(characters[i - 1]) {
                tokens.append(.init(kind: .minus, position: position))
                i += 1
            } else {
                var j = i
                while j < characters.count, !ends(characters[j]) { j += 1 }
                let word = String(characters[i..<j])
                i = j
                switch word {
                case "AND": tokens.append(.init(kind: .and, position: position))
                case "OR": tokens.append(.init(kind: .or, position: position))
                case "NOT": tokens.append(.init(kind: .not, position: position))
                default:
                    if let colon = word.firstIndex(of: ":"), colon != word.startIndex,
                       word[..<colon].allSatisfy({ $0.isASCII && $0.isLetter }) {
                        let name = word[..<colon].lowercased()
                        guard SearchQuery.fields.contains(name) else {
                            throw IndexError(.invalidQuery, """
                                at character \(position): unknown field \(name): (fields are \
                                \(SearchQuery.fields.map { $0 + ":" }.joined(separator: ", "))); \
                                put the word in quotes to search for it as text
                                """)
                        }
                        var value = String(word[word.index(after: colon)...])
                        var isPhrase = false
                        if value.isEmpty, i < characters.count, characters[i] == "\"" {
                            let (body, _, next) = try phrase(at: i)
                            (value, isPhrase, i) = (body, true, next)
                        }
                        guard !value.isEmpty else {
                            throw IndexError(.invalidQuery, "at character \(position): expected a value after \(name):")
                        }
                        tokens.append(.init(kind: .field(name, value: value, isPhrase: isPhrase), position: position))
                    } else {
                        var stem = Substring(word)
                        let prefix = stem.hasSuffix("*")
                        while stem.hasSuffix("*") { stem = stem.dropLast() }
                        tokens.append(.init(kind: .word(String(stem), prefix: prefix), position: position))
                    }
                }
            }
        }
        return tokens
    }
}

/// Recursive descent over the tokens (the grammar in ``SearchQuery``).
struct SearchQueryParser {
    let tokens: [SearchQueryToken]
    private var index = 0
    private var depth = 0
    private var filters = SearchQuery.Filters()

    init(tokens: [SearchQueryToken]) {
        self.tokens = tokens
    }

    /// The parsed expression (nil when there is no term) and the filters.
    mutating func parseQuery() throws(IndexError) -> (SearchQuery.Expression?, SearchQuery.Filters) {
        // The top level: the only place filters may stand.
        var members: [SearchQuery.Expression] = []
        var alternatives: [[SearchQuery.Expression]] = []
        var orPosition: Int?
        while let token = peek {
            switch token.kind {
            case .close:
                throw IndexError(.invalidQuery, "at character \(token.position): ) without a matching (")
            case .or:
                guard !members.isEmpty else { throw expected("a term before OR", at: token) }
                alternatives.append(members)
                members = []
                orPosition = token.position
                index += 1
                if let next = peek, next.isConnective { throw expected("a term after OR", at: token) }
            case .and:
                guard !members.isEmpty else { throw expected("a term before AND", at: token) }
                index += 1
                guard let next = peek, !next.isConnective else { throw expected("a term after AND", at: peek ?? token) }
            case .field(let name, let value, _):
                guard alternatives.isEmpty else {
                    throw IndexError(.invalidQuery, "at character \(token.position): \(name): filters the whole query and cannot be one side of OR; put the OR inside parentheses")
                }
                try addFilter(name, value, at: token.position)
                index += 1
            default:
                if let member = try parseUnary() { members.append(member) }
            }
        }
        if !alternatives.isEmpty {
            guard !members.isEmpty else {
                throw IndexError(.invalidQuery, "at character \(orPosition ?? 1): expected a term after OR, found the end of the query")
            }
            alternatives.append(members)
            // A filter after the last OR would have been read into that side: refuse it the same way.
            let sides = try alternatives.map { (side: [SearchQuery.Expression]) throws(IndexError) in try Self.all(side, at: orPosition ?? 1) }
            return (.any(sides), filters)
        }
        guard !members.isEmpty else { return (nil, filters) }
        return (try Self.all(members, at: 1), filters)
    }

    private var peek: SearchQueryToken? { index < tokens.count ? tokens[index] : nil }

    private func expected(_ what: String, at token: SearchQueryToken) -> IndexError {
        IndexError(.invalidQuery, "at character \(token.position): expected \(what)")
    }

    /// `or = and { OR and }`, inside parentheses.
    private mutating func parseOr(openedAt open: SearchQueryToken) throws(IndexError) -> SearchQuery.Expression? {
        var sides: [SearchQuery.Expression] = []
        while true {
            let side = try parseAnd(openedAt: open)
            if let side { sides.append(side) }
            guard let token = peek, token.kind == .or else { break }
            guard side != nil else { throw expected("a term before OR", at: token) }
            index += 1
            guard let next = peek, next.kind != .close, !next.isConnective else {
                throw expected("a term after OR", at: peek ?? token)
            }
        }
        return sides.count == 1 ? sides[0] : sides.isEmpty ? nil : .any(sides)
    }

    /// `and = unary { [AND] unary }`, up to `)`, `OR` or the end.
    private mutating func parseAnd(openedAt open: SearchQueryToken) throws(IndexError) -> SearchQuery.Expression? {
        var members: [SearchQuery.Expression] = []
        while let token = peek {
            switch token.kind {
            case .close, .or:
                return members.isEmpty ? nil : try Self.all(members, at: open.position)
            case .and:
                guard !members.isEmpty else { throw expected("a term before AND", at: token) }
                index += 1
                guard let next = peek, next.kind != .close, !next.isConnective else {
                    throw expected("a term after AND", at: peek ?? token)
                }
            case .field(let name, _, _):
                throw IndexError(.invalidQuery, "at character \(token.position): \(name): filters the whole query and cannot stand inside parentheses or after NOT")
            default:
                if let member = try parseUnary() { members.append(member) }
            }
        }
        return members.isEmpty ? nil : try Self.all(members, at: open.position)
    }

    /// `unary = NOT unary | - primary | primary`; nil for a term with nothing searchable.
    private mutating func parseUnary() throws(IndexError) -> SearchQuery.Expression? {
        guard let token = peek else { return nil }
        switch token.kind {
        case .not, .minus:
            index += 1
            try descend(at: token)
            defer { depth -= 1 }
            guard let next = peek, next.kind != .close, !next.isConnective else {
                throw expected("a term after \(token.kind == .not ? "NOT" : "-")", at: peek ?? token)
            }
            if case .field(let name, _, _) = next.kind {
                throw IndexError(.invalidQuery, "at character \(next.position): \(name): filters cannot be negated")
            }
            let inner = token.kind == .not ? try parseUnary() : try parsePrimary()
            guard let inner else { return nil }
            if case .not = inner {
                throw IndexError(.invalidQuery, "at character \(token.position): expected a term to exclude, found a second NOT")
            }
            return .not(inner)
        default:
            return try parsePrimary()
        }
    }

    private mutating func parsePrimary() throws(IndexError) -> SearchQuery.Expression? {
        guard let token = peek else { return nil }
        index += 1
        switch token.kind {
        case .word(let text, let prefix):
            return Self.term(text, phrase: false, prefix: prefix).map { .term($0) }
        case .phrase(let text, let prefix):
            return Self.term(text, phrase: true, prefix: prefix).map { .term($0) }
        case .open:
            try descend(at: token)
            defer { depth -= 1 }
            let inner = try parseOr(openedAt: token)
            guard let close = peek, close.kind == .close else {
                let place = peek.map { "at character \($0.position)" } ?? "at the end of the query"
                throw IndexError(.invalidQuery, "\(place): expected ) to close the ( at character \(token.position)")
            }
            index += 1
            guard let inner else {
                throw IndexError(.invalidQuery, "at character \(token.position): expected a term inside the parentheses")
            }
            return inner
        default:
            index -= 1
            throw expected("a term", at: token)
        }
    }

    private mutating func descend(at token: SearchQueryToken) throws(IndexError) {
        depth += 1
        guard depth <= SearchQuery.maximumDepth else {
            throw IndexError(.invalidQuery, "at character \(token.position): the query nests deeper than \(SearchQuery.maximumDepth) levels")
        }
    }

    /// Members joined by AND; at least one must be a term that is not excluded.
    private static func all(_ members: [SearchQuery.Expression], at position: Int) throws(IndexError) -> SearchQuery.Expression {
        guard members.contains(where: { if case .not = $0 { false } else { true } }) else {
            throw IndexError(.invalidQuery, "at character \(position): expected a term to match besides the excluded ones (NOT and - only take away)")
        }
        return members.count == 1 ? members[0] : .all(members)
    }

    private static func term(_ text: String, phrase: Bool, prefix: Bool) -> SearchQuery.Term? {
        guard text.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
        // The prefix applies to the last word; too short a prefix is searched as a word.
        let lastWord = text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).last ?? ""
        return SearchQuery.Term(text: text, isPhrase: phrase, isPrefix: prefix && lastWord.count >= SearchQuery.minimumPrefixLength)
    }

    private mutating func addFilter(_ name: String, _ value: String, at position: Int) throws(IndexError) {
        func once<T>(_ current: T?, _ new: T) throws(IndexError) -> T {
            guard current == nil else {
                throw IndexError(.invalidQuery, "at character \(position): \(name): may be given once")
            }
            return new
        }
        switch name {
        case "speaker":
            guard value.unicodeScalars.count <= QueryLimits.maximumSpeakerLength,
                  SpeakerName.fold(value).contains(where: { $0.isLetter || $0.isNumber }) else {
                throw IndexError(.invalidQuery, "at character \(position): speaker: takes a name of letters or digits, at most \(QueryLimits.maximumSpeakerLength) characters")
            }
            filters.speakers.append(SpeakerName.fold(value))
        case "source":
            filters.sources.append(value)
        case "ticker":
            do {
                filters.tickers.append(try IndexReader.validateSymbol(value))
            } catch {
                throw IndexError(.invalidQuery, "at character \(position): ticker: \(error.message)")
            }
        case "type":
            guard let type = SearchHitType(rawValue: value.lowercased()) else {
                throw IndexError(.invalidQuery, "at character \(position): type: takes quotation or article")
            }
            filters.type = try once(filters.type, type)
        case "since", "until":
            guard let date = QueryDate.parse(value) else {
                throw IndexError(.invalidQuery, "at character \(position): \(name): takes a date like 2026-01-02 or 2026-01-02T03:04:05Z")
            }
            if name == "since" {
                filters.since = try once(filters.since, date)
            } else {
                // A day alone means up to the end of that day.
                filters.until = try once(filters.until, value.count == 10 ? date.addingTimeInterval(86_400) : date)
            }
        default:
            break  // the lexer lets only known fields through
        }
    }
}

extension SearchQueryToken {
    /// AND or OR: a token that joins two terms and cannot start or end one.
    var isConnective: Bool { kind == .and || kind == .or }
}
