import ArgumentParser
import Foundation
import QuotewireIndex
import QuotewireModels

/// `quotewire-bench seed`: writes a small demo index for API tests (schemathesis, manual poking).
///
/// Articles are invented here, written through the store's writer exactly as the indexer
/// writes them, into 3 shards.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Write a small invented demo index (for API tests).")

    @Option(help: "The index folder to create (must not hold shards yet).")
    var index: String

    @Option(help: "How many articles.")
    var articles: Int = 30

    func run() async throws {
        let folder = IndexFolder(path: index)
        if let existing = try? folder.shardFiles(), !existing.isEmpty {
            throw ValidationError("\(index) already holds shards")
        }
        let people = ["Anna Keller", "Mark Brennan", "Lena Okafor", "David Lindqvist", "Maria Moreau", "Peter Novak"]
        let topics = ["harbour", "railway", "budget", "vaccine", "election", "drought", "bridge", "orchestra"]
        let symbols = ["RIO", "GSK", "BP", "VOD", "AZN"]
        let base = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
        var demo: [ParsedArticle] = []
        for n in 0..<articles {
            let topic = topics[n % topics.count]
            let speaker = people[n % people.count]
            let other = people[(n + 2) % people.count]
            let quotations = [
                Quotation(text: "The \(topic) plan is not easy, but we will see it through", speaker: speaker,
                          speakerMention: String(speaker.split(separator: " ").last ?? ""), speakerRole: "minister",
                          cue: "said", kind: .direct, start: 0, end: 0),
                Quotation(text: "Nobody asked us about the \(topic)", speaker: n % 3 == 0 ? nil : other,
                          speakerMention: n % 3 == 0 ? "he" : other, speakerRole: nil, cue: "told reporters",
                          kind: .direct, start: 0, end: 0),
            ]
            let quotes = n % 2 == 0 ? [] : [MarketQuote(
                symbol: symbols[n % symbols.count], changePercent: Double(n % 7) - 3.0 + 0.25,
                price: 10 + Double(n) * 1.5, currency: "USD", exchange: "NYSE - LSE")]
            demo.append(ParsedArticle(
                articleId: String(format: "demo%04d", n), source: "Demo Wire",
                headline: "Debate over the \(topic) continues in week \(n + 1)", byline: "Q.Writer",
                headings: ["What comes next"], publishedAt: n % 4 == 0 ? nil : base.addingTimeInterval(Double(n) * 3_600),
                receivedAt: base.addingTimeInterval(Double(n) * 3_600 + 60),
                paragraphs: [
                    "Officials met on Tuesday to discuss the \(topic) and its cost to the city.",
                    "\(speaker) said the \(topic) plan was not easy. Critics disagreed & asked for <more> time.",
                ],
                quotations: quotations, marketQuotes: quotes))
        }
        let time = try await ShardLoader.write(demo, into: folder, shards: 3, batch: 100)
        print("seeded \(demo.count) articles into \(index) in \(format(time.seconds, 2)) s")
    }
}
