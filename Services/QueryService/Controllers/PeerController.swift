import Foundation
import HTTPSupport
import HTTPTypes
import Hummingbird
import QuotewireIndex

/// `POST /internal/v1/shards`: another node's query service asking for this node's part of
/// an answer (``PeerQuestion`` in, ``GatheredAnswers`` out, Foundation's default JSON coding).
/// A node on its own answers from every shard of its folder. A request a browser sent is
/// refused (403): the route is the nodes' own, never a page's.
struct PeerController<Context: RequestContext>: Sendable {
    let reader: IndexReader
    let cluster: ClusterGatherer?

    /// The largest question accepted: a snippet request names at most a page of rows.
    static var maximumQuestionBytes: Int { 1024 * 1024 }
    /// More partitions than any topic here has.
    static var maximumPartitions: Int { 10_000 }

    func register(on group: RouterGroup<Context>) {
        group.post("shards", use: shards)
    }

    @Sendable func shards(_ request: Request, context: Context) async throws -> Response {
        // Browsers mark their requests (`Sec-Fetch-Site`, `Origin`); the nodes' client does not.
        if request.headers[.secFetchSite] != nil || request.headers[.origin] != nil {
            throw APIError(.forbidden, "this route is for the other index nodes, not for browsers")
        }
        let body = try await request.body.collect(upTo: Self.maximumQuestionBytes)
        let question: PeerQuestion
        do {
            question = try JSONDecoder().decode(PeerQuestion.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError(.badRequest, "the body is not a shard question: \(error)")
        }
        try question.request.validate()
        guard question.partitions.count <= Self.maximumPartitions else {
            throw APIError(.badRequest, "at most \(Self.maximumPartitions) partitions may be asked for")
        }
        let answers: GatheredAnswers = if let cluster {
            try await cluster.answer(question)
        } else {
            try await reader.gather(question.request, from: Set(question.partitions))
        }
        return JSONBody.bytes(try JSONEncoder().encode(answers))
    }
}
