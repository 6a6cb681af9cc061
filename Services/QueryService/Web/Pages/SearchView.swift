import Foundation
import QuotewireIndex

/// The results page's view: a failure (a query that could not be read) or a page of results.
struct SearchView: Sendable {
    /// Why no results are shown, with where in the query when the message says.
    struct Failure: Sendable {
        struct Pointer: Sendable {
            var line: String
            var caret: String
        }
        var lead: String
        var message: String
        var pointer: Pointer?
    }

    struct SortLink: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    struct FacetValue: Sendable {
        var value: String
        var count: Int
        /// The search narrowed to this value; nil when the query already filters this field
        /// (a second value would widen it: the same field twice means either).
        var href: String?
    }

    struct FacetGroup: Sendable {
        var title: String
        var values: [FacetValue]
    }

    struct Results: Sendable {
        var summary: String
        var sorts: [SortLink]
        var csvHref: String
        var jsonlHref: String
        var hits: [HitView]
        var start: Int
        var firstHref: String?
        var nextHref: String?
        var facetGroups: [FacetGroup]
    }

    var heading: String
    var failure: Failure?
    var results: Results?

    /// The failure of a query the index refused: the message as the CLI prints it, and a caret
    /// under the character it names (`at character 7: …`) when the query is one short line.
    static func failure(query: String, message: String) -> Failure {
        var failure = Failure(lead: "The search could not be read.", message: message)
        if message.hasPrefix("at character "),
           let number = Int(message.dropFirst("at character ".count).prefix { $0.isNumber }),
           number >= 1, query.count <= 200, !query.contains(where: \.isNewline) {
            let line = query
            failure.pointer = Failure.Pointer(line: line, caret: String(repeating: " ", count: min(number - 1, line.count)) + "^")
        }
        return failure
    }

    /// A page of results for `query` (as typed) in `sort` order.
    static func results(
        _ page: SearchPage, query: String, parsed: SearchQuery, requestedSort: SearchSort?, sort: SearchSort,
        offset: Int, limit: Int?, cursor: String?
    ) -> Results {
        let total = page.facets?.total
        var summary: String
        if page.results.isEmpty {
            summary = offset > 0 ? "No more results" : "No results"
        } else if let total {
            summary = offset == 0 && page.nextCursor == nil
                ? DisplayText.count(total, "result", "results")
                : "Results \(offset + 1)–\(offset + page.results.count) of \(DisplayText.number(total))"
        } else {
            summary = "Results \(offset + 1)–\(offset + page.results.count)"
        }
        if page.partial == true { summary += " (partial)" }
        let sorts = SearchSort.allCases.map { choice in
            SortLink(label: choice.rawValue, href: Links.search(query, sort: choice, limit: limit), current: choice == sort)
        }
        return Results(
            summary: summary, sorts: sorts,
            csvHref: Links.export(query, sort: requestedSort, format: "csv"),
            jsonlHref: Links.export(query, sort: requestedSort, format: "jsonl"),
            hits: page.results.map(HitView.init), start: offset + 1,
            firstHref: cursor == nil ? nil : Links.search(query, sort: requestedSort, limit: limit),
            nextHref: page.nextCursor.map { Links.search(query, sort: requestedSort, cursor: $0, limit: limit) },
            facetGroups: page.facets.map { facetGroups($0, query: query, parsed: parsed, sort: requestedSort) } ?? [])
    }

    /// Speakers, outlets and days, each value a link that narrows the query with a filter.
    static func facetGroups(_ facets: SearchFacets, query: String, parsed: SearchQuery, sort: SearchSort?) -> [FacetGroup] {
        let filters = parsed.filters
        func narrowed(_ filter: String?) -> String? {
            filter.map { Links.search(query + " " + $0, sort: sort) }
        }
        var groups: [FacetGroup] = []
        if !facets.speakers.isEmpty {
            groups.append(FacetGroup(title: "Speakers", values: facets.speakers.map { count in
                FacetValue(value: count.value, count: count.count,
                           href: filters.speakers.isEmpty ? narrowed(filterText("speaker", count.value)) : nil)
            }))
        }
        if !facets.sources.isEmpty {
            groups.append(FacetGroup(title: "Outlets", values: facets.sources.map { count in
                FacetValue(value: count.value, count: count.count,
                           href: filters.sources.isEmpty ? narrowed(filterText("source", count.value)) : nil)
            }))
        }
        if !facets.days.isEmpty {
            let dated = filters.since == nil && filters.until == nil
            groups.append(FacetGroup(title: "Days, latest first", values: facets.days.reversed().prefix(14).map { count in
                FacetValue(value: count.value, count: count.count,
                           href: dated ? narrowed("since:\(count.value) until:\(count.value)") : nil)
            }))
        }
        return groups
    }

    /// `field:value`, the value in quotes when it holds a space or parenthesis; nil for a value the
    /// search language cannot hold (one with a double quote).
    static func filterText(_ field: String, _ value: String) -> String? {
        guard !value.isEmpty, !value.contains("\"") else { return nil }
        let plain = !value.contains { $0.isWhitespace || $0 == "(" || $0 == ")" }
        return plain ? "\(field):\(value)" : "\(field):\"\(value)\""
    }
}

/// One search hit as the results list shows it.
struct HitView: Sendable {
    var kind: String
    var isQuotation: Bool
    var segments: [TextSegment]
    var headline: String
    var articleHref: String
    var quotationHref: String?
    var speaker: String?
    var speakerHref: String?
    var source: String?
    var date: String?
    var dateISO: String?

    init(_ hit: SearchHit) {
        kind = hit.type.rawValue
        isQuotation = hit.type == .quotation
        let snippet = TextSegment.snippet(hit.snippet)
        if let text = hit.text {
            // A quotation's snippet may come from its speaker column: show its words then.
            let plain = snippet.map(\.part).joined().trimmingCharacters(in: CharacterSet(charactersIn: "…"))
            segments = !plain.isEmpty && text.contains(plain) ? snippet : [TextSegment(part: text, marked: false)]
        } else {
            segments = snippet
        }
        headline = hit.headline ?? "(no headline)"
        articleHref = Links.article(hit.articleId)
        quotationHref = hit.quotationId.map(Links.quotation)
        speaker = hit.speaker
        speakerHref = hit.speaker.map { Links.speaker($0) }
        source = hit.source
        date = DisplayText.date(hit.publishedAt ?? hit.receivedAt)
        dateISO = DisplayText.iso(hit.publishedAt ?? hit.receivedAt)
    }
}
