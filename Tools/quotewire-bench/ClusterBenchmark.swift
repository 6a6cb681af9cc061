import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import ServiceSupport

/// `quotewire-bench cluster`: query latency through one node of three against one node
/// holding every shard, on the same index in the same run.
///
/// One index is built (3 shards), then laid out twice: whole in one folder served by a
/// single-node query service, and one shard per folder for three query services run as
/// nodes. The benchmark advertises the three nodes on a nodes topic of its own (as their
/// indexers would), waits until a node sees all three, then times the same searches
/// through node 0 (which asks the other two) and through the single node, alternating.
struct ClusterBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Search latency through one of three query nodes vs one node holding every shard (goal p99 <= 1.5x).")

    @Option(help: "Kafka bootstrap brokers (the node directory topic is created and deleted there).")
    var brokers: String = Setting.brokers

    @Option(help: "The corpus file (generated with make_corpus.py when missing).")
    var corpus: String = "/tmp/quotewire-bench/corpus.jsonl"

    @Option(help: "Where the index folders are built.")
    var work: String = "/tmp/quotewire-bench/cluster"

    @Option(help: "How many times the corpus is repeated (with new ids) into the index.")
    var repeats: Int = 5

    @Option(help: "Queries to time on each side.")
    var queries: Int = 400

    @Option(help: "Results per query.")
    var limit: Int = 20

    @Option(help: "Random seed for the queries.")
    var seed: UInt64 = 42

    func validate() throws {
        guard queries > 0, repeats > 0, (1...100).contains(limit) else { throw ValidationError("bad counts") }
    }

    func run() async throws {
        let supervisor = ChildSupervisor()
        supervisor.installSignalHandlers()
        defer { supervisor.killAll() }
        var logger = Logger(label: "quotewire-bench")
        logger.logLevel = .warning

        let lines = try SearchWorkload.corpus(corpus)
        let whole = IndexFolder(path: work + "/whole")
        try FileManager.default.createDirectory(at: whole.url, withIntermediateDirectories: true)
        try await SearchWorkload.buildIfNeeded(whole, lines, repeats: repeats)
        let files = try whole.shardFiles()
        guard files.count == 3 else { throw BenchError("expected 3 shards in \(whole.url.path), found \(files.count)") }
        // Node i holds shard i only: a copy of the very same file.
        for (partition, file) in files {
            let node = URL(fileURLWithPath: work + "/node-\(partition)")
            try? FileManager.default.removeItem(at: node)
            try FileManager.default.createDirectory(at: node, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: file, to: node.appendingPathComponent(file.lastPathComponent))
        }

        let topic = "bench-nodes-\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: brokers), logger: logger)
        try await admin.createTopics([TopicSetup.nodes(topic)])
        defer { Task { [admin] in try? await admin.deleteTopics([topic]) } }

        let binaries = ServiceBinaries.folder()
        let ports = try (0..<4).map { _ in try ServicePorts.free() }
        let client = HTTPClient.shared
        func spawn(_ name: String, _ arguments: [String]) throws -> ChildProcess {
            let child = try ChildProcess.spawn(
                name: name, executable: binaries + "/quotewire-query", arguments: arguments + ["--web-port", "off", "--log-level", "warning"],
                environment: ProcessInfo.processInfo.environment, logPath: work + "/\(name).log")
            supervisor.adopt(child)
            return child
        }
        let single = try spawn("query-whole", ["--index", whole.url.path, "--port", String(ports[3])])
        var nodes: [ChildProcess] = []
        for node in 0..<3 {
            nodes.append(try spawn("query-node-\(node)", [
                "--index", work + "/node-\(node)", "--port", String(ports[node]), "--node-id", "node-\(node)",
                "--brokers", brokers, "--nodes-topic", topic,
            ]))
        }
        // The advertisements the nodes' indexers would send.
        let producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: brokers), logger: logger)
        let advertising = Task {
            while !Task.isCancelled {
                let messages = try (0..<3).map { node in
                    OutgoingMessage(topic: topic, key: "node-\(node)", value: try WireCoding.encoder().encode(NodeAdvertisement(
                        node: "node-\(node)", queryURL: "http://127.0.0.1:\(ports[node])", topic: Topics.quotesParsed,
                        partitionCount: 3, serving: [node], catchingUp: [], advertisedAt: Date(), validFor: 30)))
                }
                for result in await producer.send(messages) { _ = try result.get() }
                try await Task.sleep(for: .seconds(2))
            }
        }
        defer { advertising.cancel() }
        try await waitUntilReady(single, url: "http://127.0.0.1:\(ports[3])/readyz", client: client)
        try await waitUntilReady(nodes[0], url: "http://127.0.0.1:\(ports[0])/readyz", client: client)
        try await waitUntilWhole(client, port: ports[0])

        let texts = SearchWorkload.queries(lines, count: queries, seed: seed)
        var nodeTimes: [Duration] = []
        var singleTimes: [Duration] = []
        for text in texts.prefix(30) {  // warm both, untimed
            _ = try await SearchWorkload.search(client, port: ports[0], text, limit: limit)
            _ = try await SearchWorkload.search(client, port: ports[3], text, limit: limit)
        }
        var mismatches = 0
        for (index, text) in texts.enumerated() {
            var viaNode = SearchPage(results: [], nextCursor: nil)
            var viaSingle = viaNode
            let timeNode = { () async throws -> Duration in
                let start = ContinuousClock.now
                viaNode = try await SearchWorkload.search(client, port: ports[0], text, limit: limit)
                return ContinuousClock.now - start
            }
            let timeSingle = { () async throws -> Duration in
                let start = ContinuousClock.now
                viaSingle = try await SearchWorkload.search(client, port: ports[3], text, limit: limit)
                return ContinuousClock.now - start
            }
            // Alternate the order so drift hurts neither side.
            if index % 2 == 0 {
                nodeTimes.append(try await timeNode())
                singleTimes.append(try await timeSingle())
            } else {
                singleTimes.append(try await timeSingle())
                nodeTimes.append(try await timeNode())
            }
            if viaNode != viaSingle { mismatches += 1 }
        }
        let node = LatencyStats(nodeTimes)
        let whole1 = LatencyStats(singleTimes)
        print("index: \(lines.count * repeats) articles in 3 shards; \(queries) random 1-2 word searches, limit \(limit)")
        print("one node holding all 3 shards: p50 \(format(whole1.percentile(50), 2)) ms, p99 \(format(whole1.percentile(99), 2)) ms")
        print("node 0 of 3 (1 shard local, 2 asked over HTTP): p50 \(format(node.percentile(50), 2)) ms, p99 \(format(node.percentile(99), 2)) ms")
        print("ratio 3 nodes / 1 node: p50 \(format(node.percentile(50) / whole1.percentile(50), 2))x, p99 \(format(node.percentile(99) / whole1.percentile(99), 2))x (goal p99 <= 1.5x)")
        print("answers that differed between the two: \(mismatches) of \(texts.count)")
        await producer.close(timeout: .seconds(5))
    }

    /// Waits until node 0 answers for every partition.
    private func waitUntilWhole(_ client: HTTPClient, port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let page = try? await SearchWorkload.search(client, port: port, "the", limit: limit), page.partial == nil {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchError("node 0 did not see the other nodes within 60 s; logs in \(work)")
    }
}
