import Foundation
import Hummingbird
import HummingbirdTesting
import QueryService
import QuotewireIndex
import QuotewireModels
import NIOCore
import Testing

/// The API through the router alone and over a real socket: each test runs in both ways.
@Suite("Query HTTP API")
struct QueryAPITests {
    @Test(arguments: HTTPTransport.allCases)
    func searchReturnsRankedArticlesAndQuotations(_ transport: HTTPTransport) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            try await client.execute(uri: "/v1/search?q=talks", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let page = try response.decode(SearchPage.self)
                #expect(Set(page.results.map(\.articleId)) == ["a0", "a2"])
                #expect(page.results.contains { $0.type == .quotation && $0.speaker == "Mark Rutte" })
                #expect(page.results.map(\.score) == page.results.map(\.score).sorted(by: >))
                #expect(page.results.allSatisfy { $0.snippet.contains("<mark>") })
            }
            try await client.execute(uri: "/v1/search?q=now", method: .get) { response in
                let page = try response.decode(SearchPage.self)
                #expect(page.results.first?.snippet.contains("&lt;<mark>now</mark>&gt; &amp; soon") == true)
            }
            try await client.execute(uri: "/v1/search?q=talks&limit=1", method: .get) { response in
                let first = try response.decode(SearchPage.self)
                #expect(first.results.count == 1)
                let cursor = try #require(first.nextCursor)
                try await client.execute(uri: "/v1/search?q=talks&limit=1&cursor=\(encoded(cursor))", method: .get) { next in
                    #expect(next.status == .ok)
                    let second = try next.decode(SearchPage.self)
                    #expect(second.results.count == 1)
                    #expect(second.results != first.results)
                }
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func quotationsSpeakersTickersArticles(_ transport: HTTPTransport) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            try await client.execute(uri: "/v1/quotations?speaker=rutte", method: .get) { response in
                let list = try response.decode(QuotationList.self)
                #expect(list.quotations.map(\.articleId) == ["a2", "a0"])
                #expect(list.quotations.first?.headline == "Markets calm")
            }
            try await client.execute(uri: "/v1/quotations?speaker=RUTTE&q=easy&since=2026-01-01", method: .get) { response in
                let list = try response.decode(QuotationList.self)
                #expect(list.quotations.map(\.text) == ["These discussions are not easy"])
            }
            try await client.execute(uri: "/v1/speakers", method: .get) { response in
                let list = try response.decode(SpeakerList.self)
                #expect(list.speakers.map(\.name) == ["Mark Rutte", "Volodymyr Zelensky"])
                #expect(list.speakers.map(\.quotations) == [2, 1])
            }
            try await client.execute(uri: "/v1/tickers/rio", method: .get) { response in
                let history = try response.decode(TickerHistory.self)
                #expect(history.symbol == "RIO")
                #expect(history.quotes.map(\.price) == [57.26, 57.0])
            }
            try await client.execute(uri: "/v1/articles/a1", method: .get) { response in
                #expect(response.status == .ok)
                let stored = try response.decode(StoredArticle.self)
                #expect(stored.article.headline == "Air defences needed")
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("[0,1,2]"))
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases, [
        "/v1/search?q=" + encoded("*"), "/v1/search?q=" + encoded("\"\"\""), "/v1/search", "/v1/search?q=",
        "/v1/search?q=" + encoded("( ) ^ - +"),
        "/v1/search?q=" + String(repeating: "a", count: 10_240),
        "/v1/search?q=" + encoded(String(repeating: "peace ", count: 1_800)),
        "/v1/search?q=talks&limit=-1", "/v1/search?q=talks&limit=0", "/v1/search?q=talks&limit=101",
        "/v1/search?q=talks&limit=99999999999999999999", "/v1/search?q=talks&limit=abc",
        "/v1/search?q=talks&cursor=garbage", "/v1/search?q=talks&cursor=" + encoded("Yzo5OTk5OTk6MDAwMDAwMDAwMDAwMDAwMA"),
        "/v1/search?q=talks&cursor=" + String(repeating: "A", count: 4_000),
        "/v1/quotations?speaker=" + encoded("   "), "/v1/quotations?since=yesterday", "/v1/quotations?q=" + encoded("*"),
        "/v1/quotations?limit=-5", "/v1/speakers?limit=0", "/v1/tickers/" + encoded("../../etc"),
        "/v1/tickers/" + String(repeating: "X", count: 40), "/v1/articles/" + encoded("../../etc/passwd"),
        "/v1/articles/..%2F..%2Fetc%2Fpasswd", "/v1/articles/" + String(repeating: "a", count: 300),
        "/v1/articles/unknown-id", "/v1/nope", "/../../etc/passwd",
    ])
    func hostileInputGetsA4xxJSONError(_ transport: HTTPTransport, _ uri: String) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect((400..<500).contains(response.status.code), "\(uri) → \(response.status)")
                let body = try response.decode(ErrorBody.self)
                #expect(body.error.status == response.status.code)
                #expect(!body.error.message.isEmpty)
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases, ["NEAR(talks easy, 2)", "talks*", "a\u{0}b", "'; DROP TABLE article; --", "😀 talks",
                      "talks -nothing", "(talks OR peace) AND NOT missiles"])
    func hostileButSearchableTextIsAnsweredNormally(_ transport: HTTPTransport, _ text: String) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            for path in ["/v1/search?q=", "/v1/quotations?q="] {
                try await client.execute(uri: path + encoded(text), method: .get) { response in
                    #expect(response.status == .ok, "\(path)\(text) → \(response.status)")
                    #expect(response.headers[.contentType] == "application/json")
                }
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases, [
        (#"c++ "shoot"#, "at character 5: expected a closing \""), ("NEAR(", "at the end of the query: expected )"),
        ("AND OR", "at character 1: expected a term before AND"), ("title:talks", "at character 1: unknown field title:"),
        ("talks OR", "at character 7: expected a term after OR"), ("-talks", "besides the excluded ones"),
    ])
    func malformedQueriesAre400sThatSayWhereAndWhat(_ transport: HTTPTransport, _ pair: (String, String)) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            for path in ["/v1/search?q=", "/v1/quotations?q="] {
                try await client.execute(uri: path + encoded(pair.0), method: .get) { response in
                    #expect(response.status == .badRequest, "\(path)\(pair.0) → \(response.status)")
                    let body = try response.decode(ErrorBody.self)
                    #expect(body.error.message.contains(pair.1), "\(body.error.message)")
                }
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func searchSortsFiltersAndCountsFacets(_ transport: HTTPTransport) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            var newest: [String] = []
            try await client.execute(uri: "/v1/search?q=" + encoded("type:article") + "&sort=newest&facets=true", method: .get) { response in
                #expect(response.status == .ok)
                let page = try response.decode(SearchPage.self)
                newest = page.results.map(\.articleId)
                let times = page.results.map { $0.publishedAt ?? $0.receivedAt ?? .distantPast }
                #expect(times == times.sorted(by: >))
                let facets = try #require(page.facets)
                #expect(facets.total == page.results.count)
                #expect(facets.sources.map(\.count).reduce(0, +) == page.results.filter { $0.source != nil }.count)
                #expect(facets.days.map(\.count).reduce(0, +) == page.results.count)
            }
            try await client.execute(uri: "/v1/search?q=" + encoded("type:article") + "&sort=oldest", method: .get) { response in
                let page = try response.decode(SearchPage.self)
                #expect(page.results.map(\.articleId) == newest.reversed())
                #expect(page.facets == nil)
            }
            try await client.execute(uri: "/v1/search?q=" + encoded("speaker:rutte type:quotation"), method: .get) { response in
                let page = try response.decode(SearchPage.self)
                #expect(!page.results.isEmpty && page.results.allSatisfy { $0.speaker == "Mark Rutte" })
            }
            for bad in ["sort=best", "facets=maybe"] {
                try await client.execute(uri: "/v1/search?q=talks&" + bad, method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
            try await client.execute(uri: "/v1/quotations?limit=1", method: .get) { response in
                let first = try response.decode(QuotationList.self)
                let cursor = try #require(first.nextCursor)
                try await client.execute(uri: "/v1/quotations?limit=1&cursor=\(encoded(cursor))", method: .get) { next in
                    let second = try next.decode(QuotationList.self)
                    #expect(second.quotations.count == 1 && second.quotations != first.quotations)
                }
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func unknownArticleIs404AndWrongMethodIs405(_ transport: HTTPTransport) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            try await client.execute(uri: "/v1/articles/not-there", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/search?q=x", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func tokenIsRequiredWhenConfigured(_ transport: HTTPTransport) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app(token: "s3cret").test(transport.setup) { client in
            try await client.execute(uri: "/v1/speakers", method: .get) { response in
                #expect(response.status == .unauthorized)
                let body = try response.decode(ErrorBody.self)
                #expect(body.error.status == 401)
            }
            try await client.execute(uri: "/v1/speakers", method: .get, headers: [.authorization: "Bearer wrong"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/speakers", method: .get, headers: [.authorization: "Bearer s3cret"]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func missingIndexIsNotReadyAnd503(_ transport: HTTPTransport) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app(indexPath: seeded.root.appendingPathComponent("absent").path).test(transport.setup) { client in
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(uri: "/v1/search?q=x", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try response.decode(ErrorBody.self)
                #expect(body.error.status == 503)
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func metricsCountRequestsAndRows(_ transport: HTTPTransport) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            try await client.execute(uri: "/v1/search?q=talks", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("quotewire_query_requests_total"))
                #expect(text.contains(#"route="/v1/search""#))
                #expect(text.contains("quotewire_query_request_duration_seconds"))
                #expect(text.contains(#"quotewire_index_rows{table="articles"} 3"#))
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func openAPIDocumentParsesAndNamesEveryRoute(_ transport: HTTPTransport) async throws {
        let seeded = try await SeededIndex()
        try await seeded.app().test(transport.setup) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                let document = try #require(json as? [String: Any])
                #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
                let paths = try #require(document["paths"] as? [String: Any])
                #expect(Set(paths.keys) == Set(QueryApplication.routes))
            }
        }
    }
}
