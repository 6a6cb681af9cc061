import Foundation
import HTTPSupport
import HTTPTypes
import Hummingbird
import NIOCore
import QuotewireIndex

/// `GET /search.csv?q=…&sort=…` and `GET /search.jsonl?q=…&sort=…`: every result of a search
/// (its cursor followed to the end, as deep as search paging goes), as the CLI's
/// `quotewire search --all --format csv|jsonl` writes them: the same ``CSVWriter`` (with its
/// formula neutralising) and columns, the same ``JSONLinesWriter``. A partial answer says which
/// partitions are missing in a `Quotewire-Missing-Partitions` header.
struct SearchExport<Context: RequestContext>: Sendable {
    let index: any ShardGatherer
    let deadline: Duration

    static var routes: [String] { ["/search.csv", "/search.jsonl"] }
    /// Results per request to the index while exporting.
    static var pageSize: Int { QueryLimits.search.maximum }

    func register(on router: Router<Context>) {
        router.get("search.csv", use: csv)
        router.get("search.jsonl", use: jsonLines)
    }

    @Sendable func csv(_ request: Request, context: Context) async throws -> Response {
        let (hits, missing) = try await results(request)
        var text = CSVWriter.row(SearchHit.csvHeader)
        for hit in hits { text += CSVWriter.row(hit.csvFields) }
        return Self.download(text, type: "text/csv; charset=utf-8", name: "quotewire-search.csv", missing: missing)
    }

    @Sendable func jsonLines(_ request: Request, context: Context) async throws -> Response {
        let (hits, missing) = try await results(request)
        let writer = JSONLinesWriter()
        var text = ""
        for hit in hits { text += try writer.text(hit) }
        return Self.download(text, type: "application/jsonl; charset=utf-8", name: "quotewire-search.jsonl", missing: missing)
    }

    /// Every hit of the request's search, and the partitions missing from any page.
    private func results(_ request: Request) async throws -> ([SearchHit], [Int]) {
        let parameters = QueryParameters(form: request)
        guard let query = parameters.raw("q"), !query.allSatisfy(\.isWhitespace) else {
            throw APIError(.badRequest, "the q parameter is required")
        }
        let sort = try parameters.choice("sort", of: SearchSort.self)
        let index = self.index
        var hits: [SearchHit] = []
        var missing = Set<Int>()
        var cursor: String?
        repeat {
            let from = cursor
            let page = try await QueryDeadline.run(within: deadline) {
                try await index.search(query, limit: Self.pageSize, cursor: from, sort: sort)
            }
            hits += page.results
            missing.formUnion(page.missingPartitions ?? [])
            cursor = page.nextCursor
        } while cursor != nil
        return (hits, missing.sorted())
    }

    static func download(_ text: String, type: String, name: String, missing: [Int]) -> Response {
        var headers: HTTPFields = [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""]
        if !missing.isEmpty {
            headers[.quotewireMissingPartitions] = missing.map(String.init).joined(separator: ",")
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
