@testable import QuoteParser
import QuotewireModels
import Testing

/// The kind of entity a speaker is and the one name an article gives it (issue 26), each on short
/// texts written for these tests.
@Suite("Speaker entities")
struct SpeakerEntityTests {
    private func only(_ text: String) throws -> Quotation {
        let a = TestSupport.parse(text)
        #expect(a.quotations.count == 1)
        return try #require(a.quotations.first)
    }

    @Test func aGroupOrAPartyIsWhatTheSpeakerIsNotWho() throws {
        for (text, group) in [("\"We will block the bill,\" Senate Republicans said.", "Senate Republicans"),
                              ("\"Pay has not kept up,\" said Bus Drivers.", "Bus Drivers"),
                              ("\"The vote will be close,\" said one Ohio Democrat.", "Ohio Democrat")] {
            let q = try only(text)
            #expect(q.speaker == nil, "\(text)")
            #expect(q.speakerRole == group, "\(text)")
        }
    }

    @Test func namesThatEndLikeGroupsStayNames() throws {
        #expect(try only("\"The ceasefire must hold,\" the United Nations said.").speaker == "United Nations")
        // A demonym alone, in the singular, may be a surname.
        #expect(try only("\"Markets hate surprises,\" Cuban said.").speaker == "Cuban")
    }

    @Test func aTitledSurnameIsThePersonOfThatGender() throws {
        let couple = try only("""
            Lena Voss watched from the gallery. Her husband, Senator Mark Voss, rose to speak.

            "This bill fails the workers," Mr. Voss said.
            """)
        #expect(couple.speaker == "Mark Voss")
        // The only full name is a woman's: "Mr. Harlan" stays a surname rather than becoming hers.
        let wife = try only("""
            Mr. Harlan spoke at the gala on Friday.

            Ruth Harlan, his wife, sat at the front table.

            "It was a good night for the city," Mr. Harlan said.
            """)
        #expect(wife.speaker == "Harlan")
    }

    @Test func aWordOpeningTheSentenceIsNotAGivenName() throws {
        let q = try only("Michael Stroud gave the speech in 2015.\n\nNow Stroud says, \"I was wrong about the tax.\"")
        #expect(q.speaker == "Michael Stroud")
        #expect(try only("The storm reached the coast at noon.\n\nSaid Ellis: \"We are ready for it.\"").speaker == "Ellis")
    }

    @Test func aPlaceBeforeTheNextClauseIsNoApposition() throws {
        // "in Dover, the mayor also said": the mayor is the next clause's subject, not Dover's apposition.
        let a = TestSupport.parse("""
            Mayor Jane Hollis opened the fair on Saturday. At a stand in Dover, the mayor also said the fair would return next year.

            "It is our best year yet," the mayor said.
            """)
        let q = try #require(a.quotations.first)
        #expect(q.speaker == "Jane Hollis")
        #expect(q.speakerMention == "the mayor")
    }

    @Test func theArticleOfAOneWordTitleIsPartOfTheName() throws {
        #expect(try only("\"The numbers are weak,\" The Ledger reported.").speaker == "The Ledger")
        // A name that is no common word needs no article.
        #expect(try only("\"The numbers are weak,\" the Brackwell Courier reported.").speaker == "Brackwell Courier")
    }

    @Test func anAbbreviatedTitleBeforeTheName() throws {
        let q = try only("\"We will not wait,\" said Del. Maria Santos of Guam.")
        #expect(q.speaker == "Maria Santos")
        #expect(q.speakerRole == "Del.")
    }
}
