import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Three indexer+query nodes as real processes against the real broker, each with its own
/// folder, beside a reference node that holds every shard. Every node must answer as the
/// reference does; a killed node's partitions must show as missing at once, then move and be
/// rebuilt; a node restarting with older copies must resume them from their stored offsets.
@Suite(.needs(.broker, .processes, .time), .serialized)
struct ClusterTests {
    @Test func threeNodesAnswerAsOneNodeHoldingEveryShardThroughALossAndARestart() async throws {
        let cluster = try await TestCluster()
        defer { cluster.stopAll() }

        // Node c alone indexes the first 3,000 articles: it keeps a copy of every partition.
        try await cluster.startNode("c")
        try await cluster.publish(0..<3_000)
        try await cluster.waitUntilComplete(articles: 3_000, nodes: ["c"])
        try await cluster.startNode("a")
        try await cluster.startNode("b")
        let spread = try await cluster.waitUntilEachNodeServes(["a", "b", "c"], articles: 3_000)
        try await cluster.expectSameAnswersAsTheReference(nodes: ["a", "b", "c"])

        // c dies without a word: its partitions are missing at once, within the peer timeout.
        let lost = try #require(spread["c"])
        let copies = try cluster.shardIdentities("c")
        cluster.kill("c")
        let started = ContinuousClock.now
        let partial = try await cluster.get(SearchPage.self, node: "a", "/v1/search?q=harbour&facets=true")
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(partial.partial == true)
        #expect(partial.missingPartitions == lost.sorted())
        #expect((partial.facets?.total ?? 0) < 3_000)
        // The command line, unchanged, says so too.
        let command = try await CommandRun.run(Pipeline.bin.appendingPathComponent("quotewire"),
                                               ["search", "harbour", "--server", "http://127.0.0.1:\(try #require(cluster.ports["a"]?.query))"])
        #expect(command.status == 0)
        #expect(command.errors.contains("partial answer: partitions \(lost.sorted().map(String.init).joined(separator: ", "))"),
                "\(command.errors)")

        // Its partitions move to a and b and are rebuilt from the topic; new articles arrive meanwhile.
        try await cluster.publish(3_000..<3_300)
        try await cluster.waitUntilComplete(articles: 3_300, nodes: ["a", "b"])

        // c comes back with its older copies: what it gets back resumes from the stored offset.
        try await cluster.startNode("c")
        let after = try await cluster.waitUntilEachNodeServes(["a", "b", "c"], articles: 3_300)
        let resumed = try #require(after["c"])
        #expect(try cluster.shardIdentities("c").filter { resumed.contains($0.key) } == copies.filter { resumed.contains($0.key) },
                "c's shards were kept, not moved aside and rebuilt")
        let consumed = try await cluster.consumedByIndexer("c")
        #expect(consumed < 1_000, "c read \(consumed) records: it resumed from its stored offsets instead of re-reading its partitions")
        #expect(!cluster.log("indexer-c").contains("partition log was reset"))
        try await cluster.expectSameAnswersAsTheReference(nodes: ["a", "b", "c"])
    }
}

/// The processes and topics of one cluster test.
final class TestCluster: @unchecked Sendable {
    static let brokers = Pipeline.brokers
    let suffix = UUID().uuidString.prefix(8).lowercased()
    var parsed: String { "cparsed-\(suffix)" }
    var dlq: String { "cdlq-\(suffix)" }
    var nodesTopic: String { "cnodes-\(suffix)" }
    let folder: URL
    private(set) var ports: [String: (query: Int, ops: Int)] = [:]
    private var processes: [String: Process] = [:]
    private let admin: KafkaAdmin
    private let logger: Logger
    let referencePort = Pipeline.freePort()

    init() async throws {
        var logger = Logger(label: "cluster-tests")
        logger.logLevel = .warning
        self.logger = logger
        admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: Self.brokers), logger: logger)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-cluster-\(suffix)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await admin.createTopics([parsed, dlq].map { TopicSpecification(name: $0, partitions: 3) })
        // The reference: one indexer in a group of its own and one query service, every shard in one folder.
        let index = folder.appendingPathComponent("reference").path
        try launch("indexer-reference", ["--brokers", Self.brokers, "--log-level", "warning", "--index", index,
                                         "--topic", parsed, "--dead-letter-topic", dlq, "--group", "cref-\(suffix)",
                                         "--port", "0"])
        try launch("query-reference", ["--index", index, "--port", String(referencePort), "--web-port", "0", "--log-level", "warning"])
    }

    /// Starts node `name`'s indexer and query service on its own folder (kept across restarts).
    func startNode(_ name: String) async throws {
        let port = ports[name] ?? (Pipeline.freePort(), Pipeline.freePort())
        ports[name] = port
        let index = folder.appendingPathComponent("node-\(name)").path
        let node = ["--node-id", name, "--nodes-topic", nodesTopic]
        // A session of 20 s: a killed node's partitions stay missing that long before the group
        // moves them, long enough to look at the partial answers on a slow machine.
        try launch("indexer-\(name)", ["--brokers", Self.brokers, "--log-level", "info", "--index", index, "--topic", parsed,
                                       "--dead-letter-topic", dlq, "--group", "cnodes-\(suffix)", "--port", String(port.ops),
                                       "--advertise-url", "http://127.0.0.1:\(port.query)",
                                       "--kafka", "session.timeout.ms=20000", "--kafka", "max.poll.interval.ms=30000"] + node)
        try launch("query-\(name)", ["--brokers", Self.brokers, "--log-level", "warning", "--index", index,
                                     "--port", String(port.query), "--web-port", "0", "--peer-timeout-milliseconds", "1000"] + node)
    }

    private func launch(_ name: String, _ arguments: [String]) throws {
        let executable = name.hasPrefix("indexer") ? "quotewire-indexer" : "quotewire-query"
        processes[name] = try Pipeline.launch(executable, arguments, log: folder.appendingPathComponent("\(name).log"),
                                              appending: true)
    }

    /// SIGKILLs node `name`'s two processes.
    func kill(_ name: String) {
        for role in ["indexer", "query"] {
            guard let process = processes["\(role)-\(name)"] else { continue }
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func stopAll() {
        for process in processes.values where process.isRunning { process.terminate() }
        for process in processes.values { process.waitUntilExit() }
        let (admin, topics) = (admin, [parsed, dlq, nodesTopic])
        Task { try? await admin.deleteTopics(topics) }
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
    }

    /// Publishes the generated articles `range` to the parsed topic.
    func publish(_ range: Range<Int>) async throws {
        let producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: Self.brokers), logger: logger)
        let encoder = WireCoding.encoder()
        let messages = try range.map { n in
            let article = ClusterCorpus.article(n)
            return OutgoingMessage(topic: parsed, key: article.articleId, value: try encoder.encode(article))
        }
        for result in await producer.send(messages) { _ = try result.get() }
        await producer.close(timeout: .seconds(10))
    }

    /// An answer of node `name` (or the reference), decoded.
    func get<T: Decodable>(_ type: T.Type, node name: String, _ path: String) async throws -> T {
        let port = name == "reference" ? referencePort : try #require(ports[name]?.query)
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
                                                           timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else {
            throw Pipeline.PipelineError(description: "\(name) \(path) answered \(response.status): \(String(buffer: body))")
        }
        return try WireCoding.decoder().decode(T.self, from: Data(body.readableBytesView))
    }

    /// How many articles `name` answers for, or nil while its answer is partial or it is down.
    func completeTotal(_ name: String) async -> Int? {
        guard let page = try? await get(SearchPage.self, node: name, "/v1/search?q=type:article&facets=true&limit=1"),
              page.partial == nil else { return nil }
        return page.facets?.total
    }

    /// Waits until the reference and each of `nodes` answer for exactly `articles` articles, completely.
    func waitUntilComplete(articles: Int, nodes: [String], within limit: Duration = .seconds(180)) async throws {
        let deadline = ContinuousClock.now + limit
        var seen: [String: Int?] = [:]
        while ContinuousClock.now < deadline {
            for name in ["reference"] + nodes { seen[name] = await completeTotal(name) }
            if seen.values.allSatisfy({ $0 == articles }) { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw Pipeline.PipelineError(description: "not every node answered for \(articles) articles: \(seen); logs in \(folder.path)")
    }

    /// Waits until each of `nodes` serves at least one partition and all answer completely for
    /// `articles`; returns the partitions each serves.
    func waitUntilEachNodeServes(_ nodes: [String], articles: Int, within limit: Duration = .seconds(180)) async throws
        -> [String: Set<Int>]
    {
        let deadline = ContinuousClock.now + limit
        var serving: [String: Set<Int>] = [:]
        while ContinuousClock.now < deadline {
            for name in nodes { serving[name] = await servedPartitions(name) }
            if nodes.allSatisfy({ !(serving[$0] ?? []).isEmpty }), Set(serving.values.flatMap { $0 }).count == 3 {
                try await waitUntilComplete(articles: articles, nodes: nodes, within: deadline - ContinuousClock.now)
                return serving
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw Pipeline.PipelineError(description: "the nodes did not each serve a partition: \(serving); logs in \(folder.path)")
    }

    private func servedPartitions(_ name: String) async -> Set<Int> {
        struct Ready: Decodable { var serving: [Int]? }
        guard let port = ports[name]?.query,
              let response = try? await HTTPClient.shared.execute(
                  HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(5)),
              let body = try? await response.body.collect(upTo: 1 << 20),
              let ready = try? JSONDecoder().decode(Ready.self, from: Data(body.readableBytesView))
        else { return [] }
        return Set(ready.serving ?? [])
    }

    /// The inode of each shard file in node `name`'s folder, by partition: a shard moved aside
    /// and rebuilt is a new file.
    func shardIdentities(_ name: String) throws -> [Int: UInt64] {
        let files = try IndexFolder(url: folder.appendingPathComponent("node-\(name)")).shardFiles()
        var identities: [Int: UInt64] = [:]
        for (partition, url) in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            identities[partition] = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        }
        return identities
    }

    /// The records node `name`'s indexer consumed since it started (its `/metrics`).
    func consumedByIndexer(_ name: String) async throws -> Int {
        let port = try #require(ports[name]?.ops)
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
                                                           timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
        var total = 0.0
        for line in text.split(separator: "\n") where line.hasPrefix("quotewire_messages_consumed_total") {
            total += Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return Int(total)
    }

    /// Every node's answers to searches (both orders, two pages, facets), quotation lists
    /// (paged), speakers, tickers and article look-ups equal the reference's.
    func expectSameAnswersAsTheReference(nodes: [String]) async throws {
        var paths = ["/v1/speakers?limit=1000", "/v1/quotations?limit=200"]
        for word in ClusterCorpus.queries {
            for sort in ["relevance", "newest", "oldest"] {
                paths.append("/v1/search?q=\(word)&sort=\(sort)&facets=true&limit=50")
            }
        }
        for symbol in ClusterCorpus.symbols { paths.append("/v1/tickers/\(symbol)?limit=300") }
        for speaker in ClusterCorpus.speakers.prefix(3) {
            paths.append("/v1/quotations?speaker=\(speaker.split(separator: " ").last ?? "")&limit=100")
        }
        for name in nodes {
            for path in paths {
                let expected = try await getJSON(node: "reference", path)
                #expect(try await getJSON(node: name, path) == expected, "\(name) \(path)")
            }
            // Paging by cursor across nodes: the second pages agree too.
            let first = try await get(SearchPage.self, node: name, "/v1/search?q=harbour&limit=20")
            let reference = try await get(SearchPage.self, node: "reference", "/v1/search?q=harbour&limit=20")
            #expect(first.nextCursor == reference.nextCursor)
            if let cursor = first.nextCursor {
                let path = "/v1/search?q=harbour&limit=20&cursor=\(cursor)"
                #expect(try await getJSON(node: name, path) == (try await getJSON(node: "reference", path)))
            }
            var cursor: String?
            repeat {
                let path = "/v1/quotations?speaker=holt&limit=150" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await get(QuotationList.self, node: name, path)
                #expect(page == (try await get(QuotationList.self, node: "reference", path)), "\(name) \(path)")
                cursor = page.nextCursor
            } while cursor != nil
            for n in stride(from: 7, to: 3_000, by: 97) {
                let path = "/v1/articles/\(ClusterCorpus.id(n))"
                var mine = try await get(StoredArticle.self, node: name, path)
                let theirs = try await get(StoredArticle.self, node: "reference", path)
                mine.seenAt = theirs.seenAt  // when each indexer stored it
                #expect(mine == theirs, "\(name) \(path)")
            }
        }
    }

    /// The JSON of an answer as a comparable value.
    private func getJSON(node name: String, _ path: String) async throws -> NSDictionary {
        let port = name == "reference" ? referencePort : try #require(ports[name]?.query)
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
                                                           timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        #expect(response.status == .ok, "\(name) \(path)")
        return try #require(JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? NSDictionary)
    }
}

/// Generated articles for the cluster test: varied words, a few speakers quoted across every
/// partition, market quotes of a few symbols, distinct publication times.
enum ClusterCorpus {
    static let speakers = ["Mira Holt", "Jonas Berg", "Ada Okafor", "Luis Marin", "Petra Novak", "Sam Reyes"]
    static let symbols = ["HRB", "QWX", "ZEN"]
    static let queries = ["harbour", "tariff", "grain", "ferry%20OR%20bridge", "%22cargo%20ships%22", "port*"]
    private static let words = ["harbour", "tariff", "grain", "ferry", "bridge", "cargo", "ships", "council", "port",
                                "storm", "quota", "pilot", "dock", "crane", "river", "market"]

    static func id(_ n: Int) -> String { String(format: "cluster-%05d", n) }

    static func article(_ n: Int) -> ParsedArticle {
        var state = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 | 1
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let sentence = (0..<(8 + next(20))).map { _ in words[next(words.count)] }.joined(separator: " ")
        let speaker = speakers[next(speakers.count)]
        let quote = "The \(words[next(words.count)]) and the \(words[next(words.count)]) will hold,"
        return ParsedArticle(
            articleId: id(n), source: ["Harbour Post", "Grain Daily", "River Times"][n % 3],
            headline: "\(words[next(words.count)].capitalized) report \(n)",
            publishedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(n) * 37),
            receivedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(n) * 37 + 5),
            paragraphs: [sentence, "\"\(quote)\" said \(speaker)."],
            quotations: [Quotation(text: quote, speaker: speaker, speakerMention: speaker, speakerRole: nil, cue: "said",
                                   kind: .direct, start: 0, end: quote.count)],
            marketQuotes: n % 4 == 0
                ? [MarketQuote(symbol: symbols[n % 3], changePercent: Double(next(200)) / 100, price: Double(100 + next(50)),
                               currency: "USD", exchange: nil)]
                : [])
    }
}
