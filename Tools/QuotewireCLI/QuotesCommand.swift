import ArgumentParser
import Foundation
import QuotewireIndex

/// `quotewire quotes --speaker NAME [--q TEXT] [--since DATE]`: quotations, newest first.
///
/// The query is in ``listFromIndex()``; other modes (such as following the topic) can be
/// added as flags that `run()` dispatches on.
struct QuotesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotes",
        abstract: "Quotations by a speaker (a name or any part of it), newest first.")

    @Option(help: "The speaker: a name or any part of it, case-insensitive.")
    var speaker: String?

    @Option(name: .customLong("q"), help: "Only quotations matching this search text.")
    var text: String?

    @Option(help: "Only quotations from articles at or after this date (2026-01-02 or 2026-01-02T03:04:05Z).")
    var since: String?

    @Option(help: "Quotations to show (1-500, default 50).")
    var limit: Int?

    @Option(help: "The nextCursor of a previous page with the same options.")
    var cursor: String?

    @Flag(help: "Every page, following the cursor.")
    var all = false

    @OptionGroup var options: QueryClientOptions

    @OptionGroup(title: "Following the topic") var following: FollowOptions

    func validate() throws {
        if let since, QueryDate.parse(since) == nil {
            throw ValidationError("--since must be a date like 2026-01-02 or 2026-01-02T03:04:05Z")
        }
    }

    func run() async throws {
        if following.follow {
            try await QuotesFollower(options: following, json: options.output != .table, speaker: speaker).run()
            return
        }
        try await listFromIndex()
    }

    /// Asks the service or the index folder and prints the quotations.
    func listFromIndex() async throws {
        let (speaker, text, limit) = (speaker, text, limit)
        let since = since.flatMap(QueryDate.parse)
        try await options.run(Self.listing, all: all, from: cursor) { backend, cursor async throws(QueryCommandError) in
            try await backend.quotations(speaker: speaker, text: text, since: since, limit: limit, cursor: cursor)
        }
    }

    static let listing = Listing<QuotationList, QuotationItem>(
        table: { list in
            var table = TablePrinter(headers: ["DATE", "SPEAKER", "QUOTATION", "ARTICLE"])
            for item in list.quotations {
                table.add([
                    DisplayDate.format(item.publishedAt ?? item.receivedAt), item.speaker ?? "?",
                    TablePrinter.clip(item.text, 90), TablePrinter.clip(item.headline ?? item.articleId, 50),
                ])
            }
            return list.quotations.isEmpty ? "no quotations" : table.render()
        },
        items: \.quotations,
        csvHeader: ["articleId", "source", "date", "speaker", "role", "text"],
        csvRow: { item in
            [item.articleId, item.source ?? "", Listing<QuotationList, QuotationItem>.csvDate(item.publishedAt ?? item.receivedAt),
             item.speaker ?? "", item.speakerRole ?? "", item.text]
        },
        nextCursor: \.nextCursor,
        joined: { pages in QuotationList(quotations: pages.flatMap(\.quotations)) })
}
