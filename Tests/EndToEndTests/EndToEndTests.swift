import ChildProcesses
import Foundation
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import Synchronization
import Testing

/// Where the shared reference page lives; in CI its absence is a failure, elsewhere a skip.
enum SharedSamples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let referencePage = root.deletingLastPathComponent().appendingPathComponent("shared/samples/volkswacht-rutte-odesa.txt")
    static var available: Bool { FileManager.default.fileExists(atPath: referencePage.path) }
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}

@Suite(.needs(.broker, .processes, .time), .serialized, .timeLimit(.minutes(6))) struct EndToEndTests {
    struct QuotationsJSON: Decodable {
        struct Item: Decodable { var text: String; var speaker: String?; var articleId: String }
        var quotations: [Item]
    }

    @Test(.enabled(if: SharedSamples.available || SharedSamples.required,
                   "needs ../shared/samples/volkswacht-rutte-odesa.txt (skipped: not there, and not CI)"))
    func theReferencePageThroughIngestAndPublishGivesZelenskysTwoQuotationsOnce() async throws {
        let page = try Data(contentsOf: SharedSamples.referencePage)
        let pipeline = try await Pipeline()
        let (status, body) = try await pipeline.ingest(page, contentType: "text/plain")
        #expect(status == 202, "ingest answered \(status): \(String(decoding: body, as: UTF8.self))")
        let id = try JSONDecoder().decode([String: String].self, from: body)["articleId"]
        #expect(id == ArticleID.derive(url: nil, body: String(decoding: page, as: UTF8.self)))

        // The same page again, through `quotewire publish`: still one article.
        let published = try await pipeline.run(["publish", "--topic", pipeline.raw, "--brokers", Pipeline.brokers, SharedSamples.referencePage.path])
        #expect(published.status == 0)
        #expect(published.output.contains(id ?? "-"))
        // Both copies parsed and indexed: the second replaced the first.
        try await pipeline.waitUntilSettled()

        var quotations: [QuotationsJSON.Item] = []
        let answered = await eventually(within: .seconds(20)) {
            guard let answer = try? await pipeline.run(["quotes", "--speaker", "Zelensky", "--json", "--server", pipeline.server]),
                  let decoded = try? JSONDecoder().decode(QuotationsJSON.self, from: Data(answer.output.utf8))
            else { return false }
            quotations = decoded.quotations
            return !quotations.isEmpty
        }
        #expect(answered, "the query service answers for the indexed article")
        #expect(quotations.count == 2, "exactly two, not four: \(quotations.map(\.text))")
        #expect(quotations.allSatisfy { $0.speaker == "Volodymyr Zelensky" && $0.articleId == id })
        #expect(quotations.contains { $0.text.hasPrefix("Britain, France and other NATO countries") })
        #expect(quotations.contains { $0.text.hasPrefix("Absolutely everyone sees") })
        #expect(await pipeline.indexedCount() == 1)
        let statuses = try await pipeline.stop()
        #expect(statuses.allSatisfy { $0 == 0 }, "every service exits cleanly on SIGTERM: \(statuses)")
        // Once, everywhere: one article row in one shard, one full-text row, its quotations once,
        // each counted once for its speaker (what the offline parser makes of the page).
        let parsed = try await pipeline.run(["parse", SharedSamples.referencePage.path])
        let article = try WireCoding.decoder().decode(ParsedArticle.self, from: Data(parsed.output.utf8))
        let problems = try IndexCensus.problems(
            indexPath: pipeline.indexPath,
            published: IndexCensus.Published(articles: [id ?? "-": article.quotations.map(\.speaker)]))
        #expect(problems.isEmpty, "the page twice is indexed once: \(problems)")
    }

    @Test func aThousandPublishedArticlesEndExactlyIndexedAndFollowShowsThem() async throws {
        let pipeline = try await Pipeline()
        let files = pipeline.folder.appendingPathComponent("articles")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        for n in 0..<1_000 {
            let text = """
            Harbour Ledger - Dock strike enters day \(n)

            "We will stay out until the contract is signed," said union leader Tomas Varga on day \(n).

            The Port Authority said talks would resume. "We are ready to meet," it said in a statement.
            """
            try Data(text.utf8).write(to: files.appendingPathComponent(String(format: "article-%04d.txt", n)))
        }
        let published = try await pipeline.run(["publish", "--topic", pipeline.raw, "--brokers", Pipeline.brokers, files.path])
        #expect(published.status == 0)
        // `ID  NAME` per article acknowledged.
        let ids = Set(published.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        #expect(ids.count == 1_000, "\(ids.count) article ids printed")
        try await pipeline.waitUntilSettled()
        #expect(await pipeline.indexedCount() == 1_000, "exactly 1,000")

        // `quotes --follow --from-beginning` sees every quotation as it went by.
        let follower = Process()
        follower.executableURL = Pipeline.bin.appendingPathComponent("quotewire")
        follower.arguments = ["quotes", "--follow", "--from-beginning", "--json", "--follow-topic", pipeline.parsed, "--brokers", Pipeline.brokers]
        let output = LineCollector()
        let pipe = Pipe()
        follower.standardOutput = pipe
        pipe.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
        try follower.runTiedToThisProcess()
        let deadline = ContinuousClock.now + .seconds(90)
        while output.lines.count < 2_000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
        }
        follower.terminate()
        follower.waitUntilExit()
        pipe.fileHandleForReading.readabilityHandler = nil
        let lines = output.lines
        #expect(lines.count == 2_000, "two quotations per article")
        #expect(lines.filter { $0.contains("Tomas Varga") }.count == 1_000)
        _ = try await pipeline.stop()
        // Each published article once, none else: one row, one full-text row, its two quotations,
        // each counted once for its speaker.
        let problems = try IndexCensus.problems(
            indexPath: pipeline.indexPath,
            published: IndexCensus.Published(articles: Dictionary(uniqueKeysWithValues: ids.map { ($0, ["Tomas Varga", "Port Authority"]) })))
        #expect(problems.isEmpty, "\(problems.prefix(5)) (\(problems.count) in all)")
    }
}

/// Lines written by a child process, collected as they arrive.
final class LineCollector: Sendable {
    private let buffer = Mutex(Data())

    func append(_ data: Data) { buffer.withLock { $0.append(data) } }

    var lines: [Substring] {
        String(decoding: buffer.withLock { $0 }, as: UTF8.self).split(separator: "\n")
    }
}
