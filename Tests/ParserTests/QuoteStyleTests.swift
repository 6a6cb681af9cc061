import Foundation
import QuoteParser
import QuotewireModels
import Testing

/// Quote marks, quotation shapes and speakers, on sentences written for these tests.
@Suite("Quotations and speakers")
struct QuoteStyleTests {
    @Test(arguments: [
        ("\"We are ready for the vote,\" said Anna Keller.", "We are ready for the vote,"),
        ("“We are ready for the vote,” said Anna Keller.", "We are ready for the vote,"),
        ("‘We are ready for the vote,’ said Anna Keller.", "We are ready for the vote,"),
        ("'We are ready for the vote,' said Anna Keller.", "We are ready for the vote,"),
        ("„Wir sind bereit für die Abstimmung“, said Anna Keller.", "Wir sind bereit für die Abstimmung"),
        ("‚Wir sind bereit für die Abstimmung‘, said Anna Keller.", "Wir sind bereit für die Abstimmung"),
        ("« Nous sommes prêts pour le vote », said Anna Keller.", "Nous sommes prêts pour le vote"),
        ("«Nous sommes prêts pour le vote», said Anna Keller.", "Nous sommes prêts pour le vote"),
    ])
    func everyQuoteMarkStyle(_ input: String, _ expected: String) throws {
        let a = TestSupport.parse(input)
        let q = try #require(a.quotations.first)
        #expect(a.quotations.count == 1)
        #expect(q.text == expected)
        #expect(q.speaker == "Anna Keller")
        #expect(q.cue == "said")
        #expect(q.kind == .direct)
        #expect(TestSupport.slice(input, q.start, q.end) == expected)
    }

    @Test func nestedQuotesAreOneQuotation() throws {
        let a = TestSupport.parse("\"They kept shouting 'not again' at us,\" said Omar Haddad.")
        #expect(a.quotations.count == 1)
        #expect(a.quotations.first?.text == "They kept shouting 'not again' at us,")
        #expect(a.quotations.first?.speaker == "Omar Haddad")
    }

    @Test func apostrophesAreNotQuoteMarks() {
        let a = TestSupport.parse("Rutte's allies don't expect the '90s to return, the leaders' aides said.")
        #expect(a.quotations.isEmpty)
    }

    @Test func singleQuotesInHeadlineWithCue() throws {
        let a = TestSupport.parse("Keller says budget talks 'not easy'\n\nThe talks went on for hours.")
        let q = try #require(a.quotations.first)
        #expect(q.text == "not easy")
        #expect(q.speaker == "Keller")
        #expect(q.kind == .partial)
    }

    @Test func scareQuotesAndTitlesAreNotSpeech() {
        let a = TestSupport.parse("The so-called \"reform\" was covered in the film \"The Long Night\" and by the \"Daily Star\".")
        #expect(a.quotations.isEmpty)
    }

    @Test func partialWithSpeechCueCounts() throws {
        let a = TestSupport.parse("Mayor Lena Novak said the flooding was \"unprecedented\" and called the response \"a disgrace\".")
        #expect(a.quotations.map(\.text) == ["unprecedented", "a disgrace"])
        #expect(a.quotations.allSatisfy { $0.speaker == "Lena Novak" && $0.kind == .partial })
    }

    @Test func multiParagraphQuotationIsOne() throws {
        let text = "Peter Lindqvist opened the meeting.\n\n\"The first paragraph of my speech ends here.\n\n\"The second one goes on,\" Lindqvist said."
        let a = TestSupport.parse(text)
        #expect(a.quotations.count == 1)
        let q = try #require(a.quotations.first)
        #expect(q.text == "The first paragraph of my speech ends here.\n\nThe second one goes on,")
        #expect(q.speaker == "Peter Lindqvist")
        #expect(TestSupport.slice(text, q.start, q.start + 9) == "The first")
    }

    @Test func splitQuotationIsTwoWithOneSpeaker() throws {
        let a = TestSupport.parse("\"We will appeal,\" said Maria Costa, a lawyer for the family. \"This is not over.\"")
        #expect(a.quotations.count == 2)
        #expect(a.quotations.allSatisfy { $0.speaker == "Maria Costa" })
        #expect(a.quotations.first?.speakerRole == "lawyer for the family")
    }

    @Test func pronounSpeakerResolvesToTheLastPerson() throws {
        let text = "Finance minister David Okafor met union leaders on Monday.\n\n\"We found common ground,\" he said."
        let q = try #require(TestSupport.parse(text).quotations.first)
        #expect(q.speaker == "David Okafor")
        #expect(q.speakerMention == "he")
        #expect(q.speakerRole == "Finance minister")
    }

    @Test func loneParagraphWithPronounHasNoSpeaker() throws {
        let q = try #require(TestSupport.parse("\"We found common ground,\" he said.").quotations.first)
        #expect(q.speaker == nil)
        #expect(q.speakerMention == "he")
    }

    @Test func invertedAttributionWithApposition() throws {
        let q = try #require(TestSupport.parse("\"The plant will reopen in May,\" said John Smith, a spokesman.").quotations.first)
        #expect(q.speaker == "John Smith")
        #expect(q.speakerRole == "spokesman")
    }

    @Test func descriptionSpeaker() throws {
        let text = "Talks continued with Brazilian president Lucia Ferreira in the capital.\n\n\"We need a deal this week,\" the Brazilian president told reporters."
        let q = try #require(TestSupport.parse(text).quotations.first)
        #expect(q.speaker == "Lucia Ferreira")
        #expect(q.speakerMention == "the Brazilian president")
        #expect(q.cue == "told")
    }

    @Test func organisationSpeaker() throws {
        let text = "The health ministry said it had opened new clinics.\n\n\"Waiting times will fall by half,\" it said in a statement."
        let q = try #require(TestSupport.parse(text).quotations.first)
        // A description is what the speaker is, not a name for the speaker directory.
        #expect(q.speaker == nil)
        #expect(q.speakerRole == "health ministry")
        #expect(q.speakerMention == "it")
    }

    @Test(arguments: ["told reporters", "added", "warned", "wrote", "insisted", "explained", "noted", "stated"])
    func speechCues(_ cue: String) throws {
        let q = try #require(TestSupport.parse("\"The market will recover,\" Ingrid Larsen \(cue).").quotations.first)
        #expect(q.speaker == "Ingrid Larsen")
        #expect(q.cue == String(cue.split(separator: " ")[0]))
    }

    @Test func accordingTo() throws {
        let q = try #require(TestSupport.parse("According to police chief Sam Osei, \"the suspect fled on foot.\"").quotations.first)
        #expect(q.speaker == "Sam Osei")
        #expect(q.cue == "According to")
    }

    @Test func relativeClauseSpeaker() throws {
        let q = try #require(TestSupport.parse("The envoy Steve Marlow, who said he saw a deal \"emerging\", left on Friday.").quotations.first)
        #expect(q.speaker == "Steve Marlow")
        #expect(q.kind == .partial)
    }

    @Test func fullestNameIsReported() throws {
        let text = "Chancellor Ruth Ambler presented the budget.\n\n\"It balances,\" Ambler said."
        let q = try #require(TestSupport.parse(text).quotations.first)
        #expect(q.speaker == "Ruth Ambler")
        #expect(q.speakerMention == "Ambler")
        #expect(q.speakerRole == "Chancellor")
    }

    @Test func paragraphWithoutAttributionContinuesSpeaker() throws {
        let text = "\"We start tomorrow,\" said coach Tomas Novak.\n\n\"Nobody is injured and everyone is ready.\""
        let a = TestSupport.parse(text)
        #expect(a.quotations.count == 2)
        #expect(a.quotations.allSatisfy { $0.speaker == "Tomas Novak" })
    }

    @Test func paragraphCutFromALongerQuotation() throws {
        // The first paragraph of a multi-paragraph quotation, on its own: no closing mark.
        let text = "Keller told the meeting: \"We will rebuild every bridge the flood took from us"
        let q = try #require(TestSupport.parse(text).quotations.first)
        #expect(q.text == "We will rebuild every bridge the flood took from us")
        #expect(q.speaker == "Keller")
        #expect(TestSupport.slice(text, q.start, q.end) == q.text)
    }

    @Test func offsetsCountUnicodeScalars() throws {
        let text = "Zoë Müller 🇺🇦 said: \"Ça va très bien, merci.\""
        let q = try #require(TestSupport.parse(text).quotations.first)
        #expect(TestSupport.slice(text, q.start, q.end) == q.text)
        #expect(q.speaker == "Zoë Müller")
    }
}
