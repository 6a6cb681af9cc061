import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs articles to a running quotewire-ingest for the benchmarks that drive the pipeline.
enum IngestPost {
    enum Answer {
        /// 202 with this article id.
        case accepted(String)
        /// A 4xx answer other than a refused token, with its status and the start of its body.
        case rejected(String)
    }

    private struct Accepted: Decodable {
        var articleId: String
    }

    /// POSTs one article; retries 5xx answers and connection errors up to five times.
    /// - Throws: ``BenchError`` when the token is refused or every try failed.
    static func send(_ body: Data, contentType: String, url: String, token: String, client: HTTPClient) async throws
        -> (answer: Answer, retries: Int)
    {
        var retries = 0
        while true {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
            let problem: String
            do {
                let response = try await client.execute(request, timeout: .seconds(60))
                let data = Data(try await response.body.collect(upTo: 1024 * 1024).readableBytesView)
                if response.status == .accepted {
                    return (.accepted(try JSONDecoder().decode(Accepted.self, from: data).articleId), retries)
                }
                let text = String(decoding: data.prefix(300), as: UTF8.self)
                guard response.status.code >= 500 else {
                    if response.status.code == 401 || response.status.code == 403 {
                        throw BenchError("ingest refused the bearer token: HTTP \(response.status.code) \(text)")
                    }
                    return (.rejected("HTTP \(response.status.code) \(text)"), retries)
                }
                problem = "HTTP \(response.status.code) \(text)"
            } catch let error as BenchError {
                throw error
            } catch {
                problem = "\(error)"
            }
            retries += 1
            guard retries <= 5 else { throw BenchError("POST \(url) failed 6 times, last: \(problem)") }
            try await Task.sleep(for: .milliseconds(200 * retries))
        }
    }
}
