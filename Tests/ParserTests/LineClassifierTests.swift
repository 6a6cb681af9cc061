import Foundation
@testable import QuoteParser
import QuotewireModels
import Testing

/// The line classifier on single lines written for these tests: each furniture class in the shapes wire
/// copy and scraped pages print it, and prose that looks like furniture at first sight but must stay text.
@Suite("Line classifier")
struct LineClassifierTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var line: String
        var kind: LineKind
        /// The parts the line must carry (nil: not checked; "" : must be absent).
        var text: [String]? = nil
        var credit: String? = nil
        var caption: String? = nil
        var byline: String? = nil
        var heading: String? = nil
        var opensBody = false

        var testDescription: String { "\(kind): \(line.prefix(48))" }
    }

    static let examples: [Example] = [
        // Link and promo lines.
        Example(line: "READ MORE: Harbour mayor says 'no deal yet' on ferry fares", kind: .linkPromo),
        Example(line: "WATCH: Crowds line the quay for the tall ships", kind: .linkPromo),
        Example(line: "Read more: How the ferry subsidy works", kind: .linkPromo),
        Example(line: "RELATED | Ferry fares to rise in spring", kind: .linkPromo),
        Example(line: "» ALSO READ: Island schools to close early", kind: .linkPromo),
        Example(line: "Click here to get the Harbour Daily newsletter in your inbox.", kind: .linkPromo),
        Example(line: "Sign up for our morning briefing.", kind: .linkPromo),
        Example(line: "Share this item on Facebook", kind: .linkPromo),
        Example(line: "Share", kind: .linkPromo),
        Example(line: "Trending Now", kind: .linkPromo),
        Example(line: "This site uses cookies to improve your experience.", kind: .linkPromo),
        Example(line: "ADVERTISEMENT", kind: .linkPromo),
        Example(line: "Advertisement 2", kind: .linkPromo),
        Example(line: "Article Continued Below", kind: .linkPromo),
        Example(line: "Story continues below advertisement", kind: .linkPromo),
        Example(line: "Text size:", kind: .linkPromo),
        Example(line: "___", kind: .linkPromo),
        Example(line: "Social Sharing", kind: .linkPromo),
        Example(line: "More from Harbour News", kind: .linkPromo),
        Example(line: "About Harbour News|Submit a news tip|Report error", kind: .linkPromo),
        Example(line: "Follow Tessa Quill at https://social.example/tquill", kind: .linkPromo),
        // Credits.
        Example(line: "THE CANADIAN PRESS/Lena Moss", kind: .credit, credit: "THE CANADIAN PRESS/Lena Moss"),
        Example(line: "(Getty Images)", kind: .credit, credit: "(Getty Images)"),
        Example(line: "Getty Images", kind: .credit, credit: "Getty Images"),
        Example(line: "Photo by Ivo Marsh / Reuters", kind: .credit, credit: "Photo by Ivo Marsh / Reuters"),
        Example(line: "REUTERS/Pia Lund/File Photo", kind: .credit, credit: "REUTERS/Pia Lund/File Photo"),
        Example(line: "Photo: Tim Ashgrove", kind: .credit, credit: "Tim Ashgrove"),
        Example(line: "Copyright 2026 The Associated Press. All rights reserved.", kind: .credit),
        Example(line: "© 2026 The Harbour Daily", kind: .credit),
        Example(line: "— With files from The Associated Press", kind: .credit),
        Example(line: "Reporting by Pia Lund; Editing by Tom Ashgrove", kind: .credit),
        Example(line: "The Associated Press contributed to this report.", kind: .credit),
        Example(line: "This report by The Canadian Press was first published Jan. 12, 2026.", kind: .credit),
        Example(line: "Staff writer Pia Lund can be reached at plund@harbourdaily.example.", kind: .credit),
        // Captions, with their credits.
        Example(line: "Commissioner Harold Vance speaks in Halifax on Monday. THE CANADIAN PRESS/Lena Moss", kind: .caption,
                credit: "THE CANADIAN PRESS/Lena Moss", caption: "Commissioner Harold Vance speaks in Halifax on Monday."),
        Example(line: "A fishing boat sits at the dock in Lunenburg, N.S. (AP Photo/Dario Fenn, File)", kind: .caption,
                credit: "(AP Photo/Dario Fenn, File)", caption: "A fishing boat sits at the dock in Lunenburg, N.S."),
        Example(line: "FILE - Ferries wait at the terminal in Marlow on Jan. 4, 2026.", kind: .caption,
                caption: "Ferries wait at the terminal in Marlow on Jan. 4, 2026."),
        Example(line: "Trade envoy Brenner at the talks / Photo: © HARBOUR LEDGER/STAFF", kind: .caption,
                credit: "HARBOUR LEDGER/STAFF", caption: "Trade envoy Brenner at the talks"),
        // Datelines and date lines.
        Example(line: "Posted: Jan. 12, 2026 5:43 PM ET", kind: .dateline),
        Example(line: "Wednesday, January 14, 2026", kind: .dateline),
        Example(line: "Last Updated: Monday, 12 January 2026 | 11:16am", kind: .dateline),
        Example(line: "Jan 12, 2026  •  2 days ago  •  3 minute read", kind: .dateline),
        Example(line: "Published: Jan. 12, 2026 5:43 p.m. ET", kind: .dateline),
        // Numbers alone are no date: a table's cells stay.
        Example(line: "42", kind: .paragraph),
        Example(line: "1990-1994", kind: .paragraph),
        Example(line: "HALIFAX —", kind: .dateline),
        Example(line: "HALIFAX — The coast guard says crews are faster.", kind: .paragraph,
                text: ["The coast guard says crews are faster."], opensBody: true),
        Example(line: "OTTAWA, Ont. (CP) - Ministers met on Monday.", kind: .paragraph, text: ["Ministers met on Monday."],
                opensBody: true),
        // Bylines.
        Example(line: "By Tessa Quill", kind: .byline, byline: "Tessa Quill"),
        Example(line: "By: Murray Wendt, THE CANADIAN PRESS", kind: .byline, byline: "Murray Wendt, THE CANADIAN PRESS"),
        Example(line: "Tessa Quill · Global News · Posted: Jan 14, 2026", kind: .byline),
        Example(line: "Pia Lund, The Associated Press", kind: .byline),
        Example(line: "The Canadian Press", kind: .byline, byline: "The Canadian Press"),
        Example(line: "K.Sutter--VB", kind: .byline, byline: "K.Sutter"),
        Example(line: "AP Business Writer", kind: .byline),
        Example(line: "Pia Lund, Harbour News Writer", kind: .byline),
        // Section labels on their own line.
        Example(line: "KEEPING SCORE", kind: .sectionLabel, heading: "KEEPING SCORE"),
        Example(line: "- A long road ahead -", kind: .sectionLabel, heading: "A long road ahead"),
        // Credits glued to the text: taken off, the text stays.
        Example(line: "Getty Images Harold Vance said on Monday that times had fallen.", kind: .paragraph,
                text: ["Harold Vance said on Monday that times had fallen."], credit: "Getty Images"),
        Example(line: "THE CANADIAN PRESS/Lena Moss Marguerite Doucet said the figures hide long waits.", kind: .paragraph,
                text: ["Marguerite Doucet said the figures hide long waits."], credit: "THE CANADIAN PRESS/Lena Moss"),
        Example(line: "(AP Photo/Dario Fenn) The boats stayed in port.", kind: .paragraph, text: ["The boats stayed in port."],
                credit: "(AP Photo/Dario Fenn)"),
        Example(line: "Jane Roe/Getty Images Harold Vance said the crews were ready.", kind: .paragraph,
                text: ["Harold Vance said the crews were ready."], credit: "Jane Roe/Getty Images"),
        // A page break glued to a paragraph's start or end is cut off.
        Example(line: "Story continues below The council meets on Monday.", kind: .paragraph, text: ["The council meets on Monday."]),
        Example(line: "The vote is in March. ADVERTISEMENT", kind: .paragraph, text: ["The vote is in March."]),
        Example(line: "The vote is in March.\u{201D} Story continues below advertisement", kind: .paragraph,
                text: ["The vote is in March.\u{201D}"]),
        // Prose that looks like furniture stays text, whole.
        Example(line: "Shares of the ferry operator fell 4 per cent on Monday.", kind: .paragraph),
        Example(line: "Facebook said on Monday it would remove the posts.", kind: .paragraph),
        Example(line: "By Monday, the ferry operator had cancelled 12 sailings.", kind: .paragraph),
        Example(line: "Advertisement spending rose 4 per cent last year, the agency said.", kind: .paragraph),
        Example(line: "Reuters reported on Monday that the talks had stalled.", kind: .paragraph),
        Example(line: "The Canadian Press has learned that the minister will resign.", kind: .paragraph),
        Example(line: "Getty Images said it would review the photographer's work.", kind: .paragraph),
        Example(line: "A Reuters/Ipsos poll found 41 per cent support for the plan.", kind: .paragraph),
        Example(line: "Watch the skies tonight, the forecaster said.", kind: .paragraph),
        Example(line: "The vote was 9-7 | a narrow win, the mayor said.", kind: .paragraph),
        Example(line: "More than 300 people attended the meeting.", kind: .paragraph),
        Example(line: "Related costs rose by a third, the report said.", kind: .paragraph),
        Example(line: "Continue reading the report, and you find the same numbers.", kind: .paragraph),
        Example(line: "NATO allies met in Brussels on Monday.", kind: .paragraph, text: ["NATO allies met in Brussels on Monday."],
                opensBody: true),
        Example(line: "The plan was first reported by Reuters", kind: .paragraph),
        Example(line: "\"We are ready,\" said Pia Lund, who photographed the launch for Getty Images.", kind: .paragraph),
        Example(line: "ENERGY: Benchmark crude fell 84 cents to $52.16 a barrel.", kind: .paragraph),
    ]

    @Test(arguments: examples)
    func classifies(_ x: Example) {
        var copy = x.line
        copy.withUTF8 { b in
            let c = LineClassifier.classify(b, 0..<b.count, opensBody: x.opensBody)
            func str(_ r: Range<Int>?) -> String? { r.map { ByteText.string(b, $0.lowerBound, $0.upperBound) } }
            #expect(c.kind == x.kind)
            var pieces: [Range<Int>] = []
            if let t = c.text { LineClassifier.appendPieces(b, t, to: &pieces) }
            if let text = x.text { #expect(pieces.map { str($0) ?? "" } == text) }
            if c.kind == .paragraph, x.text == nil { #expect(pieces.map { str($0) ?? "" } == [x.line]) }
            if let credit = x.credit { #expect(str(c.credit) == credit) }
            if let caption = x.caption { #expect(str(c.caption) == caption) }
            if let byline = x.byline { #expect(str(c.byline) == byline) }
            if let heading = x.heading { #expect(str(c.heading) == heading) }
        }
    }

    struct Label: Sendable, CustomTestStringConvertible {
        var label: String
        var kind: TranscriptLines.LabelKind
        var testDescription: String { label }
    }

    /// Label words alone, with no article around them to name anyone.
    static let labels: [Label] = [
        Label(label: "KEEPING SCORE", kind: .topic), Label(label: "ENERGY", kind: .topic), Label(label: "CURRENCIES", kind: .topic),
        Label(label: "U.S.-CHINA RELATIONS", kind: .topic), Label(label: "BREXIT VOTE", kind: .topic),
        Label(label: "WHAT'S NEXT", kind: .topic), Label(label: "TRUMP'S TAXES", kind: .topic),
        Label(label: "UPDATE", kind: .note), Label(label: "EDITOR'S NOTE", kind: .note),
        Label(label: "MODERATOR", kind: .person), Label(label: "Q", kind: .person), Label(label: "UNIDENTIFIED MALE", kind: .person),
        Label(label: "MR. HALE", kind: .person), Label(label: "SEN. DANA HALE", kind: .person), Label(label: "KEVIN VICKERS", kind: .person),
        Label(label: "MORROW", kind: .unknown), Label(label: "FREIGHT TALKS", kind: .unknown),
    ]

    @Test(arguments: labels)
    func labelKinds(_ x: Label) {
        var copy = x.label
        copy.withUTF8 { b in
            #expect(TranscriptLines.kind(b, label: 0..<b.count, names: LabelNameEvidence(b)) == x.kind)
        }
    }

    @Test func aBareNameIsAPersonWhenTheArticleWritesItAfterAGivenName() {
        var text = "Senator Dana Hale and Victor Morrow debated.\nMORROW: I would freeze the fares.\n"
        text.withUTF8 { b in
            guard let s = ByteText.find(b, 0, b.count, "MORROW") else {
                Issue.record("no label in the text")
                return
            }
            #expect(TranscriptLines.kind(b, label: s..<(s + 6), names: LabelNameEvidence(b)) == .person)
        }
    }
}
