import ArgumentParser
import Foundation
import QuotewireIndex

/// `quotewire search QUERY`: full-text search over articles and quotations.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over articles and quotations, best first.",
        discussion: #"""
            All words must match (AND is the default); OR between alternatives; NOT word or -word \
            excludes; (parentheses) group; "a phrase" matches adjacent words; word* matches a prefix. \
            Filters narrow the whole query: speaker:NAME source:OUTLET type:quotation|article \
            ticker:SYMBOL since:DATE until:DATE (speaker:"Mark Rutte" for a value with spaces). \
            Example: zelensky AND (missiles OR "air defence") source:volkswacht since:2026-01-01
            """#)

    @Argument(help: "The search text.")
    var query: String

    @Option(help: "Results per page (1-100, default 20).")
    var limit: Int?

    @Option(help: "The nextCursor of a previous page of the same search.")
    var cursor: String?

    @Option(help: "relevance (default), newest or oldest.")
    var sort: SearchSort?

    @Flag(help: "Also count all the results by speaker, outlet and day.")
    var facets = false

    @OptionGroup var options: QueryClientOptions

    @Flag(help: "Every page, following the cursor (search pages go 1,000 results deep).")
    var all = false

    func run() async throws {
        let (query, limit, sort, facets, first) = (query, limit, sort, facets, cursor)
        try await options.run(Self.listing, all: all, from: cursor) { backend, cursor async throws(QueryCommandError) in
            // Facets count every result: asked for once, with the first page.
            try await backend.search(query, limit: limit, cursor: cursor, sort: sort, facets: facets && cursor == first)
        }
    }

    static let listing = Listing<SearchPage, SearchHit>(
        table: { page in
            var table = TablePrinter(headers: ["SCORE", "TYPE", "ARTICLE", "SPEAKER", "SNIPPET"], rightAligned: [0])
            for hit in page.results {
                table.add([
                    String(format: "%.2f", hit.score), hit.type.rawValue, hit.articleId, hit.speaker ?? "",
                    TablePrinter.clip(ExportText.plain(hit.snippet), 100),
                ])
            }
            var text = page.results.isEmpty ? "no results" : table.render()
            if let facets = page.facets { text += "\n\n" + render(facets) }
            return text
        },
        items: \.results,
        csvHeader: SearchHit.csvHeader,
        csvRow: \.csvFields,
        nextCursor: \.nextCursor,
        joined: { pages in
            SearchPage(results: pages.flatMap(\.results), nextCursor: nil, facets: pages.first?.facets)
        })

    /// The facets as three small tables under the results.
    static func render(_ facets: SearchFacets) -> String {
        var parts = ["\(facets.total) results in all"]
        for (title, counts) in [("SPEAKER", facets.speakers), ("SOURCE", facets.sources), ("DAY", facets.days)] where !counts.isEmpty {
            var table = TablePrinter(headers: [title, "RESULTS"], rightAligned: [1])
            for count in counts { table.add([count.value, String(count.count)]) }
            parts.append(table.render())
        }
        return parts.joined(separator: "\n\n")
    }
}

extension SearchSort: ExpressibleByArgument {}
