import Foundation
@testable import QuoteParser
import QuotewireModels
import Testing

/// Each attribution rule on its own, on short sentences written for these tests: the quotation must be
/// attributed by that rule (`Quotation.attribution`) and to that speaker.
@Suite("Attribution rules")
struct AttributionRuleTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var rule: AttributionRule
        var text: String
        /// Which quotation of the text the example is about (the last one by default).
        var quotation: Int = -1
        var speaker: String?
        var mention: String?

        var testDescription: String { "\(rule.name): \(text.prefix(48))" }
    }

    static let examples: [Example] = [
        Example(rule: .verbFirstAfter, text: "\"The ferry leaves at noon,\" said Piet Oosten.", speaker: "Piet Oosten"),
        Example(rule: .verbFirstAfter, text: "\"We will appeal,\" added the lawyer for the family.", speaker: nil,
                mention: "the lawyer for the family"),
        // The inverted subject ends at its comma or relative pronoun: the names after it are not the speaker.
        Example(rule: .verbFirstAfter, text: "\"The ferry leaves at noon,\" said Oosten, who once worked for Harbour Master Lena Vos.",
                speaker: "Oosten"),
        Example(rule: .verbFirstAfter, text: "\"The ferry leaves at noon,\" said one clerk who knew Lena Vos.", speaker: nil,
                mention: "one clerk"),
        Example(rule: .verbFirstAfter, text: "\"The ferry leaves at noon,\" said the harbour master, Lena Vos.", speaker: "Lena Vos"),
        Example(rule: .accordingToAfter, text: "\"The dam held through the night,\" according to Mayor Anke Roos.",
                speaker: "Anke Roos"),
        Example(rule: .cueAfter, text: "\"Prices will fall by autumn,\" Ivo Brand said.", speaker: "Ivo Brand"),
        Example(rule: .cueAfter, text: "\"Prices will fall by autumn,\" Ivo Brand, a trader at Kestrel Grain, told reporters.",
                speaker: "Ivo Brand"),
        Example(rule: .cueAfter, text: "\"Rates stay where they are,\" Ivo Brand, who chairs the Kestrel Grain board said on Monday.",
                speaker: "Ivo Brand"),
        // After a full stop, "Name said" with nothing after it but "it" or "so" referring back to the quotation.
        Example(rule: .cueAfter, text: "The council met.\n\n\"We are not leaving.\" Rosa Pell said it twice.", speaker: "Rosa Pell"),
        // A phrasal speech verb counts only with its particle.
        Example(rule: .cueAfter, text: "\"Nobody asked the farmers,\" Ivo Brand shot back.", speaker: "Ivo Brand"),
        Example(rule: .cueBefore, text: "Anke Roos cut in: \"The farmers were asked twice, in writing.\"", speaker: "Anke Roos"),
        Example(rule: .signatureAfter, text: "\"I drove four hours to vote today and I would do it again.\" — Marta Ruiz, Tucson",
                speaker: "Marta Ruiz"),
        Example(rule: .accordingToBefore, text: "According to Ivo Brand, \"the harvest was the worst in a decade.\"",
                speaker: "Ivo Brand"),
        Example(rule: .gerundBefore, text: "Ivo Brand left the hall early, saying \"there is nothing more to discuss today.\"",
                speaker: "Ivo Brand"),
        // A gerund after a comma shares the subject of the speech verb before it.
        Example(rule: .gerundBefore, text: "The bridge opens in May, Anke Roos said, adding, \"we have waited long enough.\"",
                speaker: "Anke Roos"),
        Example(rule: .gerundBefore,
                text: "\"The bridge opens in May,\" said Anke Roos, speaking for the council, \"and we have waited long enough.\"",
                speaker: "Anke Roos"),
        Example(rule: .cueBefore,
                text: "\"The bridge opens in May,\" Anke Roos said, going on to say that the town had waited \"long enough for any bridge.\"",
                speaker: "Anke Roos"),
        Example(rule: .passiveBefore, text: "The plan was described by Ivo Brand as \"a fair deal for every farmer in the valley.\"",
                speaker: "Ivo Brand"),
        Example(rule: .cueBefore, text: "Ivo Brand told the council: \"We cannot wait another year for the road.\"",
                speaker: "Ivo Brand"),
        Example(rule: .cueBefore, text: "Sen. Ivo Brand (R-Kan.) said \"we cannot wait another year for the road.\"",
                speaker: "Ivo Brand"),
        Example(rule: .cueBefore, text: "Sen. Ivo Brand (R-Kan.), pointing at the map, said, \"We cannot wait another year.\"",
                speaker: "Ivo Brand"),
        Example(rule: .cueBefore, text: "Ivo Brand, who built the first depot, interjected to say: \"We cannot wait another year.\"",
                speaker: "Ivo Brand"),
        // An abbreviation's dot before a comma ("R-Kan.,") does not end the clause.
        Example(rule: .cueBefore, text: "Sen. Ivo Brand, R-Kan., said at the hearing, \"We cannot wait another year for the road.\"",
                speaker: "Ivo Brand"),
        Example(rule: .cueBefore, text: "At the depot the drivers chanted \"no contract, no work\" until dusk.", speaker: nil,
                mention: "the drivers"),
        Example(rule: .colonLeadIn, text: "Ivo Brand did not hesitate: \"We cannot wait another year for the road.\"",
                speaker: "Ivo Brand"),
        Example(rule: .possessorLeadIn, text: "Ivo Brand's answer was: \"We cannot wait another year for the road.\"",
                speaker: "Ivo Brand"),
        Example(rule: .possessorLeadIn, text: "As Ivo Brand put it, \"nobody wants to pay for the road.\"",
                speaker: "Ivo Brand"),
        Example(rule: .possessorLeadIn, text: "As the Courier's Ivo Brand puts it, \"nobody wants to pay for the road.\"",
                speaker: "Ivo Brand"),
        Example(rule: .transcriptLabel, text: "MS. ROOS: \"Can the road wait another year?\"", speaker: "ROOS"),
        Example(rule: .splitQuotation, text: "\"The road is ready,\" Ivo Brand said. \"We open it on Friday.\"",
                speaker: "Ivo Brand"),
        Example(rule: .signatureParagraph, text: "\"I drove four hours to vote today and I would do it again.\"\n\n— Marta Ruiz, Tucson.",
                quotation: 0, speaker: "Marta Ruiz"),
        Example(rule: .quotationParagraph,
                text: "\"The road is ready,\" Ivo Brand said on Monday.\n\n\"We open it on Friday, whatever the weather does.\"",
                speaker: "Ivo Brand"),
        Example(rule: .colonParagraph, text: "Ivo Brand told the council on Monday:\n\n\"We open the road on Friday, whatever the weather does.\"",
                speaker: "Ivo Brand"),
        Example(rule: .reportedSpeechLead,
                text: "Ivo Brand said that the road would open soon.\n\n\"We open it on Friday, whatever the weather does.\"",
                speaker: "Ivo Brand"),
    ]

    @Test(arguments: examples)
    func ruleAttributes(_ example: Example) throws {
        let article = TestSupport.parse(example.text)
        let index = example.quotation >= 0 ? example.quotation : article.quotations.count - 1
        let q = try #require(article.quotations.indices.contains(index) ? article.quotations[index] : nil)
        #expect(q.attribution == example.rule.name)
        #expect(q.speaker == example.speaker)
        if let mention = example.mention { #expect(q.speakerMention == mention) }
    }

    /// The clause rule alone, on the token table of the example's own paragraph: it finds the subject
    /// the example names, whatever the other rules would say.
    @Test(arguments: examples.filter { $0.rule.reads != .context && !$0.text.contains("\n") })
    func ruleAloneFindsTheSubject(_ example: Example) throws {
        var bytes = Array(example.text.utf8)
        let found: String? = try bytes.withUnsafeMutableBufferPointer { mutable in
            let b = UnsafeBufferPointer(mutable)
            var extractor = QuotationExtractor(b)
            let sites = extractor.sites(ofParagraph: 0..<b.count)
            let site = try #require(example.quotation >= 0 ? sites.indices.contains(example.quotation) ? sites[example.quotation] : nil : sites.last)
            let context = RuleContext(tables: [site.opening], bodyCount: 1, span: QuoteSpan(open: 0, start: 0, end: 0, close: 0, paragraph: 0, lastParagraph: 0), found: [])
            let a = try #require(example.rule.find(site, context), "\(example.rule) finds nothing")
            let t = example.rule.reads == .before ? site.opening : site.closing
            return a.subject.map { t.text(of: $0) }
        }
        let expected = try #require(example.speaker ?? example.mention)
        #expect(found.map { $0.hasSuffix(expected) || expected.hasSuffix($0) } == true, "found \(found ?? "nothing")")
    }

    @Test func everyRuleHasAnExample() {
        let covered = Set(Self.examples.map(\.rule))
        #expect(AttributionRule.all.filter { !covered.contains($0) } == [])
    }

    @Test func everyRuleIsInTheRegistryOnce() {
        #expect(Set(AttributionRule.all.map(\.name)).count == AttributionRule.all.count)
        #expect(AttributionRule.after.allSatisfy { $0.reads == .after })
        #expect(AttributionRule.before.allSatisfy { $0.reads == .before })
        #expect(AttributionRule.context.allSatisfy { $0.reads == .context })
    }

    @Test func aNewSentenceWithAClauseOfItsOwnDoesNotAttribute() throws {
        let article = TestSupport.parse("The council met.\n\n\"We are not leaving.\" Rosa Pell said it was time to go.")
        let q = try #require(article.quotations.first)
        #expect(q.speaker == nil)
    }

    @Test func aQuotationNoRuleAttributesHasNoRule() throws {
        let article = TestSupport.parse("The weather was mild.\n\n\"Nobody could say where the boat had gone that night.\"")
        let q = try #require(article.quotations.first)
        #expect(q.attribution == nil)
        #expect(q.speaker == nil)
    }

    @Test func aPhrasalVerbWithoutItsParticleIsNoCue() throws {
        let bare = try #require(TestSupport.parse("\"Nobody asked the farmers about the barn,\" Ivo Brand shot.").quotations.first)
        #expect(bare.speaker == nil)
        #expect(bare.cue == nil)
        let phrasal = try #require(TestSupport.parse("\"Nobody asked the farmers about the barn,\" Ivo Brand shot back.").quotations.first)
        #expect(phrasal.cue == "shot back")
    }

    @Test func aPluralOrADocumentIsNotResolvedToOnePerson() throws {
        let text = "Ivo Brand, the mayor, opened the depot on Monday.\n\n"
            + "As the band played, the mayors chanted \"open the road\" twice. The memo said, \"The road opens in May, as the mayor wants.\""
        let article = TestSupport.parse(text)
        let chant = try #require(article.quotations.first { $0.text.hasPrefix("open the road") })
        #expect(chant.speaker == nil)
        #expect(chant.speakerMention == "the mayors")
        let memo = try #require(article.quotations.first { $0.text.hasPrefix("The road opens") })
        #expect(memo.speaker == nil)
        #expect(memo.speakerMention == "The memo")
    }

    @Test func aDashInsideASentenceIsNoSignature() throws {
        let article = TestSupport.parse("\"We will see,\" — Ivo Brand's campaign replied later that week, without saying more.")
        #expect(article.quotations.count == 1)
        #expect(article.quotations.allSatisfy { $0.attribution != AttributionRule.signatureAfter.name })
    }
}

/// He and she resolve to a person the text does not contradict: titles, gendered role nouns and given names.
@Suite("Pronoun gender")
struct PronounGenderTests {
    @Test func sheSkipsAManNamedCloser() throws {
        let text = "Senator Hanna Voss met Mr. Otto Brandt on Monday. Brandt spoke first.\n\n\"We are close to a deal,\" she said."
        let q = try #require(TestSupport.parse(text).quotations.last)
        #expect(q.speakerMention == "she")
        #expect(q.speaker == "Hanna Voss")
    }

    @Test func heSkipsAWomanByGivenName() throws {
        let text = "Mark Ellery introduced Nancy Quist at the rally.\n\n\"The vote is ours to lose,\" he said."
        let q = try #require(TestSupport.parse(text).quotations.last)
        #expect(q.speaker == "Mark Ellery")
    }

    @Test func aGenderedRoleNounCounts() throws {
        let text = "Party spokeswoman Alex Morrow and Jules Varga spoke after the count.\n\n\"It was a long night,\" he said."
        let q = try #require(TestSupport.parse(text).quotations.last)
        #expect(q.speaker == "Jules Varga")
    }

    @Test func noCompatibleAntecedentLeavesThePronoun() throws {
        let text = "Mr. Otto Brandt spoke first.\n\n\"We are close to a deal,\" she said."
        let q = try #require(TestSupport.parse(text).quotations.last)
        #expect(q.speaker == nil)
        #expect(q.speakerMention == "she")
    }
}

/// Transcript lines: a capitals label and a colon make the line speech, when the page has two speakers' labels.
@Suite("Transcripts")
struct TranscriptTests {
    @Test func eachLabelledLineIsAQuotationOfItsLabel() throws {
        let text = """
            The exchange at the council went on for an hour.

            MR. HALE: We have asked the council for a second vote on the bridge.

            MS. ROOS: The council will decide that in the spring, not before.
            """
        let quotations = TestSupport.parse(text).quotations
        #expect(quotations.map(\.speaker) == ["HALE", "ROOS"])
        #expect(quotations.map(\.text) == ["We have asked the council for a second vote on the bridge.",
                                           "The council will decide that in the spring, not before."])
        #expect(quotations.allSatisfy { $0.attribution == AttributionRule.transcriptLabel.name && $0.kind == .direct })
    }

    @Test func aQuotedTranscriptLineNamesItsSpeakerAsTheArticleDoes() throws {
        let text = "Moderator Tess Hale pressed the mayor on the budget.\n\n\"HALE: Will the library stay open on Sundays next year?\""
        let q = try #require(TestSupport.parse(text).quotations.last)
        #expect(q.speaker == "Tess Hale")
        #expect(q.speakerMention == "HALE")
        #expect(q.text == "Will the library stay open on Sundays next year?")
        #expect(q.attribution == AttributionRule.transcriptLabel.name)
    }

    @Test func aLineLabelIsNoSpeaker() throws {
        let q = try #require(TestSupport.parse("\"UPDATE: The library will stay open on Sundays next year.\"").quotations.first)
        #expect(q.speaker == nil)
        #expect(q.attribution != AttributionRule.transcriptLabel.name)
    }

    @Test func oneLabelAloneIsNoTranscript() {
        let text = "UPDATE: The story now carries a comment from the council.\n\nThe bridge opens in May."
        #expect(TestSupport.parse(text).quotations.isEmpty)
    }
}

/// The name a speaker is given is the name, not the words describing them.
@Suite("Canonical names")
struct CanonicalNameTests {
    @Test(arguments: [
        ("\"The count is not over,\" Republican Hanna Voss said.", "Hanna Voss"),
        ("\"The count is not over,\" said Vermont Democrat Otto Brandt.", "Otto Brandt"),
        ("The senator from Oregon Mira Castell spoke last. \"The count is not over,\" Castell said.", "Mira Castell"),
        ("\"The count is not over,\" the Natural Law Party said in a statement.", "Natural Law Party"),
    ])
    func affiliationsAreNotPartOfTheName(_ text: String, _ speaker: String) throws {
        let q = try #require(TestSupport.parse(text).quotations.last)
        #expect(q.speaker == speaker)
    }
    @Test(arguments: [
        ("\"The count is not over,\" said Charlie King, a county official.", "Charlie King"),
        ("\"The count is not over,\" Senator Angus King said.", "Angus King"),
        ("\"The count is not over,\" said the king.", nil),
    ] as [(String, String?)])
    func aTitleWordAfterAGivenNameIsASurname(_ text: String, _ speaker: String?) throws {
        let q = try #require(TestSupport.parse(text).quotations.last)
        #expect(q.speaker == speaker)
    }
}
