import ArgumentParser
import Foundation
import QuotewireIndex

/// `quotewire search QUERY`: full-text search over articles and quotations.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over articles and quotations, best first.",
        discussion: #"All words must match; "a phrase" matches adjacent words; word* matches a prefix."#)

    @Argument(help: "The search text.")
    var query: String

    @Option(help: "Results per page (1-100, default 20).")
    var limit: Int?

    @Option(help: "The nextCursor of a previous page of the same search.")
    var cursor: String?

    @OptionGroup var options: QueryClientOptions

    func run() async throws {
        let (query, limit, cursor) = (query, limit, cursor)
        try await options.run({ backend async throws(QueryCommandError) in
            try await backend.search(query, limit: limit, cursor: cursor)
        }, table: { page in
            var table = TablePrinter(headers: ["SCORE", "TYPE", "ARTICLE", "SPEAKER", "SNIPPET"], rightAligned: [0])
            for hit in page.results {
                table.add([
                    String(format: "%.2f", hit.score), hit.type.rawValue, hit.articleId, hit.speaker ?? "",
                    TablePrinter.clip(SnippetText.plain(hit.snippet), 100),
                ])
            }
            var text = page.results.isEmpty ? "no results" : table.render()
            if let next = page.nextCursor { text += "\nmore: --cursor \(next)" }
            return text
        })
    }
}
