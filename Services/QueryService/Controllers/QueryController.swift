import Foundation
import HTTPSupport
import Hummingbird
import QuotewireIndex

/// The `/v1` routes: search, quotations, speakers, tickers, articles.
struct QueryController<Context: RequestContext>: Sendable {
    /// The index: this folder's shards, or the whole cluster's (``ClusterGatherer``).
    let index: any ShardGatherer
    /// How long one request may wait on the index (``QueryDeadline``).
    let deadline: Duration

    /// The route templates this controller serves (all GET), for the 405 check.
    static var routes: [String] {
        ["/v1/search", "/v1/quotations", "/v1/speakers", "/v1/tickers/{symbol}", "/v1/articles/{id}"]
    }

    func register(on group: RouterGroup<Context>) {
        group.get("search", use: search)
        group.get("quotations", use: quotations)
        group.get("speakers", use: speakers)
        group.get("tickers/{symbol}", use: ticker)
        group.get("articles/{id}", use: article)
    }

    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        let query = try QueryParameters(request)
        guard let text = try query.string("q") else { throw APIError(.badRequest, "the q parameter is required") }
        let (limit, cursor, index) = (try query.integer("limit"), try query.string("cursor"), self.index)
        let (sort, facets) = (try query.choice("sort", of: SearchSort.self), try query.boolean("facets") ?? false)
        let page = try await QueryDeadline.run(within: deadline) {
            try await index.search(text, limit: limit, cursor: cursor, sort: sort, facets: facets)
        }
        return JSONBody.response(page)
    }

    @Sendable func quotations(_ request: Request, context: Context) async throws -> Response {
        let query = try QueryParameters(request)
        let (speaker, text, since, limit) = (try query.string("speaker"), try query.string("q"), try query.date("since"),
                                             try query.integer("limit"))
        let (cursor, index) = (try query.string("cursor"), self.index)
        let list = try await QueryDeadline.run(within: deadline) {
            try await index.quotations(speaker: speaker, text: text, since: since, limit: limit, cursor: cursor)
        }
        return JSONBody.response(list)
    }

    @Sendable func speakers(_ request: Request, context: Context) async throws -> Response {
        let query = try QueryParameters(request)
        let (limit, index) = (try query.integer("limit"), self.index)
        return JSONBody.response(try await QueryDeadline.run(within: deadline) { try await index.speakers(limit: limit) })
    }

    @Sendable func ticker(_ request: Request, context: Context) async throws -> Response {
        let query = try QueryParameters(request)
        let symbol = try Self.pathParameter("symbol", context)
        let (since, limit, index) = (try query.date("since"), try query.integer("limit"), self.index)
        let history = try await QueryDeadline.run(within: deadline) { try await index.ticker(symbol, since: since, limit: limit) }
        return JSONBody.response(history)
    }

    @Sendable func article(_ request: Request, context: Context) async throws -> Response {
        let id = try Self.pathParameter("id", context)
        let index = self.index
        return JSONBody.response(try await QueryDeadline.run(within: deadline) { try await index.article(id: id) })
    }
}

extension QueryController {
    /// A path parameter, percent-decoded (the router hands them over as sent).
    static func pathParameter(_ name: String, _ context: Context) throws(APIError) -> String {
        guard let raw = context.parameters.get(name), let decoded = raw.removingPercentEncoding else {
            throw APIError(.badRequest, "\(name) is not a valid path segment")
        }
        return decoded
    }
}

/// Typed access to the query string, with 400s for malformed values.
struct QueryParameters {
    private let values: [String: String]

    init(_ request: Request) throws(APIError) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            // The first occurrence wins; later duplicates are ignored.
            if values[name] == nil { values[name] = String(value) }
        }
        self.values = values
    }

    /// The query string as an HTML form sends it (`application/x-www-form-urlencoded`: a `+`
    /// is a space), for the web pages; the API reads a `+` as itself.
    init(form request: Request) {
        values = Self.formFields(request.uri.query ?? "")
    }

    /// The fields of `application/x-www-form-urlencoded` text, the first of each name.
    static func formFields(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return values
    }

    /// The value as sent, empty or not; nil when absent.
    func raw(_ name: String) -> String? {
        values[name]
    }

    /// The value, or nil when absent.
    /// - Throws: a 400 when the parameter is present but empty (`?speaker=`).
    func string(_ name: String) throws(APIError) -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty else { throw APIError(.badRequest, "\(name) must not be empty") }
        return value
    }

    func integer(_ name: String) throws(APIError) -> Int? {
        guard let text = try string(name) else { return nil }
        guard text.count <= 12, let value = Int(text) else {
            throw APIError(.badRequest, "\(name) must be an integer")
        }
        return value
    }

    /// One of an enumeration's raw values.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, of: T.Type) throws(APIError) -> T?
    where T.RawValue == String {
        guard let text = try string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw APIError(.badRequest, "\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// `true` or `false` (also `1` or `0`).
    func boolean(_ name: String) throws(APIError) -> Bool? {
        switch try string(name) {
        case nil: return nil
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError(.badRequest, "\(name) must be true or false")
        }
    }

    /// An ISO 8601 time (`2026-01-02T03:04:05Z`, with or without fractional seconds) or a date (`2026-01-02`).
    func date(_ name: String) throws(APIError) -> Date? {
        guard let text = try string(name) else { return nil }
        guard let date = QueryDate.parse(text) else {
            throw APIError(.badRequest, "\(name) must be an ISO 8601 date or time, like 2026-01-02 or 2026-01-02T03:04:05Z")
        }
        return date
    }
}
