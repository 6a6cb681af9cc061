import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import QueryService
import QuotewireIndex
import QuotewireModels
import NIOCore

/// A seeded index in a temporary folder and an app over it.
final class SeededIndex: Sendable {
    let root: URL
    var folder: IndexFolder { IndexFolder(url: root.appendingPathComponent("index")) }

    init() async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-query-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let formatter = ISO8601DateFormatter()
        func article(_ id: String, _ headline: String, _ body: String, day: Int, quotes: [Quotation], tickers: [MarketQuote])
            -> ParsedArticle
        {
            ParsedArticle(
                articleId: id, source: "Test Wire", headline: headline,
                publishedAt: formatter.date(from: "2026-01-0\(day)T12:00:00Z"),
                receivedAt: formatter.date(from: "2026-01-0\(day)T12:00:05Z"),
                paragraphs: [body], quotations: quotes, marketQuotes: tickers)
        }
        func quote(_ text: String, _ speaker: String) -> Quotation {
            Quotation(text: text, speaker: speaker, speakerMention: speaker, speakerRole: nil, cue: "said",
                      kind: .direct, start: 0, end: 1)
        }
        let seen = Date(timeIntervalSince1970: 1_780_000_000)
        let perPartition: [[ParsedArticle]] = [
            [article("a0", "Peace talks are not easy", "The NATO chief said peace talks were not easy.", day: 1,
                     quotes: [quote("These discussions are not easy", "Mark Rutte")],
                     tickers: [MarketQuote(symbol: "RIO", changePercent: 0.44, price: 57.26, currency: "USD", exchange: "NYSE - LSE")])],
            [article("a1", "Air defences needed", "Air defences are needed <now> & soon, the leader said.", day: 2,
                     quotes: [quote("We need air defences", "Volodymyr Zelensky")],
                     tickers: [MarketQuote(symbol: "RIO", changePercent: -0.1, price: 57.0, currency: "USD", exchange: nil)])],
            [article("a2", "Markets calm", "Markets were calm as talks went on.", day: 3,
                     quotes: [quote("Talks will continue", "Mark Rutte")], tickers: [])],
        ]
        for (partition, articles) in perPartition.enumerated() {
            let writer = try IndexShardWriter.open(folder: folder, partition: partition)
            try await writer.apply(IndexBatch(
                operations: articles.map { .upsert($0, seenAt: seen, offset: 0) },
                topic: Topics.quotesParsed, partition: partition, nextOffset: 1))
            try writer.close()
        }
    }

    func app(token: String? = nil, indexPath: String? = nil) throws -> some ApplicationProtocol {
        var logger = Logger(label: "query-tests")
        logger.logLevel = .warning
        var configuration = QueryServiceConfiguration()
        configuration.indexPath = indexPath ?? folder.url.path
        configuration.port = 0
        configuration.token = token
        configuration.refreshInterval = .zero
        return try QueryApplication.make(configuration: configuration, logger: logger)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }
}

/// Percent-encodes a query value completely.
func encoded(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
}

/// The `{"error":{"status","message"}}` body.
struct ErrorBody: Decodable {
    struct Detail: Decodable {
        var status: Int
        var message: String
    }
    var error: Detail
}

extension TestResponse {
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try WireCoding.decoder().decode(T.self, from: Data(body.readableBytesView))
    }
}
