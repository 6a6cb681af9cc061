import Foundation
import Hummingbird
import HummingbirdTesting
import IngestService
import NIOCore
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import Testing

/// The ingest HTTP API, through the router alone and over real HTTP (each test runs both ways),
/// publishing to a topic of its own on the real broker.
@Suite(.timeLimit(.minutes(2)))
struct IngestAPITests {
    static let token = "s3cret-token"
    static let auth: HTTPFields = [.authorization: "Bearer \(token)"]

    static func headers(_ contentType: String) -> HTTPFields {
        var fields = auth
        fields[.contentType] = contentType
        return fields
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var status: Int
            var message: String
        }
        var error: Detail
    }

    struct Accepted: Decodable {
        var articleId: String
    }

    /// Runs the app against `configuration`, reached through `transport`, and closes its publisher afterwards.
    static func withApp(
        _ configuration: IngestServiceConfiguration, _ transport: HTTPTransport, metrics: IngestMetrics = IngestMetrics(),
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let publisher = try ArticlePublisher(configuration: configuration, metrics: metrics, logger: TestBroker.logger)
        let app = IngestApplication.make(configuration: configuration, publisher: publisher, metrics: metrics,
                                         logger: TestBroker.logger)
        do {
            try await app.test(transport.setup) { client in try await body(client) }
        } catch {
            await publisher.close()
            throw error
        }
        await publisher.close()
    }

    @Test(.needs(.broker), arguments: HTTPTransport.allCases)
    func textHTMLAndJSONLandOnTheTopicAsRawArticles(_ transport: HTTPTransport) async throws {
        try await TestBroker.withTopics(["ingest-raw"]) { topics in
            let topic = topics[0]
            let html = "<html><head><title>T</title></head><body><p>&ldquo;We build,&rdquo; said Ana Lopes.</p></body></html>"
            let ids = IDs()
            try await Self.withApp(IngestTestBroker.configuration(topic: topic), transport) { client in
                try await client.execute(
                    uri: "/v1/articles?source=Test%20Wire", method: .post, headers: Self.headers("text/plain; charset=utf-8"),
                    body: ByteBuffer(string: "\"The harbour will be rebuilt,\" said Mayor Ana Lopes.")
                ) { response in
                    #expect(response.status == .accepted)
                    await ids.set("text", try decodeBody(Accepted.self, response).articleId)
                }
                try await client.execute(uri: "/v1/articles", method: .post, headers: Self.headers("text/html"),
                                         body: ByteBuffer(string: html)) { response in
                    #expect(response.status == .accepted)
                    await ids.set("html", try decodeBody(Accepted.self, response).articleId)
                }
                let json = #"{"text": "Prices will fall, the minister said.", "url": "https://Example.org/prices/#top", "source": "Daily", "publishedAt": "2026-01-02T03:04:05Z"}"#
                try await client.execute(uri: "/v1/articles", method: .post, headers: Self.headers("application/json"),
                                         body: ByteBuffer(string: json)) { response in
                    #expect(response.status == .accepted)
                    await ids.set("json", try decodeBody(Accepted.self, response).articleId)
                }
            }
            let byID = try TestBroker.rawArticles(in: try await TestBroker.read(topic: topic, count: 3))
            let (textID, htmlID, jsonID) = (await ids.get("text"), await ids.get("html"), await ids.get("json"))
            #expect(byID.count == 3)

            let text = try #require(byID[textID])
            #expect(text.contentType == .plainText)
            #expect(text.articleId == ArticleID.derive(url: nil, body: text.body))
            #expect(text.source == "Test Wire")
            #expect(text.url == nil && text.publishedAt == nil)

            let page = try #require(byID[htmlID])
            #expect(page.contentType == .html)
            #expect(page.body == html, "HTML is kept exactly as received")

            let article = try #require(byID[jsonID])
            #expect(article.contentType == .plainText)
            #expect(article.url == "https://Example.org/prices/#top")
            #expect(jsonID == ArticleID.derive(url: "https://example.org/prices", body: ""), "the id comes from the canonical URL")
            #expect(article.source == "Daily")
            #expect(article.publishedAt == Date(timeIntervalSince1970: 1_767_323_045))
            #expect(article.schemaVersion == SchemaVersion.current)
        }
    }

    @Test(.needs(.broker), arguments: HTTPTransport.allCases)
    func theSamePageTwiceIsTheSameArticle(_ transport: HTTPTransport) async throws {
        try await TestBroker.withTopics(["ingest-same"]) { topics in
            let ids = IDs()
            try await Self.withApp(IngestTestBroker.configuration(topic: topics[0]), transport) { client in
                for (index, body) in ["Same  page,\nsame words.", "Same page, same words.  "].enumerated() {
                    try await client.execute(uri: "/v1/articles", method: .post, headers: Self.headers("text/plain"),
                                             body: ByteBuffer(string: body)) { response in
                        #expect(response.status == .accepted)
                        await ids.set("\(index)", try decodeBody(Accepted.self, response).articleId)
                    }
                }
            }
            let first = await ids.get("0")
            #expect(first.count == 32)
            #expect(await ids.get("1") == first)
            let messages = try await TestBroker.read(topic: topics[0], count: 2)
            #expect(messages.count == 2)
            #expect(messages.allSatisfy { $0.keyString == first }, "keyed by article id")
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func refusesWhatItCannotTake(_ transport: HTTPTransport) async throws {
        var configuration = IngestTestBroker.configuration(topic: TestBroker.uniqueName("never-written"))
        configuration.maxBodyBytes = 1024
        try await Self.withApp(configuration, transport) { client in
            func expectError(_ status: HTTPResponse.Status, uri: String = "/v1/articles", headers: HTTPFields, body: ByteBuffer?,
                             mentioning words: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
                    #expect(response.status == status, sourceLocation: sourceLocation)
                    #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
                    let error = try decodeBody(ErrorBody.self, response)
                    #expect(error.error.status == Int(status.code), sourceLocation: sourceLocation)
                    if let words {
                        #expect(error.error.message.contains(words), "\(error.error.message)", sourceLocation: sourceLocation)
                    }
                }
            }
            let text = ByteBuffer(string: "Some article text.")
            try await expectError(.unauthorized, headers: [.contentType: "text/plain"], body: text)
            try await expectError(.unauthorized, headers: [.contentType: "text/plain", .authorization: "Bearer wrong"], body: text)
            try await expectError(.unauthorized, headers: [.contentType: "text/plain", .authorization: "Bearer \(Self.token)x"], body: text)
            try await expectError(.unauthorized, headers: [.contentType: "text/plain", .authorization: Self.token], body: text)
            try await expectError(.contentTooLarge, headers: Self.headers("text/plain"),
                                  body: ByteBuffer(string: String(repeating: "a", count: 1025)), mentioning: "1024")
            try await expectError(.badRequest, headers: Self.headers("text/plain"),
                                  body: ByteBuffer(bytes: Array("abc ".utf8) + [0xC3, 0x28]), mentioning: "UTF-8")
            try await expectError(.badRequest, headers: Self.headers("text/plain"), body: ByteBuffer(string: " \n\t "), mentioning: "empty")
            try await expectError(.badRequest, headers: Self.headers("text/plain"), body: nil, mentioning: "empty")
            try await expectError(.badRequest, headers: Self.headers("application/json"), body: ByteBuffer(string: #"{"text": "a""#),
                                  mentioning: "JSON")
            try await expectError(.badRequest, headers: Self.headers("application/json"), body: ByteBuffer(string: #"{"url": "https://a.b/c"}"#),
                                  mentioning: "\"text\"")
            try await expectError(.badRequest, headers: Self.headers("application/json"),
                                  body: ByteBuffer(string: #"{"text": "words", "publishedAt": "yesterday"}"#), mentioning: "publishedAt")
            try await expectError(.badRequest, headers: Self.headers("application/json"),
                                  body: ByteBuffer(string: #"{"text": "   "}"#), mentioning: "empty")
            try await expectError(.unsupportedMediaType, headers: Self.headers("application/x-www-form-urlencoded"), body: text)
            try await expectError(.notFound, uri: "/v1/nothing", headers: Self.auth, body: text)
            try await client.execute(uri: "/v1/articles", method: .get, headers: Self.auth) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test(arguments: HTTPTransport.allCases)
    func answers503WithRetryAfterQuicklyWhenTheBrokerIsAway(_ transport: HTTPTransport) async throws {
        var configuration = IngestTestBroker.configuration(topic: Topics.articlesRaw, brokers: "127.0.0.1:1")
        configuration.producer.deliveryTimeout = .seconds(3)
        configuration.retryAfter = .seconds(7)
        try await Self.withApp(configuration, transport) { client in
            let started = ContinuousClock.now
            try await client.execute(uri: "/v1/articles", method: .post, headers: Self.headers("text/plain"),
                                     body: ByteBuffer(string: "Nobody will read this.")) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "7")
                let error = try decodeBody(ErrorBody.self, response)
                #expect(error.error.status == 503)
                #expect(error.error.message.contains("try again"))
            }
            // Well short of the producer's default 30 s; room for a loaded 2-core machine (12-15 s
            // seen with load 13) for the 3 s configured here.
            #expect(ContinuousClock.now - started < .seconds(20))
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }

    @Test(.needs(.broker), arguments: HTTPTransport.allCases)
    func healthAndMetrics(_ transport: HTTPTransport) async throws {
        try await TestBroker.withTopics(["ingest-metrics"]) { topics in
            try await Self.withApp(IngestTestBroker.configuration(topic: topics[0]), transport) { client in
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("ok"))
                }
                try await client.execute(uri: "/v1/articles", method: .post, headers: Self.headers("text/plain"),
                                         body: ByteBuffer(string: "A counted article.")) { response in
                    #expect(response.status == .accepted)
                }
                try await client.execute(uri: "/v1/articles", method: .post, headers: [.contentType: "text/plain"],
                                         body: ByteBuffer(string: "Unauthorised.")) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    let text = String(buffer: response.body)
                    #expect(text.contains(#"quotewire_ingest_requests_total{route="/v1/articles",status="202"} 1"#), "\(text)")
                    #expect(text.contains(#"quotewire_ingest_requests_total{route="/v1/articles",status="401"} 1"#))
                    #expect(text.contains(#"quotewire_messages_produced_total{topic="\#(topics[0])"} 1"#))
                }
            }
        }
    }
}

/// Ids collected inside request callbacks.
actor IDs {
    private var values: [String: String] = [:]
    func set(_ name: String, _ id: String) { values[name] = id }
    func get(_ name: String) -> String { values[name] ?? "" }
}

/// A response body read as JSON.
func decodeBody<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(response.body.readableBytesView))
}
