import Foundation
import Testing
@testable import QuotewireIndex

@Suite("Search language: parsing and translation to FTS5")
struct SearchQueryTests {
    /// Query text and the FTS5 pattern it must become.
    static let translations: [(String, String)] = [
        ("peace", #""peace""#),
        ("peace talks", #"("peace" AND "talks")"#),
        ("peace AND talks", #"("peace" AND "talks")"#),
        ("peace OR talks", #"("peace" OR "talks")"#),
        ("a b OR c", #"(("a" AND "b") OR "c")"#),
        (#"zelensky AND (missiles OR "air defence")"#, #"("zelensky" AND ("missiles" OR "air defence"))"#),
        ("missiles -port", #"(("missiles") NOT ("port"))"#),
        ("missiles NOT port NOT harbour", #"(("missiles") NOT ("port" OR "harbour"))"#),
        ("x -(a OR b)", #"(("x") NOT (("a" OR "b")))"#),
        (#""not easy" nego*"#, #"("not easy" AND "nego" *)"#),
        (#""peace tal"*"#, #""peace tal" *"#),
        ("a*", #""a""#),
        // Operators are operators in capitals only; other punctuation is text.
        ("war and peace", #"("war" AND "and" AND "peace")"#),
        ("NEAR", #""NEAR""#),
        ("c++ shoot", #"("c++" AND "shoot")"#),
        ("well-known e-mail", #"("well-known" AND "e-mail")"#),
        ("10:30 talks", #"("10:30" AND "talks")"#),
    ]

    @Test(arguments: translations)
    func translatesToFTS5(_ pair: (String, String)) throws {
        #expect(try SearchQuery(pair.0).pattern == pair.1)
    }

    @Test func filtersAreCollectedBesideTheTerms() throws {
        let query = try SearchQuery(#"speaker:"Mark Rutte" source:Volkswacht source:Post ticker:rio type:quotation since:2026-03-01 until:2026-03-02 drones"#)
        #expect(query.pattern == #""drones""#)
        #expect(query.filters.speakers == [SpeakerName.fold("Mark Rutte")])
        #expect(query.filters.sources == ["Volkswacht", "Post"])
        #expect(query.filters.tickers == ["RIO"])
        #expect(query.filters.type == .quotation)
        #expect(query.filters.since == QueryDate.parse("2026-03-01"))
        #expect(query.filters.until == QueryDate.parse("2026-03-03"), "a day alone in until: includes the day")
        let filtersOnly = try SearchQuery("speaker:rutte")
        #expect(filtersOnly.pattern == nil && filtersOnly.terms.isEmpty)
    }

    @Test func normalisedFormIgnoresSpacingAndFilterOrder() throws {
        #expect(try SearchQuery("a  b source:x speaker:y").normalized == SearchQuery("speaker:Y a b  source:X").normalized)
        #expect(try SearchQuery("a b").normalized != SearchQuery("a OR b").normalized)
    }

    /// Malformed text, and what the message must say (the position and what was expected).
    static let malformed: [(String, String)] = [
        ("", "no word to search for"),
        ("* ++ -", "no word to search for"),
        ("zelensky AND", "at character 10: expected a term after AND"),
        ("zelensky OR", "at character 10: expected a term after OR"),
        ("OR drones", "at character 1: expected a term before OR"),
        ("a OR OR b", "at character 3: expected a term after OR"),
        ("(missiles OR drones", "at the end of the query: expected ) to close the ( at character 1"),
        ("missiles)", "at character 9: ) without a matching ("),
        ("()", "at character 1: expected a term inside the parentheses"),
        (#"drones "air defence"#, #"at character 8: expected a closing " for this phrase"#),
        ("-missiles", "expected a term to match besides the excluded ones"),
        ("a OR -b", "expected a term to match besides the excluded ones"),
        ("NOT NOT x", "second NOT"),
        ("missiles NOT", "at character 10: expected a term after NOT"),
        ("speeker:rutte", "at character 1: unknown field speeker:"),
        ("speaker:", "at character 1: expected a value after speaker:"),
        ("zelensky OR rutte source:x", "at character 19: source: filters the whole query and cannot be one side of OR"),
        ("(speaker:rutte drones)", "at character 2: speaker: filters the whole query and cannot stand inside parentheses"),
        ("drones -source:x", "at character 9: source: filters cannot be negated"),
        ("type:speech", "at character 1: type: takes quotation or article"),
        ("since:yesterday", "at character 1: since: takes a date"),
        ("ticker:$$$", "at character 1: ticker:"),
        ("since:2026-01-01 since:2026-02-01", "at character 18: since: may be given once"),
        (String(repeating: "(", count: 17) + "x" + String(repeating: ")", count: 17), "nests deeper than 16"),
        (String(repeating: "word ", count: 300), "longer than 1000 characters"),
        ((0..<40).map { "w\($0)" }.joined(separator: " "), "more than 32 terms"),
    ]

    @Test(arguments: malformed)
    func malformedQueriesSayWhereAndWhat(_ pair: (String, String)) {
        #expect {
            try SearchQuery(pair.0)
        } throws: { error in
            guard let error = error as? IndexError, error.kind == .invalidQuery else { return false }
            return error.message.contains(pair.1)
        }
    }

    @Test func quoteMarksInsideTermsAreDoubled() throws {
        // `it"s` is the word `it`, then a phrase that is never closed: refused, not mangled.
        #expect(throws: IndexError.self) { try SearchQuery(#"it"s"#) }
        // A quote mark a combining accent hides inside one Character is still doubled.
        let pattern = try #require(try SearchQuery("x\u{301}\"\u{301}y").pattern)
        #expect(pattern.unicodeScalars.filter { $0 == "\"" }.count % 2 == 0, "\(pattern)")
    }
}
