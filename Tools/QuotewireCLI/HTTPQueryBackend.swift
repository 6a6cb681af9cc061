import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuotewireIndex
import QuotewireModels

/// Answers from the query service over HTTP (AsyncHTTPClient).
struct HTTPQueryBackend: QueryBackend {
    let server: URL
    let token: String?
    let client: HTTPClient

    init(server: URL, token: String?) {
        self.server = server
        self.token = token
        self.client = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    func search(_ text: String, limit: Int?, cursor: String?, sort: SearchSort?, facets: Bool) async throws(QueryCommandError)
        -> SearchPage
    {
        try await get("/v1/search", [
            "q": text, "limit": limit.map(String.init), "cursor": cursor, "sort": sort?.rawValue,
            "facets": facets ? "true" : nil,
        ])
    }

    func quotations(speaker: String?, text: String?, since: Date?, limit: Int?, cursor: String?) async throws(QueryCommandError)
        -> QuotationList
    {
        try await get("/v1/quotations", [
            "speaker": speaker, "q": text, "since": since.map { ISO8601DateFormatter().string(from: $0) },
            "limit": limit.map(String.init), "cursor": cursor,
        ])
    }

    func speakers(limit: Int?) async throws(QueryCommandError) -> SpeakerList {
        try await get("/v1/speakers", ["limit": limit.map(String.init)])
    }

    func ticker(_ symbol: String, since: Date?, limit: Int?) async throws(QueryCommandError) -> TickerHistory {
        let segment = symbol.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await get("/v1/tickers/\(segment)", [
            "since": since.map { ISO8601DateFormatter().string(from: $0) }, "limit": limit.map(String.init),
        ])
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    private func get<T: Decodable>(_ path: String, _ parameters: [String: String?]) async throws(QueryCommandError) -> T {
        guard var components = URLComponents(url: server, resolvingAgainstBaseURL: false) else {
            throw QueryCommandError(.badRequest, "not a URL: \(server)")
        }
        components.percentEncodedPath = components.percentEncodedPath.trimmingSuffix("/") + path
        let items = parameters.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }
            .sorted { $0.name < $1.name }
        components.queryItems = items.isEmpty ? nil : items
        // '+' means a space to many servers; send it escaped.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.string else { throw QueryCommandError(.badRequest, "cannot build a URL for \(path)") }

        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let status: UInt
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            status = response.status.code
            body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch {
            throw QueryCommandError(.unavailable, "cannot reach the query service at \(server.absoluteString): \(error)")
        }
        let data = Data(body.readableBytesView)
        guard (200..<300).contains(status) else {
            let message = (try? JSONDecoder().decode(ServerError.self, from: data))?.error.message
                ?? "the query service answered \(status)"
            switch status {
            case 404: throw QueryCommandError(.notFound, message)
            case 400..<500: throw QueryCommandError(.badRequest, message)
            default: throw QueryCommandError(.unavailable, message)
            }
        }
        do {
            return try WireCoding.decoder().decode(T.self, from: data)
        } catch {
            throw QueryCommandError(.unavailable, "unexpected answer from the query service: \(error)")
        }
    }

    private struct ServerError: Decodable {
        struct Detail: Decodable {
            var message: String
        }
        var error: Detail
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
