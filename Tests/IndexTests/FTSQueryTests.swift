import Testing
@testable import QuotewireIndex

@Suite("FTS query translator")
struct FTSQueryTests {
    @Test func wordsBecomeQuotedTermsJoinedByAnd() throws {
        #expect(try FTSQuery("peace talks").pattern == #""peace" AND "talks""#)
    }

    @Test func phrasesAndPrefixesKeepTheirMeaning() throws {
        #expect(try FTSQuery(#""not easy" nego*"#).pattern == #""not easy" AND "nego" *"#)
        #expect(try FTSQuery(#""peace tal"*"#).pattern == #""peace tal" *"#)
    }

    @Test func tooShortPrefixIsAWord() throws {
        #expect(try FTSQuery("a*").pattern == #""a""#)
    }

    @Test func operatorsAreLiteralText() throws {
        #expect(try FTSQuery("AND OR NOT").pattern == #""AND" AND "OR" AND "NOT""#)
        #expect(try FTSQuery("NEAR(").pattern == #""NEAR(""#)
        #expect(try FTSQuery("headline:rutte").pattern == #""headline:rutte""#)
    }

    @Test func unbalancedQuoteRunsToTheEnd() throws {
        #expect(try FTSQuery(#"c++ "shoot"#).pattern == #""c++" AND "shoot""#)
    }

    @Test func embeddedQuotesAreDoubled() throws {
        let query = try FTSQuery(#"it"s"#)
        #expect(query.pattern == #""it" AND "s""#)
    }

    @Test(arguments: ["", "   ", "*", "**", "()", "+ - ^", "\"\"", "\" \"*"])
    func nothingSearchableIsRejected(_ text: String) {
        #expect(throws: IndexError.self) { try FTSQuery(text) }
    }

    @Test func hugeQueriesAreRejectedNotPassedOn() {
        let huge = String(repeating: "word ", count: 2_048)
        #expect { try FTSQuery(huge) } throws: { ($0 as? IndexError)?.kind == .invalidQuery }
        let manyTerms = (0..<40).map { "w\($0)" }.joined(separator: " ")
        #expect { try FTSQuery(manyTerms) } throws: { ($0 as? IndexError)?.kind == .invalidQuery }
    }
}
