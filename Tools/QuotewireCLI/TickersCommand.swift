import ArgumentParser
import Foundation
import QuotewireIndex

/// `quotewire tickers SYMBOL`: market quotes seen for a symbol, over time.
struct TickersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickers", abstract: "Market quotes seen for a symbol, oldest first.")

    @Argument(help: "The ticker symbol, e.g. RIO.")
    var symbol: String

    @Option(help: "Only quotes from articles at or after this date.")
    var since: String?

    @Option(help: "The latest N quotes (1-1000, default 100).")
    var limit: Int?

    @OptionGroup var options: QueryClientOptions

    func validate() throws {
        if let since, QueryDate.parse(since) == nil {
            throw ValidationError("--since must be a date like 2026-01-02 or 2026-01-02T03:04:05Z")
        }
    }

    func run() async throws {
        let (symbol, limit) = (symbol, limit)
        let since = since.flatMap(QueryDate.parse)
        try await options.run(Self.listing) { backend, _ async throws(QueryCommandError) in
            try await backend.ticker(symbol, since: since, limit: limit)
        }
    }

    static let listing = Listing<TickerHistory, TickerQuote>(
        table: { history in
            var table = TablePrinter(headers: ["SEEN", "PRICE", "CHANGE", "CURRENCY", "EXCHANGE", "ARTICLE"],
                                     rightAligned: [1, 2])
            for quote in history.quotes {
                table.add([
                    DisplayDate.format(quote.seenAt), String(format: "%.2f", quote.price),
                    quote.changePercent.map { String(format: "%+.2f%%", $0) } ?? "", quote.currency ?? "",
                    quote.exchange ?? "", quote.articleId,
                ])
            }
            return history.quotes.isEmpty ? "no quotes for \(history.symbol)" : "\(history.symbol)\n" + table.render()
        },
        items: \.quotes,
        csvHeader: ["seenAt", "price", "changePercent", "currency", "exchange", "articleId"],
        csvRow: { quote in
            [Listing<TickerHistory, TickerQuote>.csvDate(quote.seenAt), String(quote.price), quote.changePercent.map { String($0) } ?? "",
             quote.currency ?? "", quote.exchange ?? "", quote.articleId]
        },
        joined: { $0.first ?? TickerHistory(symbol: "", quotes: []) })
}
