import ArgumentParser
import Foundation
import QuotewireIndex
import QuotewireModels
import QuotewireTestSupport
import Testing
@testable import QuotewireCLI

/// The query commands run in-process (``Console`` captures what they print) against an index
/// folder written for the test: formats, paging through every result, facets, and the errors
/// a malformed query gets.
@Suite("quotewire query commands, in-process")
struct QueryCommandTests {
    /// What a command printed and the status it would exit with.
    struct Outcome {
        var status: Int32
        var output: String
        var error: String
    }

    /// Parses and runs `arguments` as `quotewire ARGS` would, in this process.
    static func run(_ arguments: [String]) async -> Outcome {
        let capture = ConsoleCapture()
        var status: Int32 = 0
        await Console.$current.withValue(capture.console) {
            do {
                try await Quotewire.execute(arguments)
            } catch {
                status = Quotewire.exitCode(for: error).rawValue
                let message = Quotewire.fullMessage(for: error)
                if !message.isEmpty { capture.console.write(message + "\n", to: .error) }
            }
        }
        return Outcome(status: status, output: capture.output, error: capture.error)
    }

    /// Nine articles in two shards; each quotes two of three speakers, on nine days, from
    /// three outlets, with text that CSV must quote (commas, quotes, line breaks).
    static func index() async throws -> ScratchFolder {
        let folder = try ScratchFolder()
        let index = IndexFolder(path: folder.path("index"))
        let speakers = ["Ana Lopes", "Ines Varga", "Oleh Kiper"]
        let outlets = ["The Ledger", "Harbour Post", "Volkswacht"]
        var byPartition: [Int: [ParsedArticle]] = [:]
        for n in 0..<9 {
            let quotations = (0..<2).map { k in
                let text = k == 0 ? "Harbours, \"cranes\" and ships, part \(n)" : "The quay\nreopens on day \(n)"
                return Quotation(text: text, speaker: speakers[(n + k) % 3], speakerMention: nil, speakerRole: k == 0 ? "mayor" : nil,
                                 cue: "said", kind: .direct, start: 0, end: text.unicodeScalars.count)
            }
            let article = ParsedArticle(
                articleId: "article-\(n)", source: outlets[n % 3], headline: "Harbour news \(n)", headings: [],
                publishedAt: Date(timeIntervalSince1970: 1_772_000_000 + Double(n) * 86_400), receivedAt: nil,
                paragraphs: ["The harbour reopened on day \(n)."], quotations: quotations, marketQuotes: [])
            byPartition[n % 2, default: []].append(article)
        }
        for (partition, articles) in byPartition {
            let writer = try IndexShardWriter.open(folder: index, partition: partition)
            let operations = articles.enumerated().map { IndexOperation.upsert($1, seenAt: Date(), offset: Int64($0)) }
            try await writer.apply(IndexBatch(operations: operations, topic: "quotes.parsed", partition: partition,
                                              nextOffset: Int64(articles.count)))
            try writer.close()
        }
        return folder
    }

    /// `text` read by Python's csv module, as rows of fields.
    static func pythonCSV(_ text: String) async throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-csv-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                print(json.dumps(list(csv.reader(f, strict=True))))
            """
        let result = try await CommandRun.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, file.path])
        #expect(result.status == 0, "\(result.errors)")
        return try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
    }

    @Test func quotesExportEveryQuotationAsCSVThatPythonReadsBack() async throws {
        let folder = try await Self.index()
        let expected = try await IndexReader(folder: IndexFolder(path: folder.path("index"))).quotations(limit: 500).quotations
        #expect(expected.count == 18)
        // Four a page: the command follows the cursor through five pages.
        let outcome = await Self.run(["quotes", "--index", folder.path("index"), "--format", "csv", "--all", "--limit", "4"])
        #expect(outcome.status == 0, "\(outcome.error)")
        let rows = try await Self.pythonCSV(outcome.output)
        #expect(rows.first == ["articleId", "source", "date", "speaker", "role", "text"])
        #expect(rows.dropFirst().map { [$0[0], $0[1], $0[3], $0[4], $0[5]] }
            == expected.map { [$0.articleId, $0.source ?? "", $0.speaker ?? "", $0.speakerRole ?? "", $0.text] })
        #expect(rows.dropFirst().map { $0[2] } == expected.map { ISO8601DateFormatter().string(from: $0.publishedAt ?? .distantPast) })
    }

    @Test func searchAsJSONLinesAndAsOneJSONDocumentHoldEveryHit() async throws {
        let folder = try await Self.index()
        let path = folder.path("index")
        let reader = IndexReader(folder: IndexFolder(path: path))
        let total = try #require(try await reader.search("harbour* type:article", limit: 100, facets: true).facets).total
        #expect(total == 9)

        let lines = await Self.run(["search", "harbour* type:article", "--index", path, "--format", "jsonl", "--all", "--limit", "2"])
        #expect(lines.status == 0, "\(lines.error)")
        let hits = try lines.output.split(separator: "\n").map { try WireCoding.decoder().decode(SearchHit.self, from: Data($0.utf8)) }
        #expect(hits.count == total)
        #expect(Set(hits.map(\.articleId)).count == total, "every article once")

        let document = await Self.run(["search", "harbour* type:article", "--index", path, "--json", "--all", "--limit", "2",
                                       "--sort", "oldest", "--facets"])
        #expect(document.status == 0, "\(document.error)")
        let page = try WireCoding.decoder().decode(SearchPage.self, from: Data(document.output.utf8))
        #expect(page.results.map(\.articleId) == (0..<9).map { "article-\($0)" }, "oldest first, across pages")
        #expect(page.nextCursor == nil)
        #expect(page.facets?.total == total)
        #expect(page.facets?.sources.map(\.count).reduce(0, +) == total)
    }

    @Test func searchTableShowsFacetsAndTheNextCursor() async throws {
        let folder = try await Self.index()
        let outcome = await Self.run(["search", "speaker:lopes type:quotation", "--index", folder.path("index"),
                                      "--limit", "2", "--facets"])
        #expect(outcome.status == 0, "\(outcome.error)")
        #expect(outcome.output.contains("more: --cursor "))
        #expect(outcome.output.contains("6 results in all"), "\(outcome.output)")
        #expect(outcome.output.contains("Ana Lopes") && outcome.output.contains("DAY"))
    }

    @Test func malformedQueriesAndFormatClashesFailWithAReason() async throws {
        let folder = try await Self.index()
        let malformed = await Self.run(["search", "harbour OR", "--index", folder.path("index")])
        #expect(malformed.status == 2)
        #expect(malformed.error.contains("at character 9: expected a term after OR"), "\(malformed.error)")
        #expect(malformed.output.isEmpty)

        let clash = await Self.run(["quotes", "--index", folder.path("index"), "--json", "--format", "csv"])
        #expect(clash.status == ExitCode.validationFailure.rawValue)
        #expect(clash.error.contains("two formats"), "\(clash.error)")
    }

    @Test func theBinaryExitsWithTheSameStatus() async throws {
        let folder = try await Self.index()
        let result = try await CLIRunner.run(["search", "harbour OR", "--index", folder.path("index")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("expected a term after OR"))
        let csv = try await CLIRunner.run(["speakers", "--index", folder.path("index"), "--format", "csv"])
        #expect(csv.status == 0)
        #expect(try await Self.pythonCSV(csv.stdout).first == ["name", "quotations", "mentions"])
    }
}
