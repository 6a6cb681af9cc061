import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import QueryService
import QuotewireIndex
import QuotewireModels
import Testing

/// The web pages through their router (HummingbirdTesting `.router`): every page over a real
/// seeded index, escaping of hostile article text, the security headers, 404s, the sign-in and
/// its session cookie, the export, and the peer route kept from browsers.
@Suite("Web pages")
struct WebPageTests {
    static let policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func app(_ index: any ShardGatherer, token: String? = nil) throws -> some ApplicationProtocol {
        var configuration = QueryServiceConfiguration()
        configuration.token = token
        return Application(router: try WebApplication.makeRouter(index: index, configuration: configuration))
    }

    static func reader(_ folder: IndexFolder) -> IndexReader {
        var configuration = IndexReaderConfiguration()
        configuration.refreshInterval = .zero
        return IndexReader(folder: folder, configuration: configuration)
    }

    /// Every answer of the web port carries the same headers, error pages included.
    static func expectSecurityHeaders(_ response: TestResponse, _ what: String) {
        #expect(response.headers[.contentSecurityPolicy] == policy, "\(what)")
        #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(what)")
        #expect(response.headers[.xFrameOptions] == "DENY", "\(what)")
        #expect(response.headers[.referrerPolicy] == "same-origin", "\(what)")
        #expect(response.headers[.serverTiming]?.hasPrefix("app;dur=") == true, "\(what)")
    }

    @Test func everyPageRendersFromTheIndexWithItsSecurityHeaders() async throws {
        let seeded = try await SeededIndex()
        try await Self.app(Self.reader(seeded.folder)).test(.router) { client in
            let pages: [(String, [String])] = [
                ("/", ["Most quoted", "Mark Rutte", "/speakers/Mark%20Rutte", "id=\"q\""]),
                ("/search?q=talks", ["Results for talks", "Markets calm", "Peace talks are not easy", "<mark>", "/search.csv?q=talks"]),
                ("/search?q=peace+talks", ["Results for peace talks", "Peace talks are not easy"]),
                ("/speakers/Mark%20Rutte", ["Mark Rutte", "Talks will continue", "These discussions are not easy", "<svg", "Test Wire"]),
                ("/speakers/mark%20rutte", ["<h1>Mark Rutte</h1>"]),
                ("/quotations/a0~0", ["These discussions are not easy", "/speakers/Mark%20Rutte", "/articles/a0", "Peace talks are not easy"]),
                ("/articles/a1", ["Air defences needed", "We need air defences", "Volodymyr Zelensky", "/tickers/RIO", "57.00"]),
                ("/tickers/rio", ["<h1>RIO</h1>", "57.26", "+0.44%", "-0.10%", "<polyline", "/articles/a0"]),
            ]
            for (path, wanted) in pages {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path) → \(response.status)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                    Self.expectSecurityHeaders(response, path)
                    let html = String(buffer: response.body)
                    for text in wanted { #expect(html.contains(text), "\(path) lacks \(text)") }
                    // The only script is the site's own file: no inline script, no handler attribute.
                    #expect(html.components(separatedBy: "<script").count == 2, "\(path)")
                    #expect(html.contains("<script src=\"/static/site.js\" defer></script>"), "\(path)")
                    #expect(!html.contains(" onerror=") && !html.contains(" onclick=") && !html.contains(" style="), "\(path)")
                }
            }
            for (path, type) in [("/static/site.css", "text/css; charset=utf-8"), ("/static/site.js", "text/javascript; charset=utf-8"),
                                 ("/static/icon.svg", "image/svg+xml")] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok && response.headers[.contentType] == type, "\(path)")
                    Self.expectSecurityHeaders(response, path)
                }
            }
        }
    }

    @Test func hostileArticleTextIsEscapedEverywhereAndLinksOnlyToTheWeb() async throws {
        let hostile = try await HostileIndex()
        try await Self.app(Self.reader(hostile.folder)).test(.router) { client in
            for path in ["/articles/x1", "/quotations/x1~0", "/quotations/x1~1", "/search?q=pwned", "/search?q=window",
                         "/speakers/" + encoded("Eve <i>Mallory</i>"), "/"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path) → \(response.status)")
                    let html = String(buffer: response.body)
                    for raw in ["<script>window", "<img src=x", "<i>Mallory", "<b>Wire", "href=\"javascript:", "\"><img"] {
                        #expect(!html.contains(raw), "\(path) carries \(raw) unescaped")
                    }
                    #expect(html.components(separatedBy: "<script").count == 2, "\(path)")
                }
            }
            try await client.execute(uri: "/articles/x1", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;Headline"))
                #expect(html.contains("&quot;&gt;&lt;img src=x onerror=window.__pwned=3&gt;"))
                #expect(html.contains("Eve &lt;i&gt;Mallory&lt;/i&gt;"))
                // A javascript: address is shown as text, never as a link.
                #expect(html.contains("<span>javascript:window.__pwned=2</span>"))
                #expect(html.contains("&lt;a href=&quot;javascript:window.__pwned=6&quot;&gt;click&lt;/a&gt;"))
            }
            try await client.execute(uri: "/articles/x2", method: .get) { response in
                #expect(String(buffer: response.body).contains("<a href=\"https://news.example/story?a=1&amp;b=2\" rel=\"noopener noreferrer nofollow\">"))
            }
            // The snippet's marks are the only markup that comes from a search.
            try await client.execute(uri: "/search?q=window", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<mark>window</mark>"))
                #expect(html.contains("&lt;"))
            }
        }
    }

    @Test func malformedQueriesSayWhereAndWhatWithA400() async throws {
        let seeded = try await SeededIndex()
        try await Self.app(Self.reader(seeded.folder)).test(.router) { client in
            try await client.execute(uri: "/search?q=" + encoded("talks OR"), method: .get) { response in
                #expect(response.status == .badRequest)
                Self.expectSecurityHeaders(response, "malformed")
                let html = String(buffer: response.body)
                #expect(html.contains("at character 7: expected a term after OR"))
                #expect(html.contains("talks OR\n      ^</pre>"))
                #expect(html.contains("value=\"talks OR\""), "the box keeps the query to fix")
            }
            try await client.execute(uri: "/search?q=talks&cursor=garbage", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("the cursor is not valid for this query"))
            }
            try await client.execute(uri: "/search?q=talks&sort=sideways", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
            try await client.execute(uri: "/search?q=", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/")
            }
        }
    }

    @Test func facetsNarrowAndTheCursorPages() async throws {
        let seeded = try await SeededIndex()
        try await Self.app(Self.reader(seeded.folder)).test(.router) { client in
            try await client.execute(uri: "/search?q=talks&limit=1", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Results 1–1 of 3"))
                // Speaker and outlet values are links that add a filter; days add since and until.
                #expect(html.contains("href=\"/search?q=talks%20speaker%3A%22Mark%20Rutte%22\""))
                #expect(html.contains("href=\"/search?q=talks%20source%3A%22Test%20Wire%22\""))
                #expect(html.contains("href=\"/search?q=talks%20since%3A2026-01-03%20until%3A2026-01-03\""))
                let next = try #require(html.range(of: "rel=\"next\" href=\"").map { html[$0.upperBound...].prefix { $0 != "\"" } })
                try await client.execute(uri: String(next).replacingOccurrences(of: "&amp;", with: "&"), method: .get) { page in
                    #expect(page.status == .ok)
                    let second = String(buffer: page.body)
                    #expect(second.contains("Results 2–2 of 3"))
                    #expect(second.contains("<ol class=\"hits\" start=\"2\">"))
                    #expect(second.contains(">First page</a>"))
                }
            }
            try await client.execute(uri: "/search?q=" + encoded("talks speaker:\"Mark Rutte\""), method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<span>Mark Rutte</span>"), "an applied speaker filter is no link")
                #expect(!html.contains("Volodymyr"))
            }
        }
    }

    @Test(arguments: ["/articles/unknown", "/quotations/a0~9", "/quotations/a0", "/quotations/a0~x", "/speakers/Nobody%20Known",
                      "/tickers/ZZZ", "/nope", "/v1/search?q=talks", "/internal/v1/shards", "/healthz", "/openapi.json"])
    func unknownThingsAre404Pages(_ path: String) async throws {
        let seeded = try await SeededIndex()
        try await Self.app(Self.reader(seeded.folder)).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                let status = response.status.code
                #expect(status == 404 || (path == "/quotations/a0" && status == 400) || (path == "/quotations/a0~x" && status == 400),
                        "\(path) → \(status)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                Self.expectSecurityHeaders(response, path)
                #expect(String(buffer: response.body).contains("<h1>"), "\(path)")
            }
        }
    }

    @Test func thePeerRouteIsNotOnTheWebPortAndRefusesBrowsersOnTheAPIPort() async throws {
        let seeded = try await SeededIndex()
        try await Self.app(Self.reader(seeded.folder)).test(.router) { client in
            try await client.execute(uri: "/internal/v1/shards", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .notFound)
            }
        }
        let question = try JSONEncoder().encode(PeerQuestion(request: .speakers, partitions: [0]))
        try await seeded.app().test(.router) { client in
            try await client.execute(uri: "/internal/v1/shards", method: .post, body: ByteBuffer(bytes: question)) { response in
                #expect(response.status == .ok, "a node's question is answered")
            }
            for header in [(HTTPField.Name.origin, "http://127.0.0.1:8084"), (.secFetchSite, "same-site")] {
                try await client.execute(uri: "/internal/v1/shards", method: .post, headers: [header.0: header.1],
                                         body: ByteBuffer(bytes: question)) { response in
                    #expect(response.status == .forbidden, "\(header.0)")
                }
            }
        }
    }

    @Test func withATokenThePagesAskForItAndKeepASessionCookie() async throws {
        let seeded = try await SeededIndex()
        let token = "s3cret-token"
        try await Self.app(Self.reader(seeded.folder), token: token).test(.router) { client in
            try await client.execute(uri: "/search?q=talks", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login?next=%2Fsearch%3Fq%3Dtalks")
            }
            for path in ["/articles/a0", "/search.csv?q=talks", "/"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(!String(buffer: response.body).contains("Peace talks"), "\(path)")
                }
            }
            try await client.execute(uri: "/static/site.css", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/login?next=%2Fsearch%3Fq%3Dtalks", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("type=\"password\""))
                #expect(html.contains("name=\"next\" value=\"/search?q=talks\""))
            }
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/login", method: .post, headers: form,
                                     body: ByteBuffer(string: "token=wrong&next=%2Fsearch%3Fq%3Dtalks")) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
            }
            var cookie = ""
            try await client.execute(uri: "/login", method: .post, headers: form,
                                     body: ByteBuffer(string: "token=\(token)&next=%2Fsearch%3Fq%3Dtalks")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/search?q=talks")
                let setCookie = try #require(response.headers[.setCookie])
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
                #expect(!setCookie.contains(token), "the cookie does not carry the token")
                cookie = String(setCookie.prefix { $0 != ";" })
            }
            try await client.execute(uri: "/search?q=talks", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Peace talks are not easy"))
                #expect(html.contains("action=\"/logout\""))
            }
            // A forged or altered cookie is no session; the bearer header works as on the API.
            let forged = cookie.dropLast(2) + (cookie.hasSuffix("AA") ? "BB" : "AA")
            try await client.execute(uri: "/search?q=talks", method: .get, headers: [.cookie: String(forged)]) {
                #expect($0.status == .seeOther)
            }
            try await client.execute(uri: "/search?q=talks", method: .get, headers: [.cookie: "quotewire_session=\(token)"]) {
                #expect($0.status == .seeOther)
            }
            try await client.execute(uri: "/articles/a0", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                #expect($0.status == .ok)
            }
            // Another site's form cannot sign anyone in; the target stays on this site.
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded",
                                                                                .secFetchSite: "cross-site"],
                                     body: ByteBuffer(string: "token=\(token)")) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/login", method: .post, headers: form,
                                     body: ByteBuffer(string: "token=\(token)&next=%2F%2Fevil.example%2F")) { response in
                #expect(response.headers[.location] == "/")
            }
            try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie]) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.hasPrefix("quotewire_session=; Path=/; Max-Age=0") == true)
            }
        }
        // Without a token there is no sign-in at all.
        try await Self.app(Self.reader(seeded.folder)).test(.router) { client in
            try await client.execute(uri: "/login", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func sessionsExpireAndBelongToTheirToken() {
        let session = WebSession(token: "one")
        let now = Date()
        let value = session.issue(now: now)
        #expect(session.accepts(value, now: now))
        #expect(!session.accepts(value, now: now.addingTimeInterval(WebSession.lifetime + 1)))
        #expect(!WebSession(token: "two").accepts(value, now: now))
        #expect(!session.accepts("", now: now) && !session.accepts("s1.9999999999.", now: now))
    }

    @Test func theExportIsTheWholeSearchInCSVWithFormulasNeutralisedOrInJSONLines() async throws {
        let hostile = try await HostileIndex()
        try await Self.app(Self.reader(hostile.folder)).test(.router) { client in
            try await client.execute(uri: "/search.csv?q=" + encoded("type:quotation"), method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"quotewire-search.csv\"")
                let rows = String(buffer: response.body).components(separatedBy: "\r\n")
                #expect(rows.first == SearchHit.csvHeader.joined(separator: ","))
                #expect(rows.count == 2 + 3, "a header, three quotations, and the last line ending")
                #expect(rows.contains { $0.hasSuffix(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"") })
                #expect(!rows.contains { $0.contains(",=HYPERLINK") || $0.contains(",\"=HYPERLINK") })
            }
            try await client.execute(uri: "/search.jsonl?q=" + encoded("type:quotation") + "&sort=oldest", method: .get) { response in
                #expect(response.status == .ok)
                let lines = String(buffer: response.body).split(separator: "\n")
                #expect(lines.count == 3)
                let hits = try lines.map { try WireCoding.decoder().decode(SearchHit.self, from: Data($0.utf8)) }
                #expect(hits.allSatisfy { $0.type == .quotation && $0.quotationId != nil })
            }
            try await client.execute(uri: "/search.csv?q=" + encoded("a OR"), method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func aPartialAnswerShowsANoticeNamingTheMissingPartitions() async throws {
        let seeded = try await SeededIndex()
        let files = try seeded.folder.shardFiles()
        let nodeA = seeded.root.appendingPathComponent("node-a")
        try FileManager.default.createDirectory(at: nodeA, withIntermediateDirectories: true)
        let shard = try #require(files[0])
        try FileManager.default.copyItem(at: shard, to: nodeA.appendingPathComponent(shard.lastPathComponent))
        var logger = Logger(label: "web-partial-tests")
        logger.logLevel = .critical
        let directory = NodeDirectory(configuration: ClusterConfiguration(nodeID: "a", brokers: "127.0.0.1:1"), logger: logger)
        // Node b's advertisement lapsed long ago: nobody serves partitions 1 and 2.
        let now = Date()
        directory.remember(node: "a", NodeAdvertisement(node: "a", queryURL: "http://127.0.0.1:9", topic: Topics.quotesParsed,
                                                        partitionCount: 3, serving: [0], catchingUp: [], advertisedAt: now, validFor: 300))
        directory.remember(node: "b", NodeAdvertisement(node: "b", queryURL: "http://127.0.0.1:9", topic: Topics.quotesParsed,
                                                        partitionCount: 3, serving: [1, 2], catchingUp: [],
                                                        advertisedAt: now.addingTimeInterval(-600), validFor: 300))
        let cluster = ClusterGatherer(local: Self.reader(IndexFolder(url: nodeA)), directory: directory, peers: PeerClient(token: nil),
                                      timeout: .seconds(1), logger: logger)
        try await Self.app(cluster).test(.router) { client in
            for path in ["/search?q=talks", "/speakers/Mark%20Rutte", "/tickers/RIO", "/"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path) → \(response.status)")
                    let html = String(buffer: response.body)
                    #expect(html.contains("<div class=\"notice\" role=\"status\"><strong>Partial answer.</strong> Partitions 1, 2 of the index did not answer"),
                            "\(path)")
                }
            }
            try await client.execute(uri: "/articles/a1", method: .get) { response in
                #expect(response.status == .serviceUnavailable, "an article no answering shard holds is unavailable, not unknown")
            }
        }
    }
}

/// An index whose articles carry what an attacker would put in a page: markup in the headline,
/// byline, outlet, speaker and text, a `javascript:` address, and a quotation that is a
/// spreadsheet formula.
final class HostileIndex: Sendable {
    let root: URL
    var folder: IndexFolder { IndexFolder(url: root.appendingPathComponent("index")) }

    init() async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-web-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let speaker = "Eve <i>Mallory</i>"
        func quote(_ text: String) -> Quotation {
            Quotation(text: text, speaker: speaker, speakerMention: "\"><b>she</b>", speakerRole: "<u>spokeswoman</u>", cue: "said",
                      kind: .direct, start: 0, end: 1, attribution: "<em>cueAfter</em>")
        }
        let first = ParsedArticle(
            articleId: "x1", source: "Evil <b>Wire</b>", headline: "<script>window.__pwned=1</script>Headline",
            byline: "\"><img src=x onerror=window.__pwned=3>", url: "javascript:window.__pwned=2",
            publishedAt: Date(timeIntervalSince1970: 1_767_225_600), receivedAt: nil,
            paragraphs: ["Intro <script>window.__pwned=4</script> text about the window.",
                         "She said \"<img src=x onerror=window.__pwned=5>\" loudly. <a href=\"javascript:window.__pwned=6\">click</a> pwned"],
            quotations: [quote("<img src=x onerror=window.__pwned=5>"), quote("=HYPERLINK(\"http://evil.example\",\"x\")")],
            marketQuotes: [MarketQuote(symbol: "RIO", changePercent: -1.5, price: 50, currency: "<b>USD</b>", exchange: "<i>X</i>")])
        let second = ParsedArticle(
            articleId: "x2", source: "Plain Wire", headline: "A plain story", url: "https://news.example/story?a=1&b=2",
            publishedAt: Date(timeIntervalSince1970: 1_767_312_000), receivedAt: nil,
            paragraphs: ["Nothing to see; the window is shut, she said."],
            quotations: [quote("The window is shut")], marketQuotes: [])
        let writer = try IndexShardWriter.open(folder: folder, partition: 0)
        try await writer.apply(IndexBatch(
            operations: [first, second].map { .upsert($0, seenAt: Date(timeIntervalSince1970: 1_780_000_000), offset: 0) },
            topic: Topics.quotesParsed, partition: 0, nextOffset: 1))
        try writer.close()
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }
}
