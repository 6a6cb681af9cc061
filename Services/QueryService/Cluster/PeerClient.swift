import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuotewireIndex

/// The body of `POST /internal/v1/shards`: a shard request and the partitions to answer it from.
public struct PeerQuestion: Codable, Sendable {
    public var request: ShardRequest
    public var partitions: [Int]

    public init(request: ShardRequest, partitions: [Int]) {
        self.request = request
        self.partitions = partitions
    }
}

/// Asks another node's query service for its shards' answers (AsyncHTTPClient).
///
/// The node-to-node wire is JSON in Foundation's default coding (dates as seconds), so times
/// and scores come back bit for bit and merge exactly as local answers would.
public struct PeerClient: Sendable {
    /// The internal route every query service answers.
    public static let path = "/internal/v1/shards"

    let client: HTTPClient
    let token: String?

    /// Uses the process-wide shared client, which lives as long as the process.
    public init(token: String?) {
        self.client = HTTPClient.shared
        self.token = token
    }

    /// The answers of `partitions` at the node `baseURL`, within `timeout`.
    /// - Throws: ``PeerError`` when the node cannot be reached, answers late or answers an error.
    func ask(_ baseURL: String, _ request: ShardRequest, partitions: Set<Int>, timeout: Duration) async throws(PeerError)
        -> GatheredAnswers
    {
        guard let url = URL(string: baseURL)?.appending(path: Self.path) else {
            throw PeerError(node: baseURL, message: "not a URL")
        }
        var http = HTTPClientRequest(url: url.absoluteString)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        if let token { http.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let status: UInt
        let body: ByteBuffer
        do {
            http.body = .bytes(try JSONEncoder().encode(PeerQuestion(request: request, partitions: partitions.sorted())))
            let response = try await client.execute(http, timeout: TimeAmount(timeout))
            status = response.status.code
            body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        } catch {
            throw PeerError(node: baseURL, message: "\(error)")
        }
        guard status == 200 else {
            throw PeerError(node: baseURL, message: "answered \(status): \(String(buffer: body).prefix(200))")
        }
        do {
            return try JSONDecoder().decode(GatheredAnswers.self, from: Data(body.readableBytesView))
        } catch {
            throw PeerError(node: baseURL, message: "sent an unreadable answer: \(error)")
        }
    }
}

/// Another node did not answer.
public struct PeerError: Error, Sendable, CustomStringConvertible {
    public var node: String
    public var message: String

    public var description: String { "node \(node): \(message)" }
}
