import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import IngestService
import NIOCore
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import Testing

/// Hostile HTTP input against the ingest API over real HTTP: every answer is a 4xx with a
/// JSON error body, or a 202 where the input is in fact a fine article; never a 5xx, and the
/// service keeps answering.
@Suite(.timeLimit(.minutes(3)))
struct IngestHostileInputTests {
    static let token = IngestAPITests.token

    /// One hostile request and the answer it must get.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var uri = "/v1/articles"
        var method: HTTPRequest.Method = .post
        var headers: HTTPFields
        var body: ByteBuffer?
        /// The status expected; nil: any 4xx. A 2xx means the odd input is in fact a fine article.
        var status: Int?
        /// Words the error message must contain.
        var mentioning: String?

        var description: String { name }
    }

    static func headers(_ contentType: String?, authorization: String? = "Bearer \(token)") -> HTTPFields {
        var fields = HTTPFields()
        if let contentType { fields[.contentType] = contentType }
        if let authorization { fields[.authorization] = authorization }
        return fields
    }

    /// The body limit of the hostile-request app: room for the JSON cases, small enough to overflow cheaply.
    static let maxBodyBytes = 256 * 1024

    static let article = ByteBuffer(string: "\"We will rebuild the harbour,\" said Mayor Ana Lopes.")

    static var cases: [Case] {
        var cases: [Case] = []
        // The token: required, exact, in the Authorization header only.
        let wrongTokens: [String?] = [
            nil, "", "Bearer", "Bearer ", "Bearer wrong", "Bearer \(String(token.dropLast()))", "Bearer \(token)x",
            "Bearer \(token.uppercased())", "Basic \(Data(token.utf8).base64EncodedString())", token, "Token \(token)",
            "Bearer " + String(repeating: "t", count: 64 * 1024), "Bearer \u{202E}\(token)", "Bearer \(token)\u{00A0}",
            "Bearer wrong, Bearer \(token)", "Bearer  \(token)",
        ]
        for (index, value) in wrongTokens.enumerated() {
            cases.append(Case(name: "token #\(index)", uri: "/v1/articles?token=\(token)", headers: headers("text/plain", authorization: value),
                              body: article, status: 401, mentioning: "token"))
        }
        // Content types that lie, or that we do not read.
        for type in ["application/octet-stream", "text/plain; charset=latin-1", "application/json; charset=utf-16", "image/png",
                     "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "text/plain; charset=\"ebcdic\"",
                     "application/json-seq", String(repeating: "x", count: 10_000)] {
            cases.append(Case(name: "content type \(type.prefix(40))", headers: headers(type), body: article, status: 415))
        }
        cases.append(Case(name: "JSON that is text", headers: headers("application/json"), body: article, status: 400, mentioning: "JSON"))
        cases.append(Case(name: "text that is binary", headers: headers("text/plain"),
                          body: ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF]), status: 400, mentioning: "UTF-8"))
        // HTML is read in the charset it names; bytes that name none must be UTF-8.
        cases.append(Case(name: "HTML that is not UTF-8 and names no charset", headers: headers("text/html"),
                          body: ByteBuffer(bytes: Array("<p>Caf".utf8) + [0xE9, 0xFF] + Array(" au lait</p>".utf8)),
                          status: 400, mentioning: "UTF-8"))
        cases.append(Case(name: "HTML in a charset nobody knows", headers: headers("text/html; charset=x-no-such-charset"),
                          body: ByteBuffer(bytes: Array("<p>Caf".utf8) + [0xE9] + Array(" au lait</p>".utf8)), status: 415))
        cases.append(Case(name: "HTML that shows no text", headers: headers("text/html"),
                          body: ByteBuffer(string: "<html><head><title>Only a title</title><script>var a = 1;</script></head><body> </body></html>"),
                          status: 400, mentioning: "text"))
        // JSON bodies that are not the article form.
        let jsonBodies: [(String, String)] = [
            ("deep arrays", String(repeating: "[", count: 100_000)),
            ("deep objects", String(repeating: #"{"a":"#, count: 50_000)),
            ("lone surrogate", #"{"text": "\ud800 words"}"#),
            ("null", "null"), ("array", "[]"), ("string", #""words""#), ("number", "5"),
            ("text is a number", #"{"text": 5}"#), ("text is null", #"{"text": null}"#),
            ("text and html", #"{"text": "a", "html": "<p>b</p>"}"#),
            ("url is javascript", #"{"text": "words", "url": "javascript:alert(1)"}"#),
            ("url is a path", #"{"text": "words", "url": "../../etc/passwd"}"#),

            ("publishedAt is garbage", #"{"text": "words", "publishedAt": "\u0000"}"#),
            ("publishedAt is huge", #"{"text": "words", "publishedAt": "\#(String(repeating: "9", count: 10_000))"}"#),
            ("text is only spaces", #"{"text": "   "}"#),
            ("trailing garbage", #"{"text": "words"} {"text": "more"}"#),
        ]
        for (name, json) in jsonBodies {
            cases.append(Case(name: "JSON \(name)", headers: headers("application/json"), body: ByteBuffer(string: json)))
        }
        // Odd but fine: a byte-order mark before the JSON, a long URL, an empty path segment.
        cases.append(Case(name: "JSON after a BOM", headers: headers("application/json"),
                          body: ByteBuffer(string: "\u{FEFF}{\"text\": \"words \(UUID())\"}"), status: 202))
        cases.append(Case(name: "JSON with a 100 KB url", headers: headers("application/json"),
                          body: ByteBuffer(string: #"{"text": "words", "url": "https://example.org/\#(String(repeating: "a", count: 100_000))"}"#),
                          status: 202))
        cases.append(Case(name: "path /v1//articles", uri: "/v1//articles", headers: headers("text/plain"),
                          body: ByteBuffer(string: "Words \(UUID())."), status: 202))
        // Size (a declared length over the limit, and a chunked body, are tried on a raw socket below).
        cases.append(Case(name: "a body over the limit", headers: headers("text/plain"),
                          body: ByteBuffer(repeating: 0x61, count: maxBodyBytes + 1), status: 413, mentioning: String(maxBodyBytes)))
        // Paths and methods.
        for (uri, status) in [("/v1/articles/../articles", 404), ("/v1/articles%2F..", 404),
                              ("/v1/articles/%00", 404), ("/v1/../v1/articles", 404), ("/" + String(repeating: "a/", count: 4_000), 404)] {
            cases.append(Case(name: "path \(uri.prefix(40))", uri: uri, headers: headers("text/plain"), body: article, status: status))
        }
        for method in [HTTPRequest.Method.get, .put, .delete, .patch, .options] {
            cases.append(Case(name: "\(method)", method: method, headers: headers("text/plain"), body: article, status: 405))
        }
        // Metadata in the query string.
        for (query, status) in [("url=%00", 400), ("url=javascript:alert(1)", 400), ("publishedAt=yesterday", 400),
                                ("publishedAt=%ED%A0%80", 400), ("url=" + String(repeating: "a", count: 10_000), 400)] {
            cases.append(Case(name: "query \(query.prefix(40))", uri: "/v1/articles?\(query)", headers: headers("text/plain"),
                              body: article, status: status))
        }
        return cases
    }

    @Test(.needs(.broker)) func hostileRequestsGet4xxJSONErrorsNever5xx() async throws {
        try await TestBroker.withTopics(["ingest-hostile"]) { topics in
            var configuration = IngestTestBroker.configuration(topic: topics[0], token: Self.token)
            configuration.maxBodyBytes = Self.maxBodyBytes
            try await IngestAPITests.withApp(configuration, .live) { client in
                for item in Self.cases {
                    try await client.execute(uri: item.uri, method: item.method, headers: item.headers, body: item.body) { response in
                        let code = Int(response.status.code)
                        #expect(!(500..<600).contains(code), "\(item) → \(code): never a 5xx")
                        if let status = item.status {
                            #expect(code == status, "\(item) → \(code), expected \(status): \(String(buffer: response.body).prefix(200))")
                        } else {
                            #expect((400..<500).contains(code), "\(item) → \(code): \(String(buffer: response.body).prefix(200))")
                        }
                        #expect(response.headers[.contentType] == "application/json", "\(item): \(response.headers[.contentType] ?? "no type")")
                        if (200..<300).contains(code) { return }
                        let error = try? decodeBody(IngestAPITests.ErrorBody.self, response)
                        #expect(error?.error.status == code, "\(item): a JSON error body")
                        if let words = item.mentioning {
                            #expect(error?.error.message.localizedCaseInsensitiveContains(words) == true,
                                    "\(item): \(error?.error.message ?? "") should mention \(words)")
                        }
                        if code == 401 {
                            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(item)")
                        }
                    }
                }
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok, "still answering") }
            }
        }
    }

    @Test(.needs(.broker)) func oddButValidArticlesAreAccepted() async throws {
        try await TestBroker.withTopics(["ingest-odd"]) { topics in
            let bodies: [(String, String, String)] = [
                ("lower-case scheme", "text/plain", "Words \(UUID())."),
                ("no content type", "", "Words \(UUID())."),
                ("charset and parameters", "Text/Plain ; Charset=\"UTF-8\" ; format=flowed", "Words \(UUID())."),
                ("right to left", "text/plain", "\u{202E}\"נבנה מחדש,\" אמר ראש העיר \(UUID())\u{202C}"),
                ("zero width and emoji", "text/plain", "Wo\u{200B}rds 😀👩‍👩‍👧 \(UUID())\u{FEFF}"),
                ("NUL and controls", "text/plain", "Words\u{0}\u{1}\u{7F} \(UUID())\u{85}"),
                ("mixed line endings", "text/plain", "Title \(UUID())\r\n\r\nOne.\rTwo.\nThree.\u{2028}Four."),
                ("JSON with odd text", "application/json", #"{"text": "\u202e\u0000 words \#(UUID())", "source": "\u200b"}"#),
            ]
            try await IngestAPITests.withApp(IngestTestBroker.configuration(topic: topics[0], token: Self.token), .live) { client in
                for (name, type, text) in bodies {
                    var fields = Self.headers(type.isEmpty ? nil : type, authorization: name == "lower-case scheme" ? "bearer \(Self.token)" : "Bearer \(Self.token)")
                    var padding = HTTPFields()
                    padding[HTTPField.Name("X-Padding")!] = String(repeating: "p", count: 60 * 1024)
                    if name == "no content type" { fields.append(contentsOf: padding) }
                    try await client.execute(uri: "/v1/articles?source=%E2%80%AEWire", method: .post, headers: fields,
                                             body: ByteBuffer(string: text)) { response in
                        #expect(response.status == .accepted, "\(name) → \(response.status): \(String(buffer: response.body))")
                    }
                }
            }
        }
    }

    @Test func aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() async throws {
        var configuration = IngestTestBroker.configuration(topic: TestBroker.uniqueName("never-written"), token: Self.token)
        configuration.maxBodyBytes = 4 * 1024 * 1024
        try await IngestAPITests.withApp(configuration, .live) { client in
            let port = try #require(client.port)
            // Only the head and a few bytes of a declared 50 MB body: the answer must come without the rest.
            let head = "POST /v1/articles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(Self.token)\r\n"
                + "Content-Type: text/plain\r\nContent-Length: \(50 * 1024 * 1024)\r\n\r\nsome words"
            let started = ContinuousClock.now
            let answer = try await RawHTTP.exchange(Array(head.utf8), port: port, readFor: .seconds(5))
            #expect(answer.status == 413, "\(answer.text.prefix(300))")
            #expect(answer.text.contains("\"status\":413"), "\(answer.text.prefix(300))")
            #expect(ContinuousClock.now - started < .seconds(5), "answered at once, not after waiting for the body")

            // Lengths the HTTP parser cannot read are refused too, never a 5xx.
            for length in ["-1", "abc", "99999999999999999999999", "1, 2"] {
                let request = "POST /v1/articles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(Self.token)\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: \(length)\r\n\r\nwords"
                let reply = try await RawHTTP.exchange(Array(request.utf8), port: port, readFor: .seconds(3))
                #expect(reply.status.map { (400..<500).contains($0) } ?? true, "Content-Length \(length) → \(reply.status.map(String.init) ?? "closed")")
            }
            // A header beyond the parser's bound.
            let huge = "POST /v1/articles HTTP/1.1\r\nHost: localhost\r\nX-Padding: \(String(repeating: "p", count: 128 * 1024))\r\n\r\n"
            let reply = try await RawHTTP.exchange(Array(huge.utf8), port: port, readFor: .seconds(3))
            #expect(reply.status.map { (400..<500).contains($0) } ?? true, "a 128 KB header → \(reply.status.map(String.init) ?? "closed")")
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok, "still answering") }
        }
    }

    @Test func aChunkedBodyOverTheLimitIs413() async throws {
        var configuration = IngestTestBroker.configuration(topic: TestBroker.uniqueName("never-written"), token: Self.token)
        configuration.maxBodyBytes = 1024
        try await IngestAPITests.withApp(configuration, .live) { client in
            let port = try #require(client.port)
            var request = "POST /v1/articles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(Self.token)\r\n"
                + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            for _ in 0..<8 { request += "200\r\n" + String(repeating: "a", count: 512) + "\r\n" }
            request += "0\r\n\r\n"
            let answer = try await RawHTTP.exchange(Array(request.utf8), port: port, readFor: .seconds(5))
            #expect(answer.status == 413, "\(answer.text.prefix(300))")
            #expect(answer.text.contains("\"status\":413"))
        }
    }
}
