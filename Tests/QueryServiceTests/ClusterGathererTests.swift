import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
@testable import QueryService
import QuotewireIndex
import QuotewireModels
import ServiceLifecycle
import Testing

/// Query services as nodes over real HTTP: node A holds shard 0, node B shards 1 and 2, a
/// third service holds all three. The directory is filled by hand (the indexers' part is
/// tested with real processes in ClusterTests).
@Suite struct ClusterGathererTests {
    @Test func eachNodeAnswersAsTheServiceHoldingEveryShard() async throws {
        // A peer timeout no busy test machine reaches: nothing may be missing here.
        let nodes = try await TwoNodes(peerTimeout: .seconds(8))
        defer { nodes.stop() }
        nodes.advertise(a: [0], b: [1, 2])
        for path in ["/v1/search?q=talks&facets=true", "/v1/search?q=rio&sort=newest", "/v1/speakers",
                     "/v1/quotations?speaker=rutte", "/v1/tickers/RIO", "/v1/articles/a1", "/v1/articles/a2"] {
            let whole = try await nodes.get(path, port: nodes.wholePort)
            #expect(try await nodes.get(path, port: nodes.portA) == whole, "A \(path)")
            #expect(try await nodes.get(path, port: nodes.portB) == whole, "B \(path)")
        }
        // One speaker quoted in two shards held by two nodes is one entry with both quotations.
        let speakers = try await nodes.decode(SpeakerList.self, "/v1/speakers", port: nodes.portA)
        #expect(speakers.speakers.first { $0.name == "Mark Rutte" }?.quotations == 2)
        #expect(speakers.partial == nil)
    }

    @Test func aSilentOrDeadNodeMakesThePartialAnswerSaySoWithinThePeerTimeout() async throws {
        let nodes = try await TwoNodes(peerTimeout: .seconds(1))
        defer { nodes.stop() }
        // B's advertisement lapsed: nobody serves 1 and 2.
        nodes.advertise(a: [0], b: [1, 2], bAge: 600)
        let lapsed = try await nodes.decode(SearchPage.self, "/v1/search?q=talks", port: nodes.portA)
        #expect(lapsed.partial == true && lapsed.missingPartitions == [1, 2])
        #expect(lapsed.results.map(\.articleId) == ["a0"])

        // B is advertised at an address where nothing answers: missing after the peer timeout
        // (1 s), well before the query deadline (10 s) would turn the whole answer into a 503.
        nodes.advertise(a: [0], b: [1, 2], bURL: "http://127.0.0.1:9")
        let started = ContinuousClock.now
        let dead = try await nodes.decode(QuotationList.self, "/v1/quotations?speaker=rutte", port: nodes.portA)
        #expect(ContinuousClock.now - started < .seconds(8))
        #expect(dead.partial == true && dead.missingPartitions == [1, 2])
        #expect(dead.quotations.map(\.articleId) == ["a0"])

        // An article no answering shard holds is unavailable, not unknown, while partitions are missing.
        let status = try await nodes.status("/v1/articles/a1", port: nodes.portA)
        #expect(status == 503)
        #expect(try await nodes.status("/v1/articles/a0", port: nodes.portA) == 200)
    }

    @Test func aPeerAnswersOnlyForThePartitionsItsNodeServes() async throws {
        let nodes = try await TwoNodes(peerTimeout: .seconds(8))
        defer { nodes.stop() }
        // Partition 2 moved to A (which has no shard for it yet): B no longer answers for it.
        nodes.advertise(a: [0], b: [1], aCatchingUp: [2])
        let page = try await nodes.decode(SearchPage.self, "/v1/search?q=talks", port: nodes.portB)
        #expect(page.missingPartitions == [2])
        let body = try JSONEncoder().encode(PeerQuestion(request: .speakers, partitions: [1, 2]))
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(nodes.portB)\(PeerClient.path)")
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let answers = try JSONDecoder().decode(
            GatheredAnswers.self, from: Data(try await response.body.collect(upTo: 1 << 20).readableBytesView))
        #expect(answers.answers.map(\.partition) == [1])
        #expect(answers.missing == [2])
    }

    @Test func aPeerRefusesMalformedAndOversizedQuestions() async throws {
        let nodes = try await TwoNodes(peerTimeout: .seconds(8))
        defer { nodes.stop() }
        nodes.advertise(a: [0], b: [1, 2])
        func post(_ body: Data) async throws -> UInt {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(nodes.portB)\(PeerClient.path)")
            request.method = .POST
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            _ = try await response.body.collect(upTo: 1 << 20)
            return response.status.code
        }
        #expect(try await post(Data("not json".utf8)) == 400)
        #expect(try await post(Data(#"{"request":{"nonsense":{}},"partitions":[1]}"#.utf8)) == 400)
        let huge = PeerQuestion(request: .search(query: "talks", sort: .relevance, window: 1_000_000, ranking: nil), partitions: [1])
        #expect(try await post(try JSONEncoder().encode(huge)) == 400)
        let bad = PeerQuestion(request: .search(query: "talks (", sort: .relevance, window: 10, ranking: nil), partitions: [1])
        #expect(try await post(try JSONEncoder().encode(bad)) == 400)
        // GET is not a method of that route.
        #expect(try await nodes.status(PeerClient.path, port: nodes.portB) == 405)
    }

    @Test func routesTakeTheNewestClaimAndIgnoreLapsedAdvertisements() {
        let now = Date()
        func ad(_ node: String, _ serving: [Int], age: Double, validFor: Double = 8) -> NodeAdvertisement {
            NodeAdvertisement(node: node, queryURL: "http://\(node)", topic: "t", partitionCount: 4, serving: serving,
                              catchingUp: [], advertisedAt: now.addingTimeInterval(-age), validFor: validFor)
        }
        let routes = PartitionRoutes(advertisements: [ad("a", [0, 1], age: 3), ad("b", [1, 2], age: 1), ad("c", [3], age: 20)],
                                     localNode: "a", at: now)
        #expect(routes.partitionCount == 4)
        #expect(routes.local == [0])
        #expect(routes.remote == ["http://b": [1, 2]])
        #expect(routes.unserved == [3])
        #expect(PartitionRoutes(advertisements: [], localNode: "a", at: now).partitionCount == 0)
        // A partition nobody serves is answered where it lingers (given up in a rebalance), the
        // newest such claim first; a serving claim beats a lingering one.
        var lingeringA = ad("a", [0], age: 1)
        lingeringA.lingering = [2, 3]
        var lingeringB = ad("b", [2], age: 2)
        lingeringB.lingering = [1, 3]
        let during = PartitionRoutes(advertisements: [lingeringA, lingeringB], localNode: "a", at: now)
        #expect(during.local == [0, 3])
        #expect(during.remote == ["http://b": [1, 2]])
        #expect(during.unserved.isEmpty)
    }
}

/// Three query services on free ports: node A (shard 0), node B (shards 1, 2) and one over
/// every shard, all copies of one seeded index.
final class TwoNodes: @unchecked Sendable {
    let seeded: SeededIndex
    let directoryA: NodeDirectory
    let directoryB: NodeDirectory
    private(set) var portA = 0
    private(set) var portB = 0
    private(set) var wholePort = 0
    private var servers: [Task<Void, any Error>] = []
    private var groups: [ServiceGroup] = []

    init(peerTimeout: Duration) async throws {
        seeded = try await SeededIndex()
        var logger = Logger(label: "cluster-query-tests")
        logger.logLevel = .critical
        let files = try seeded.folder.shardFiles()
        func folder(_ name: String, _ partitions: [Int]) throws -> String {
            let url = seeded.root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for partition in partitions {
                let file = try #require(files[partition])
                try FileManager.default.copyItem(at: file, to: url.appendingPathComponent(file.lastPathComponent))
            }
            return url.path
        }
        var clusterA = ClusterConfiguration(nodeID: "a", brokers: "127.0.0.1:1")
        clusterA.peerTimeout = peerTimeout
        var clusterB = clusterA
        clusterB.nodeID = "b"
        directoryA = NodeDirectory(configuration: clusterA, logger: logger)
        directoryB = NodeDirectory(configuration: clusterB, logger: logger)
        portA = try await start(folder("node-a", [0]), directory: directoryA, logger: logger)
        portB = try await start(folder("node-b", [1, 2]), directory: directoryB, logger: logger)
        wholePort = try await start(seeded.folder.url.path, directory: nil, logger: logger)
    }

    private func start(_ index: String, directory: NodeDirectory?, logger: Logger) async throws -> Int {
        var configuration = QueryServiceConfiguration()
        configuration.indexPath = index
        configuration.port = 0
        configuration.refreshInterval = .zero
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try QueryApplication.make(configuration: configuration, logger: logger, directory: directory,
                                            onServerRunning: { continuation.yield($0 ?? 0) })
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        groups.append(group)
        servers.append(Task { try await group.run() })
        var iterator = ports.makeAsyncIterator()
        return try #require(await iterator.next())
    }

    /// Fills both directories as the indexers of A and B would.
    func advertise(a: [Int], b: [Int], aCatchingUp: [Int] = [], bAge: Double = 0, bURL: String? = nil) {
        let now = Date()
        let adA = NodeAdvertisement(node: "a", queryURL: "http://127.0.0.1:\(portA)", topic: Topics.quotesParsed,
                                    partitionCount: 3, serving: a, catchingUp: aCatchingUp, advertisedAt: now, validFor: 300)
        let adB = NodeAdvertisement(node: "b", queryURL: bURL ?? "http://127.0.0.1:\(portB)", topic: Topics.quotesParsed,
                                    partitionCount: 3, serving: b, catchingUp: [],
                                    advertisedAt: now.addingTimeInterval(-bAge), validFor: 300)
        for directory in [directoryA, directoryB] {
            directory.remember(node: "a", adA)
            directory.remember(node: "b", adB)
        }
    }

    func status(_ path: String, port: Int) async throws -> UInt {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
                                                           timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status.code
    }

    func get(_ path: String, port: Int) async throws -> NSDictionary {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
                                                           timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        #expect(response.status == .ok, "\(path) on \(port)")
        return try #require(JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? NSDictionary)
    }

    func decode<T: Decodable>(_ type: T.Type, _ path: String, port: Int) async throws -> T {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
                                                           timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try WireCoding.decoder().decode(T.self, from: Data(body.readableBytesView))
    }

    func stop() {
        for group in groups { Task { await group.triggerGracefulShutdown() } }
    }
}
