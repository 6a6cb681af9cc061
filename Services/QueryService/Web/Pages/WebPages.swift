import Foundation
import HTTPSupport
import HTTPTypes
import Hummingbird
import QuotewireIndex
import QuotewireModels

/// The pages: `/`, `/search`, `/speakers/{name}`, `/quotations/{id}`, `/articles/{id}` and
/// `/tickers/{symbol}`, each made from the same index queries as the `/v1` API answers with
/// (``ShardGatherer``), on one node or several, within the same deadline.
struct WebPages<Context: RequestContext>: Sendable {
    let index: any ShardGatherer
    let deadline: Duration
    let renderer: PageRenderer
    /// The home page's most quoted speakers, counted over every speaker of every shard: kept
    /// for a while rather than counted for each visit.
    let homeSpeakers = RecentAnswer<SpeakerList>(lifetime: .seconds(30))

    /// The route templates (all GET), for the 405 check.
    static var routes: [String] {
        ["/", "/search", "/speakers/{name}", "/quotations/{id}", "/articles/{id}", "/tickers/{symbol}"]
    }

    /// Results per search page, speakers on the home page, quotations per speaker page.
    static var searchLimit: Int { 20 }
    static var homeSpeakers: Int { 12 }
    static var speakerQuotations: Int { 20 }
    /// Market quotes on a ticker page: the latest 100 (the API's default).
    static var tickerQuotes: Int { QueryLimits.tickers.defaultValue }

    func register(on router: Router<Context>) {
        router.get("/", use: home)
        router.get("search", use: search)
        router.get("speakers/{name}", use: speaker)
        router.get("quotations/{id}", use: quotation)
        router.get("articles/{id}", use: article)
        router.get("tickers/{symbol}", use: ticker)
    }

    /// Runs an index query within the deadline (a 503 past it, as the API answers).
    private func ask<T: Sendable>(_ operation: @escaping @Sendable (any ShardGatherer) async throws -> T) async throws -> T {
        let index = self.index
        return try await QueryDeadline.run(within: deadline) { try await operation(index) }
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> Response {
        let list = try await homeSpeakers.value { try await self.ask { try await $0.speakers(limit: Self.homeSpeakers) } }
        return try renderer.page("home", HomeView(list), chrome: Chrome(title: "Search", notice: DisplayText.partialNotice([list])))
    }

    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        let parameters = QueryParameters(form: request)
        guard let query = parameters.raw("q"), !query.allSatisfy(\.isWhitespace) else {
            return Response(status: .seeOther, headers: [.location: "/"])
        }
        let requested = try parameters.choice("sort", of: SearchSort.self)
        let (limit, cursor) = (try parameters.integer("limit"), try parameters.string("cursor"))
        let facets = try parameters.boolean("facets") ?? true
        var chrome = Chrome(title: query, query: query, sortValue: requested?.rawValue)
        let parsed: SearchQuery
        let page: SearchPage
        do {
            parsed = try SearchQuery(query)
            page = try await ask { try await $0.search(query, limit: limit ?? Self.searchLimit, cursor: cursor, sort: requested, facets: facets) }
        } catch let error as IndexError where error.kind == .invalidQuery || error.kind == .invalidArgument {
            let view = SearchView(heading: "Search", failure: SearchView.failure(query: query, message: error.message))
            return try renderer.page("search", view, chrome: chrome, status: .badRequest)
        }
        // The order the index used: a query of filters alone has no relevance to rank by.
        let sort = parsed.expression == nil && (requested ?? .relevance) == .relevance ? SearchSort.newest : (requested ?? .relevance)
        let offset = cursor.flatMap { try? SearchCursor(decoding: $0, for: parsed, sort: sort).offset } ?? 0
        chrome.notice = DisplayText.partialNotice([page])
        let view = SearchView(
            heading: "Results for \(query)",
            results: SearchView.results(page, query: query, parsed: parsed, requestedSort: requested, sort: sort, offset: offset,
                                        limit: limit, cursor: cursor))
        return try renderer.page("search", view, chrome: chrome)
    }

    @Sendable func speaker(_ request: Request, context: Context) async throws -> Response {
        let name = try QueryController<Context>.pathParameter("name", context)
        let cursor = try QueryParameters(form: request).string("cursor")
        async let profile = ask { try await $0.speaker(name) }
        async let list = ask { try await $0.quotations(speaker: name, exactSpeaker: true, limit: Self.speakerQuotations, cursor: cursor) }
        let (found, quotations) = try await (profile, list)
        return try renderer.page("speaker", SpeakerView(profile: found, list: quotations, cursor: cursor),
                                 chrome: Chrome(title: found.name, notice: DisplayText.partialNotice([found, quotations])))
    }

    @Sendable func quotation(_ request: Request, context: Context) async throws -> Response {
        let id = try QuotationID(parsing: try QueryController<Context>.pathParameter("id", context))
        let stored = try await ask { try await $0.article(id: id.articleId) }
        guard id.ordinal < stored.article.quotations.count else {
            throw IndexError(.notFound, "article \(id.articleId) has no quotation \(id.ordinal)")
        }
        let quotation = stored.article.quotations[id.ordinal]
        // The speaker's aliases; a speaker the index no longer has (or cannot reach) only loses them.
        var profile: SpeakerProfile?
        if let speaker = quotation.speaker {
            profile = try? await ask { try await $0.speaker(speaker) }
        }
        return try renderer.page("quotation", QuotationView(quotation, in: stored, profile: profile),
                                 chrome: Chrome(title: "“\(quotation.text.prefix(60))”", notice: profile.flatMap { DisplayText.partialNotice([$0]) }))
    }

    @Sendable func article(_ request: Request, context: Context) async throws -> Response {
        let id = try QueryController<Context>.pathParameter("id", context)
        let stored = try await ask { try await $0.article(id: id) }
        return try renderer.page("article", ArticleView(stored), chrome: Chrome(title: stored.article.headline ?? stored.article.articleId))
    }

    @Sendable func ticker(_ request: Request, context: Context) async throws -> Response {
        let symbol = try QueryController<Context>.pathParameter("symbol", context)
        let history = try await ask { try await $0.ticker(symbol, limit: Self.tickerQuotes) }
        guard !history.quotes.isEmpty else {
            if history.partial == true {
                throw IndexError(.unavailable, "no shard that answered holds a market quote of \(history.symbol)")
            }
            throw IndexError(.notFound, "no market quote of \(history.symbol) in the index")
        }
        return try renderer.page("ticker", TickerView(history), chrome: Chrome(title: history.symbol, notice: DisplayText.partialNotice([history])))
    }
}
