import Foundation
import QuotewireIndex
import QuotewireModels

/// A temporary index folder, removed when the test ends.
final class TemporaryFolder: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("quotewire-index-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var index: IndexFolder { IndexFolder(url: url.appendingPathComponent("index")) }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

enum Fixtures {
    static let topic = "quotes.parsed"

    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    static func article(
        _ id: String, headline: String = "A headline", paragraphs: [String] = ["Some body text."],
        quotations: [Quotation] = [], quotes: [MarketQuote] = [], published: String? = nil,
        received: String = "2026-01-01T00:00:00Z", source: String = "Test Wire"
    ) -> ParsedArticle {
        ParsedArticle(
            articleId: id, source: source, headline: headline, headings: ["A heading"],
            publishedAt: published.map(date), receivedAt: date(received), paragraphs: paragraphs,
            quotations: quotations, marketQuotes: quotes)
    }

    static func quote(_ text: String, by speaker: String?, mention: String? = nil) -> Quotation {
        Quotation(text: text, speaker: speaker, speakerMention: mention ?? speaker?.split(separator: " ").last.map(String.init),
                  speakerRole: nil, cue: "said", kind: .direct, start: 0, end: text.unicodeScalars.count)
    }

    static func ticker(_ symbol: String, _ price: Double) -> MarketQuote {
        MarketQuote(symbol: symbol, changePercent: 0.5, price: price, currency: "USD", exchange: "NYSE - LSE")
    }

    static func upsert(_ article: ParsedArticle, offset: Int64) -> IndexOperation {
        .upsert(article, seenAt: date("2026-02-01T00:00:00Z"), offset: offset)
    }

    /// Writes `articles` into the shard of `partition`, recording offsets after them.
    static func write(_ articles: [ParsedArticle], into folder: IndexFolder, partition: Int) async throws {
        let writer = try IndexShardWriter.open(folder: folder, partition: partition)
        let operations = articles.enumerated().map { upsert($0.element, offset: Int64($0.offset)) }
        try await writer.apply(IndexBatch(operations: operations, topic: topic, partition: partition,
                                          nextOffset: Int64(articles.count)))
        try writer.close()
    }

    static func reader(_ folder: IndexFolder) -> IndexReader {
        var configuration = IndexReaderConfiguration()
        configuration.refreshInterval = .zero
        return IndexReader(folder: folder, configuration: configuration)
    }
}
