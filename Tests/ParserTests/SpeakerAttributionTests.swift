import Foundation
@testable import QuoteParser
import QuotewireModels
import Testing

/// Attribution classes from issue 12, each on short sentences written for these tests.
@Suite("Speaker attribution")
struct SpeakerAttributionTests {
    private func only(_ text: String) throws -> Quotation {
        let a = TestSupport.parse(text)
        #expect(a.quotations.count == 1)
        return try #require(a.quotations.first)
    }

    @Test func appositionWithoutArticleBetweenNameAndVerb() throws {
        let q = try only("\"Rates will stay high for longer than markets expect,\" Dana Whitfield, chief economist at Harbor Bank, said in an email.")
        #expect(q.speaker == "Dana Whitfield")
        #expect(q.speakerRole == "chief economist at Harbor Bank")
        #expect(q.cue == "said")
    }

    @Test func appositionWithArticle() throws {
        let q = try only("\"We have done our part,\" said Helen Marsh, a spokeswoman for the council.")
        #expect(q.speaker == "Helen Marsh")
        #expect(q.speakerRole == "spokeswoman for the council")
    }

    @Test func relativeClauseAndGerundAsides() throws {
        #expect(try only("\"We are not going anywhere,\" Luis Ortega, who runs a bakery on the square, said on Monday.").speaker == "Luis Ortega")
        #expect(try only("\"The harvest was poor this year,\" Greta Lind, wearing a straw hat, said quietly.").speaker == "Greta Lind")
    }

    @Test func partyTagsAndParenthesesBeforeTheVerb() throws {
        #expect(try only("\"The bridge will open in spring,\" Mira Castell (D-Ore.) said in a statement.").speaker == "Mira Castell")
        #expect(try only("\"The bridge will open in spring,\" Senator Mira Castell, D-Ore., said.").speaker == "Mira Castell")
    }

    @Test func verbFirst() throws {
        let named = try only("\"The ferry leaves at noon,\" said Piet Oosten.")
        #expect(named.speaker == "Piet Oosten")
        let described = try only("\"We have done our part,\" added the spokeswoman.")
        #expect(described.speaker == nil)
        #expect(described.speakerMention == "the spokeswoman")
        #expect(described.cue == "added")
    }

    @Test func questionOrExclamationThenNameAndVerb() throws {
        let q = try only("\"Did anyone read the report?\" Tom Brandt asked reporters.")
        #expect(q.speaker == "Tom Brandt")
        #expect(q.cue == "asked")
        #expect(try only("\"That is simply wrong!\" Tom Brandt fumed on Tuesday.").speaker == "Tom Brandt")
    }

    @Test(arguments: ["fumed", "implored", "insisted", "quipped", "conceded", "cautioned", "recalled", "scoffed",
                      "tweeted", "wrote", "grumbled", "retorted", "lamented", "mused", "snapped", "testified"])
    func speechVerbsBeyondTheCommonFew(_ verb: String) throws {
        let q = try only("\"The plan cannot work without more money,\" Paul Rendel \(verb).")
        #expect(q.speaker == "Paul Rendel")
        #expect(q.cue == verb)
    }

    @Test func surnameThatIsAlsoAVerb() throws {
        // "Read" is a speech verb in lower case; capitalised before "said" it is a name.
        #expect(try only("\"The deal is good for everyone,\" Anna Read said.").speaker == "Anna Read")
        #expect(try only("Markets were calm.\n\n\"The deal is good for everyone,\" Read said.").speaker == "Read")
    }

    @Test func mixedQuoteMarksCloseTheQuotation() throws {
        let q = try only("\u{201C}The committee meets again next week,\" Jonas Berg said.")
        #expect(q.text == "The committee meets again next week,")
        #expect(q.speaker == "Jonas Berg")
    }

    @Test func describedSpeakerTiedToANameByTheArticle() throws {
        let a = TestSupport.parse("Ruth Adler, the harbour master, closed the port at dawn. \"No ship leaves today,\" the harbour master said.")
        let q = try #require(a.quotation("No ship"))
        #expect(q.speakerMention == "the harbour master")
        #expect(q.speaker == "Ruth Adler")
    }

    @Test func describedSpeakerWithNoName() throws {
        let q = try only("Nobody would say more. \"We will publish the figures,\" the spokesman said.")
        #expect(q.speaker == nil)
        #expect(q.speakerMention == "the spokesman")
    }

    @Test func speakerIntroducedBeforeARunOfQuotations() throws {
        let a = TestSupport.parse("""
            Ines Kovac said that the budget would hold and that taxes would not rise.

            "We have checked every line of it twice."

            "Nobody will pay more next year."
            """)
        #expect(a.quotations.count == 2)
        #expect(a.quotations.allSatisfy { $0.speaker == "Ines Kovac" })
    }

    @Test func pronounWithAntecedent() throws {
        let a = TestSupport.parse("Mayor Ines Kovac spoke to the council on Monday. \"The budget is balanced,\" she said.")
        let q = try #require(a.quotations.first)
        #expect(q.speaker == "Ines Kovac")
        #expect(q.speakerMention == "she")
    }

    @Test func pronounWithoutAntecedent() throws {
        let q = try only("\"The budget is balanced,\" she said.")
        #expect(q.speaker == nil)
        #expect(q.speakerMention == "she")
    }

    @Test func placeAfterACommaIsNotTheSpeaker() throws {
        let a = TestSupport.parse("Nora Quist of the University of Nevada, Las Vegas disagreed with the finding: \"The sample was far too small.\"")
        #expect(a.quotations.first?.speaker == "Nora Quist")
    }
}

/// The speech-verb lists are data (`Shared/Parser/Lexicons`; the build checks every list is sorted
/// and deduplicated): these check their rows' shapes and that they agree with each other.
@Suite("Speech-verb lexicon")
struct SpeechVerbLexiconTests {
    @Test func rowsHaveFourForms() {
        let rows = Lexicon.rows(LexiconData.speechVerbs)
        #expect(rows.count >= 200)
        #expect(rows.allSatisfy { $0.count == 4 && $0[0] != "-" && $0[2] != "-" && $0[3] != "-" })
        let gerunds = rows.map { $0[3] }
        #expect(Set(gerunds).count == gerunds.count, "no verb twice")
    }

    @Test func phrasalRowsHaveAParticleAndFourForms() {
        let rows = Lexicon.rows(LexiconData.speechVerbsPhrasal)
        #expect(rows.allSatisfy { $0.count == 5 && ["back", "in", "on"].contains($0[0]) })
    }

    @Test func listenerAndBareFormVerbsAreSpeechVerbs() {
        let lemmas = Set(Lexicon.rows(LexiconData.speechVerbs).map { $0[0] })
        for list in [LexiconData.listenerVerbs, LexiconData.speechVerbsBareForm] {
            let missing = Lexicon.rows(list).map { $0[0] }.filter { !lemmas.contains($0) }
            #expect(missing.isEmpty, "not in speech-verbs.txt: \(missing)")
        }
    }
}
