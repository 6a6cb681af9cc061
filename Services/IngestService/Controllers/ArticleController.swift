import ArticleIntake
import Foundation
import HTTPSupport
import HTTPTypes
import Hummingbird
import NIOCore
import QuotewireModels

/// `POST /v1/articles`: checks the body, publishes the raw article, answers
/// `202 {"articleId": "…"}` once the broker acknowledged.
///
/// Plain-text and HTML bodies may carry their metadata as query parameters
/// (`?url=…&source=…&publishedAt=…`); a JSON body carries its own.
struct ArticleController<Context: RequestContext> {
    let publisher: ArticlePublisher
    let maxBodyBytes: Int

    struct Accepted: Codable {
        var articleId: String
    }

    func register(on group: RouterGroup<Context>) {
        group.post("articles", use: submit)
    }

    @Sendable func submit(_ request: Request, context: Context) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw APIError(.contentTooLarge, "the body is \(declared) bytes; the limit is \(maxBodyBytes)")
        }
        var submission = try ArticleSubmission(mediaType: request.headers[.contentType], maxBodyBytes: maxBodyBytes)
        let query = request.uri.queryParameters
        submission.url = query["url"].map(String.init)
        submission.source = query["source"].map(String.init)
        submission.publishedAt = query["publishedAt"].map(String.init)

        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the body is larger than the limit of \(maxBodyBytes) bytes")
        }
        let article = try submission.article(from: body.readableBytesView, receivedAt: Date())
        try await publisher.publish(article)
        return JSONBody.response(Accepted(articleId: article.articleId), status: .accepted)
    }
}
