import ChildProcesses
import Foundation
import QuotewireTestSupport
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Logging
import QuotewireIndex
import QuotewireKafka
import Testing

/// The whole pipeline as separate processes against the real broker: ingest, parser,
/// indexer and query service, on topics and an index folder of its own.
final class Pipeline {
    static let brokers = ProcessInfo.processInfo.environment["QUOTEWIRE_TEST_BROKERS"] ?? "127.0.0.1:9092"
    /// The built executables sit beside the test binary.
    static let bin = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()

    let suffix = UUID().uuidString.prefix(8).lowercased()
    var raw: String { "raw-\(suffix)" }
    var parsed: String { "parsed-\(suffix)" }
    var dlq: String { "dlq-\(suffix)" }
    let folder: URL
    let token = "e2e-\(UUID().uuidString)"
    let ingestPort = Pipeline.freePort()
    let queryPort = Pipeline.freePort()
    let parserPort = Pipeline.freePort()
    private var processes: [Process] = []
    private let admin: KafkaAdmin

    init() async throws {
        var logger = Logger(label: "e2e")
        logger.logLevel = .warning
        admin = try KafkaAdmin(configuration: AdminConfiguration(brokers: Self.brokers), logger: logger)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-e2e-\(suffix)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await admin.createTopics([raw, parsed, dlq].map { TopicSpecification(name: $0, partitions: 3) })
        let index = folder.appendingPathComponent("index").path
        let common = ["--brokers", Self.brokers, "--log-level", "warning"]
        try launch("quotewire-parser", common + ["--input-topic", raw, "--output-topic", parsed, "--dead-letter-topic", dlq,
                                                 "--group", "parser-\(suffix)", "--port", String(parserPort)])
        try launch("quotewire-indexer", common + ["--index", index, "--topic", parsed, "--dead-letter-topic", dlq,
                                                  "--group", "indexer-\(suffix)", "--port", "0"])
        try launch("quotewire-query", ["--index", index, "--port", String(queryPort), "--web-port", "0"])
        try launch("quotewire-ingest", common + ["--topic", raw, "--token", token, "--port", String(ingestPort)])
        try await waitForHealth(port: ingestPort)
        try await waitForHealth(port: queryPort)
    }

    /// Stops every process with SIGTERM and deletes the topics.
    func stop() async throws -> [Int32] {
        for process in processes where process.isRunning { process.terminate() }
        var statuses: [Int32] = []
        for process in processes {
            process.waitUntilExit()
            statuses.append(process.terminationStatus)
        }
        try await admin.deleteTopics([raw, parsed, dlq])
        return statuses
    }

    var indexPath: String { folder.appendingPathComponent("index").path }
    var server: String { "http://127.0.0.1:\(queryPort)" }

    private func launch(_ name: String, _ arguments: [String]) throws {
        processes.append(try Self.launch(name, arguments, log: folder.appendingPathComponent("\(name).log")))
    }

    /// Starts an executable of the test build with its output in `log` (after what it holds
    /// with `appending`), in this process's environment or the one given.
    static func launch(
        _ name: String, _ arguments: [String], environment: [String: String]? = nil, log: URL, appending: Bool = false
    ) throws -> Process {
        let process = Process()
        process.executableURL = bin.appendingPathComponent(name)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if !appending || !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.runTiedToThisProcess()
        return process
    }

    /// Runs the `quotewire` command and returns its status, standard output and standard error.
    func run(_ arguments: [String], standardInput: URL? = nil) async throws -> (status: Int32, output: String, errors: String) {
        let outcome = try await CommandRun.run(Self.bin.appendingPathComponent("quotewire"), arguments, standardInput: standardInput)
        return (outcome.status, outcome.output, outcome.errors)
    }

    /// Posts an article to the ingest service and returns the HTTP status and body.
    func ingest(_ body: Data, contentType: String) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(ingestPort)/v1/articles")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }

    /// The ids of the articles in the index, read from the shard files.
    func indexedCount() async -> Int {
        (try? await IndexReader(folder: IndexFolder(path: indexPath)).counts().articles) ?? 0
    }

    func waitForIndexed(_ count: Int, within limit: Duration = .seconds(120)) async -> Int {
        let deadline = ContinuousClock.now + limit
        var seen = 0
        while ContinuousClock.now < deadline {
            seen = await indexedCount()
            if seen >= count { return seen }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return seen
    }

    /// Waits until nothing more will change in the index or on the dead-letter topic: the parser
    /// has handled every record now on the raw topic (its `/metrics` count each one published
    /// or dead-lettered), and the indexer has then indexed the parsed topic to its end (the
    /// offsets its shards store), second copies included. Throws when that does not happen in time.
    func waitUntilSettled(within limit: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + limit
        let records = try await TopicProgress.count(of: raw, brokers: Self.brokers)
        var handled: Int64 = -1
        while handled < records {
            handled = await parserHandled()
            guard ContinuousClock.now < deadline else {
                throw PipelineError(description: "the parser handled \(handled) of the \(records) raw records; logs in \(folder.path)")
            }
            if handled < records { try await Task.sleep(for: .milliseconds(100)) }
        }
        try await TopicProgress.waitUntilIndexedToTheEnd(of: parsed, brokers: Self.brokers, indexPath: indexPath,
                                                         within: deadline - ContinuousClock.now)
    }

    /// The raw records the parser has published a parsed article for or dead-lettered (-1: its
    /// `/metrics` did not answer).
    func parserHandled() async -> Int64 {
        guard let response = try? await HTTPClient.shared.execute(
                  HTTPClientRequest(url: "http://127.0.0.1:\(parserPort)/metrics"), timeout: .seconds(5)),
              let body = try? await response.body.collect(upTo: 4 << 20)
        else { return -1 }
        let text = String(buffer: body)
        func counter(_ name: String, topic: String) -> Int64 {
            let prefix = "\(name){topic=\"\(topic)\"} "
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return 0 }
            return Int64(Double(line.dropFirst(prefix.count)) ?? 0)
        }
        return counter("quotewire_messages_produced_total", topic: parsed) + counter("quotewire_messages_dead_lettered_total", topic: raw)
    }

    private func waitForHealth(port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw PipelineError(description: "nothing answered on port \(port); logs in \(folder.path)")
    }

    /// A port that is free now, from below the kernel's ephemeral range (32768 and up here).
    ///
    /// A port the kernel picked for a `bind` to port 0 comes from that range, and so does what a
    /// service started with `--port 0` gets: a port taken from it and released again could be
    /// handed to such a service (an ops server, a private broker) before ours binds it, and a
    /// health check would then be answered by the wrong process. So the ports are drawn at random
    /// from below the range and each is checked by binding it.
    static func freePort() -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<32_768)
            if canBind(port) { return port }
        }
        return 0
    }

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    struct PipelineError: Error, CustomStringConvertible {
        let description: String
    }
}
