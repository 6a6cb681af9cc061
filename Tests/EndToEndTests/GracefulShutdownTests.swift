import ChildProcesses
import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels
import QuotewireTestNeeds
import QuotewireTestSupport
import Synchronization
import Testing

/// Graceful shutdown under load: the real `quotewire-parser` and `quotewire-indexer`
/// processes get SIGTERM while a few thousand articles stream through them. Each must stop
/// taking work, finish what it holds, flush, commit and exit 0 within its drain bound; after
/// restarts the index holds exactly the published articles, none twice, and `quotes.parsed`
/// carries every one of them.
@Suite(.needs(.broker, .processes, .time), .serialized, .timeLimit(.minutes(6))) struct GracefulShutdownTests {
    /// `--drain-seconds` given to both stages.
    static let drainSeconds = 5
    /// How long a stage may take from SIGTERM to exit: the drain bound plus the time to
    /// finish the batch in hand and leave the group.
    static let exitBound: Duration = .seconds(drainSeconds + 5)
    /// How long a stage runs before it is stopped: time to join the group and take work.
    static let settleTime: Duration = .seconds(5)

    @Test func sigtermMidStreamLosesAndDuplicatesNothing() async throws {
        let stream = try await ShutdownStream()
        let total = 3_000
        let articles = (0..<total).map(ShutdownStream.article)
        let publisher = Task {
            for chunk in stride(from: 0, to: total, by: 50) {
                try await stream.publish(Array(articles[chunk..<min(total, chunk + 50)]))
                try await Task.sleep(for: .milliseconds(250))
            }
        }

        // SIGTERM the parser, then the indexer, twice each, at set points of the stream and
        // only once the stage has had time to join its group and take work.
        var exits: [StageExit] = []
        var processes: [ShutdownStream.Stage: Process] = [.parser: try stream.launch(.parser), .indexer: try stream.launch(.indexer)]
        var launched: [ShutdownStream.Stage: ContinuousClock.Instant] = [.parser: .now, .indexer: .now]
        let plan: [(ShutdownStream.Stage, Double)] = [(.parser, 0.2), (.indexer, 0.3), (.parser, 0.5), (.indexer, 0.6)]
        for (stage, share) in plan {
            guard let process = processes[stage], let since = launched[stage] else { continue }
            while stream.published < Int(Double(total) * share) || ContinuousClock.now - since < Self.settleTime {
                try await Task.sleep(for: .milliseconds(20))
            }
            var exit = await stream.terminate(process, stage: stage)
            exit.publishedAtSignal = stream.published
            exits.append(exit)
            processes[stage] = try stream.launch(stage)
            launched[stage] = .now
        }
        try await publisher.value

        let indexed = await stream.waitForIndexed(total, within: .seconds(120))
        exits += try await stream.stopOnceIndexed(processes)

        #expect(exits.count == plan.count + 2)
        for exit in exits {
            #expect(exit.status == 0 && exit.reason == .exit,
                    "\(exit.stage) ended with \(exit.reason == .exit ? "status" : "signal") \(exit.status); logs in \(stream.folder.path)")
            #expect(exit.elapsed <= Self.exitBound, "\(exit.stage) took \(exit.elapsed) to stop (bound \(Self.exitBound))")
        }
        for exit in exits.prefix(plan.count) {
            #expect(exit.publishedAtSignal < total, "\(exit.stage) was stopped mid-stream (\(exit.publishedAtSignal) of \(total) published)")
        }

        let ids = Set(articles.map(\.articleId))
        #expect(indexed == total, "the index holds \(indexed) articles, published \(total); logs in \(stream.folder.path)")
        let missing = await stream.missingFromIndex(ids)
        #expect(missing.isEmpty, "\(missing.count) published articles are not indexed, e.g. \(missing.prefix(3))")
        let problems = try IndexCensus.problems(indexPath: stream.indexPath, published: ShutdownStream.published(articles))
        #expect(problems.isEmpty, "each published article once, its quotation once: \(problems.prefix(5)) (\(problems.count) in all)")

        let keys = try await stream.parsedKeys()
        #expect(Set(keys) == ids, "quotes.parsed has \(Set(keys).count) distinct articles of \(total)")
        let repeats = keys.count - Set(keys).count
        #expect(repeats == 0, "a graceful stop commits what it finished, so nothing is parsed twice; \(repeats) repeats")

        try await stream.deleteTopics()
    }
}

/// Shutdown while the broker does not answer: each stage must still exit within its drain bound
/// plus a few seconds, say what it could not commit, and lose nothing (the next start reads again).
@Suite(.needs(.broker, .processes, .time), .serialized, .timeLimit(.minutes(4))) struct FrozenBrokerShutdownTests {
    @Test func stagesExitInTimeWhenTheBrokerFreezesDuringTheDrainAndLoseNothing() async throws {
        let broker = try PrivateBroker()
        defer {
            broker.signal(SIGCONT)
            broker.stop()
        }
        let stream = try await ShutdownStream(brokers: broker.address)
        let first = (0..<300).map(ShutdownStream.article)
        try await stream.publish(first)
        var parser = try stream.launch(.parser)
        var indexer = try stream.launch(.indexer)
        #expect(await stream.waitForIndexed(first.count, within: .seconds(90)) == first.count,
                "the stages never indexed the first articles; logs in \(stream.folder.path)")

        // More work in hand (the stages are busy with the second lot), then the broker stops
        // answering and both stages are told to stop.
        let second = (300..<2_300).map(ShutdownStream.article)
        try await stream.publish(second)
        #expect(await stream.waitForIndexed(first.count + 1, within: .seconds(60)) > first.count,
                "the stages never took up the second lot; logs in \(stream.folder.path)")
        broker.signal(SIGSTOP)
        async let parserExit = stream.terminate(parser, stage: .parser)
        async let indexerExit = stream.terminate(indexer, stage: .indexer)
        let exits = await [parserExit, indexerExit]
        broker.signal(SIGCONT)
        for exit in exits {
            #expect(exit.reason == .exit && exit.status == 0,
                    "\(exit.stage) ended with \(exit.reason == .exit ? "status" : "signal") \(exit.status); logs in \(stream.folder.path)")
            #expect(exit.elapsed <= GracefulShutdownTests.exitBound,
                    "\(exit.stage) took \(exit.elapsed) to stop with the broker frozen (bound \(GracefulShutdownTests.exitBound))")
        }

        // Started again on a broker that answers, they finish the work: every article indexed once.
        parser = try stream.launch(.parser)
        indexer = try stream.launch(.indexer)
        let total = first.count + second.count
        let indexed = await stream.waitForIndexed(total, within: .seconds(90))
        #expect(indexed == total, "the index holds \(indexed) of \(total) articles; logs in \(stream.folder.path)")
        let missing = await stream.missingFromIndex(Set((first + second).map(\.articleId)))
        #expect(missing.isEmpty, "\(missing.count) articles were lost, e.g. \(missing.prefix(3))")
        _ = try await stream.stopOnceIndexed([.parser: parser, .indexer: indexer])
        let problems = try IndexCensus.problems(indexPath: stream.indexPath, published: ShutdownStream.published(first + second))
        let indexerLog = (try? String(contentsOf: stream.folder.appendingPathComponent("\(ShutdownStream.Stage.indexer.rawValue).log"),
                                      encoding: .utf8)) ?? ""
        // Tansu reports a partition's end as its last batch's base offset + 1, below what the
        // indexer read; the indexer reads the record before its stored offset and resumes.
        #expect(!indexerLog.contains("partition log was reset"), "a short reported end is not a reset log; logs in \(stream.folder.path)")
        #expect(problems.isEmpty, "every article indexed once, its quotation once: \(problems.prefix(5)) (\(problems.count) in all)")
        try await stream.deleteTopics()
    }
}

/// How one stage process ended after SIGTERM.
struct StageExit: Sendable {
    var stage: ShutdownStream.Stage
    var status: Int32
    var reason: Process.TerminationReason
    var elapsed: Duration
    /// How many articles had been published when the signal went out.
    var publishedAtSignal = 0
}

/// Topics of its own, an index folder of its own, and the stage processes over them.
final class ShutdownStream: Sendable {
    enum Stage: String, Sendable {
        case parser = "quotewire-parser"
        case indexer = "quotewire-indexer"
    }

    let suffix = UUID().uuidString.prefix(8).lowercased()
    var raw: String { "shutdown-raw-\(suffix)" }
    var parsed: String { "shutdown-parsed-\(suffix)" }
    var dlq: String { "shutdown-dlq-\(suffix)" }
    let folder: URL
    let brokers: String
    private let publishedCount = Atomic<Int>(0)
    private let admin: KafkaAdmin
    private let producer: KafkaProducer

    init(brokers: String = Pipeline.brokers) async throws {
        self.brokers = brokers
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("quotewire-shutdown-\(suffix)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // An unreachable broker fails here, loudly: the test never skips.
        var adminConfiguration = AdminConfiguration(brokers: brokers)
        adminConfiguration.timeout = .seconds(10)
        admin = try KafkaAdmin(configuration: adminConfiguration, logger: Self.logger)
        producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: brokers), logger: Self.logger)
        try await admin.createTopics([raw, parsed, dlq].map { TopicSpecification(name: $0, partitions: 3) })
    }

    static var logger: Logger {
        var logger = Logger(label: "shutdown-test")
        logger.logLevel = .warning
        return logger
    }

    var indexPath: String { folder.appendingPathComponent("index").path }

    /// A raw article, distinct per `n`, with a quotation for the parser to find.
    static func article(_ n: Int) -> RawArticle {
        RawArticle.make(body: """
            Harbour Ledger - Night shift report \(n)

            "The cranes kept moving all night," said harbour master Ines Kowal about shift \(n).
            """, source: "Harbour Ledger", receivedAt: Date(timeIntervalSince1970: 1_770_000_000 + Double(n)))
    }

    /// What the parser makes of `article(_:)`s, for ``IndexCensus``: one quotation each, by Ines Kowal.
    static func published(_ articles: [RawArticle]) -> IndexCensus.Published {
        IndexCensus.Published(articles: Dictionary(uniqueKeysWithValues: articles.map { ($0.articleId, ["Ines Kowal"] as [String?]) }))
    }

    func publish(_ articles: [RawArticle]) async throws {
        let encoder = WireCoding.encoder()
        let messages = try articles.map { OutgoingMessage(topic: raw, key: $0.articleId, value: try encoder.encode($0)) }
        for result in await producer.send(messages) { _ = try result.get() }
        publishedCount.add(messages.count, ordering: .relaxed)
    }

    /// How many articles were published (and acknowledged) so far.
    var published: Int { publishedCount.load(ordering: .relaxed) }

    /// Starts a stage on this stream's topics; its log goes to `<stage>.log` in the folder.
    func launch(_ stage: Stage) throws -> Process {
        var arguments = ["--brokers", brokers, "--port", "0", "--log-level", "info",
                         "--drain-seconds", String(GracefulShutdownTests.drainSeconds), "--dead-letter-topic", dlq]
        switch stage {
        case .parser:
            arguments += ["--input-topic", raw, "--output-topic", parsed, "--group", "parser-\(suffix)"]
        case .indexer:
            arguments += ["--topic", parsed, "--index", indexPath, "--group", "indexer-\(suffix)", "--batch-records", "300"]
        }
        let process = Process()
        process.executableURL = Pipeline.bin.appendingPathComponent(stage.rawValue)
        process.arguments = arguments
        let log = folder.appendingPathComponent("\(stage.rawValue).log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.runTiedToThisProcess()
        return process
    }

    /// Sends SIGTERM and waits for the exit; a process still running well past the bound is
    /// killed so the test ends (and fails on its status).
    func terminate(_ process: Process, stage: Stage) async -> StageExit {
        let started = ContinuousClock.now
        process.terminate()
        let giveUp = started + GracefulShutdownTests.exitBound * 3
        while process.isRunning, ContinuousClock.now < giveUp {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = ContinuousClock.now - started
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return StageExit(stage: stage, status: process.terminationStatus, reason: process.terminationReason, elapsed: elapsed)
    }

    /// Waits until the index holds `count` articles (or the limit passes) and returns what it
    /// holds. Copies of articles it holds may still be on their way: see ``stopOnceIndexed(_:)``.
    func waitForIndexed(_ count: Int, within limit: Duration) async -> Int {
        let deadline = ContinuousClock.now + limit
        var seen = 0
        while ContinuousClock.now < deadline {
            seen = (try? await IndexReader(folder: IndexFolder(path: indexPath)).counts().articles) ?? 0
            if seen >= count { break }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return seen
    }

    /// Stops the parser (SIGTERM: it finishes and publishes what it holds), waits until the
    /// indexer has indexed everything on the parsed topic, copies included, then stops the
    /// indexer: what the index holds then is final, for ``IndexCensus``. Returns both exits.
    func stopOnceIndexed(_ processes: [Stage: Process]) async throws -> [StageExit] {
        var exits: [StageExit] = []
        if let parser = processes[.parser] { exits.append(await terminate(parser, stage: .parser)) }
        let indexing: Result<Void, any Error>
        do {
            try await TopicProgress.waitUntilIndexedToTheEnd(of: parsed, brokers: brokers, indexPath: indexPath)
            indexing = .success(())
        } catch {
            indexing = .failure(error)
        }
        if let indexer = processes[.indexer] { exits.append(await terminate(indexer, stage: .indexer)) }
        try indexing.get()
        return exits
    }

    /// The ids the index cannot find.
    func missingFromIndex(_ ids: Set<String>) async -> [String] {
        let reader = IndexReader(folder: IndexFolder(path: indexPath))
        var missing: [String] = []
        for id in ids.sorted() where (try? await reader.article(id: id)) == nil {
            missing.append(id)
        }
        return missing
    }

    /// Every key on `quotes.parsed`, from the start of each partition to its end, repeats included.
    func parsedKeys() async throws -> [String] {
        var configuration = ConsumerConfiguration(brokers: brokers, groupID: nil)
        configuration.batchSize = 1_000
        let consumer = try KafkaConsumer(configuration: configuration, logger: Self.logger)
        var ends: [TopicPartition: Int64] = [:]
        for partition in 0..<Int32(3) {
            let tp = TopicPartition(topic: parsed, partition: partition)
            ends[tp] = try await consumer.watermarks(of: tp).high
        }
        try consumer.assign(ends.mapValues { _ in KafkaOffset.beginning })
        var keys: [String] = []
        var positions: [TopicPartition: Int64] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        // Past the reported ends until a poll brings nothing: Tansu reports a partition's end as
        // the first offset of its last record batch plus one, and the rest of that batch follows.
        var drained = false
        while !drained, ContinuousClock.now < deadline {
            let messages = try await consumer.poll()
            for message in messages {
                keys.append(message.keyString ?? "")
                positions[message.topicPartition] = message.offset + 1
            }
            drained = messages.isEmpty && !ends.contains(where: { (positions[$0.key] ?? 0) < $0.value })
        }
        await consumer.close()
        return keys
    }

    func deleteTopics() async throws {
        await producer.close(timeout: .seconds(5))
        try await admin.deleteTopics([raw, parsed, dlq])
    }
}
