import Foundation
@testable import QuoteParser
import QuotewireModels
import Testing

/// Guards for the furniture layer on real text from `../shared` (never copied here; in CI its absence
/// fails, elsewhere the tests are skipped):
/// - html-dev (`corpora/html-dev/gold.jsonl`: 400 news pages, the article text people marked and the
///   page's other text: datelines, bylines, captions, credits): the layer keeps the article's lines (as
///   paragraphs, headings, headline or caption) and drops most of the rest, and finds few quotations in
///   the rest (the text's own quotations repeated there count too);
/// - PolNeAR: transcript quotations do not fall, and no speaker is furniture.
@Suite("Furniture guards on real text")
struct FurnitureGuardTests {
    static let htmlDev = TestSupport.shared.appendingPathComponent("corpora/html-dev/gold.jsonl")
    static let polnear = TestSupport.shared.appendingPathComponent("corpora/polnear")
    static var htmlDevAvailableOrCI: Bool { TestSupport.inCI || TestSupport.sharedFileExists(htmlDev) }
    static var polnearAvailableOrCI: Bool {
        TestSupport.inCI || TestSupport.sharedFileExists(polnear.appendingPathComponent("dev/gold.jsonl"))
    }

    /// Lower-cased word tokens.
    static func words(_ s: String) -> [Substring] {
        s.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Share of `line`'s words that one of `texts` holds (a text found inside the line, in order).
    static func covered(_ line: String, by texts: [String]) -> Double {
        let lw = words(line)
        guard !lw.isEmpty else { return 1 }
        let joined = " " + lw.joined(separator: " ") + " "
        var best = 0.0
        for t in texts {
            let tw = words(t)
            if !tw.isEmpty, joined.contains(" " + tw.joined(separator: " ") + " ") { best = max(best, Double(tw.count) / Double(lw.count)) }
        }
        return best
    }

    @Test(.enabled(if: htmlDevAvailableOrCI, "needs ../shared/corpora/html-dev"))
    func articleLinesStayAndFurnitureGoes() throws {
        #expect(TestSupport.sharedFileExists(Self.htmlDev), "CI needs ../shared/corpora/html-dev")
        guard let data = FileManager.default.contents(atPath: Self.htmlDev.path),
              let lines = String(data: data, encoding: .utf8)?.split(separator: "\n") else { return }
        var kept = 0, body = 0, leaked = 0, furniture = 0, furnitureQuotes = 0
        let parser = QuoteParser()
        for line in lines {
            guard let page = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let text = page["articleBody"] as? String else { continue }
            func nonEmpty(_ s: String?) -> [String] {
                (s ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !Self.words($0).isEmpty }
            }
            let sup = nonEmpty(page["supplemental"] as? String)
            let bodyLines = nonEmpty(text)
            let head = nonEmpty(page["headline"] as? String)
            let a = parser.parse((head + sup + bodyLines).joined(separator: "\n\n"), articleId: "guard")
            for l in bodyLines {
                body += 1
                if Self.covered(l, by: a.paragraphs + a.headings + [a.headline, a.caption].compactMap { $0 }) >= 0.5 { kept += 1 }
            }
            for l in sup {
                furniture += 1
                if Self.covered(l, by: a.paragraphs) >= 0.5 { leaked += 1 }
                furnitureQuotes += a.quotations.filter { !$0.text.isEmpty && l.contains($0.text) }.count
            }
        }
        let keptShare = Double(kept) / Double(max(1, body))
        let leakedShare = Double(leaked) / Double(max(1, furniture))
        print("html-dev: body lines kept \(kept)/\(body) = \(keptShare), furniture lines leaked \(leaked)/\(furniture) = \(leakedShare), quotations in furniture \(furnitureQuotes)")
        #expect(keptShare >= Self.minBodyKept)
        #expect(leakedShare <= Self.maxFurnitureLeaked)
        #expect(furnitureQuotes <= Self.maxFurnitureQuotes)
    }

    /// Figures reached on 2026-12-07 (0.9914 kept, 0.330 leaked, 7 quotations; before the layer: 0.9982 kept, 0.957
    /// leaked, 7 quotations), with a little room. The lines it loses are furniture the annotators kept in the
    /// article text (bylines, credits, contact and link lines, rules).
    static let minBodyKept = 0.99
    static let maxFurnitureLeaked = 0.40
    static let maxFurnitureQuotes = 7

    /// Quotations a transcript label attributed on 2026-12-07, before transcripts needed evidence; train had a
    /// fourth, `Continued Stone:`, which since 2026-12-08 is a speech verb before its subject (`Stone`), a lead-in.
    static let transcriptFloors = ["dev": 7, "train": 3]

    @Test(.enabled(if: polnearAvailableOrCI, "needs ../shared/corpora/polnear"), arguments: ["dev", "train", "dev-articles"])
    func transcriptsHoldAndNoSpeakerIsFurniture(_ split: String) throws {
        let dir = Self.polnear.appendingPathComponent(split)
        #expect(TestSupport.sharedFileExists(dir), "CI needs ../shared/corpora/polnear")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        let parser = QuoteParser()
        var transcript = 0
        for f in files {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            let a = parser.parse(text, articleId: f)
            transcript += a.quotations.filter { $0.attribution == "transcriptLabel" }.count
            for q in a.quotations {
                guard let speaker = q.speaker else { continue }
                #expect(!Self.isFurniture(speaker), "\(split)/\(f): speaker \(speaker)")
                #expect(!a.headings.contains(speaker), "\(split)/\(f): speaker \(speaker) is a section label")
            }
        }
        print("PolNeAR \(split): \(transcript) transcript quotations")
        #expect(transcript >= Self.transcriptFloors[split] ?? 0)
    }

    /// Would the speaker's name, read as a line, be furniture (a promo line, a credit, a caption, a date), or
    /// does a credit open it (`Getty Images Kevin Vickers`)? A one-word name in lower case may be a surname
    /// that is also a promo word (`Read`, `Share`).
    static func isFurniture(_ name: String) -> Bool {
        var copy = name
        return copy.withUTF8 { b in
            let c = LineClassifier.classify(b, 0..<b.count, opensBody: false)
            switch c.kind {
            case .linkPromo: return name.contains(" ") || name == name.uppercased()
            case .credit, .caption, .dateline: return true
            case .paragraph:
                var pieces: [Range<Int>] = []
                if let t = c.text { LineClassifier.appendPieces(b, t, to: &pieces) }
                return c.credit != nil || pieces.count != 1
            case .sectionLabel, .byline: return false
            }
        }
    }

    @Test func furnitureNamesAreRecognised() {
        for name in ["Getty Images Kevin Vickers", "READ MORE", "WATCH", "Article Continued Below", "THE CANADIAN PRESS/Jane Doe"] {
            #expect(Self.isFurniture(name), "\(name)")
        }
        for name in ["Kevin Vickers", "Ilona Varga", "NATO", "Reuters", "Ukrainian army", "Read"] {
            #expect(!Self.isFurniture(name), "\(name)")
        }
    }
}
