import ArgumentParser
import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels

/// `quotewire-bench versus`: our pipeline and the Python peer (`../shared/bench/peer/`) on the
/// same broker, the same corpus, alternating, several runs; prints each run and the medians.
///
/// Ours: `quotewire-parser` and `quotewire-indexer` started on fresh topics and groups and
/// given their partitions before the clock starts (as the peer's consumers are); the clock
/// runs from starting `quotewire publish CORPUS.jsonl` (the way a scraper publishes a dump)
/// until the index shards hold every article it published. The peer: its own `run`, which
/// times first produce to the indexer commit that reaches N rows.
struct VersusBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versus",
        abstract: "End-to-end articles/s, CPU and RSS of our pipeline vs the Python peer, same broker, same run.")

    @OptionGroup var run: ServiceRunOptions

    @Option(help: "The corpus file (JSON lines with id and text, from make_corpus.py).")
    var corpus: String = "data/bench/corpus.jsonl"

    @Option(help: "Working folder (emptied first): index folders, logs, the peer's database.")
    var work: String = "/tmp/quotewire-bench/versus-run"

    @Option(help: "The peer's pipeline script.")
    var peer: String = "../shared/bench/peer/peer_pipeline.py"

    @Option(help: "The Tansu executable (the peer creates its topics with it).")
    var tansu: String = "tools/bin/tansu"

    @Option(help: "Runs of each side, alternating which goes first; the medians are reported.")
    var runs: Int = 3

    @Option(help: "Partitions of every topic (and shards of our index).")
    var partitions: Int = 3

    @Option(help: "Articles per second in our latency phase, after each throughput run.")
    var rate: Double = 200

    @Option(help: "New articles published in our latency phase (0: none).")
    var latencyArticles: Int = 1_000

    func validate() throws {
        guard runs > 0, partitions > 0, run.stallSeconds > 0, rate > 0, latencyArticles >= 0 else {
            throw ValidationError("counts must be positive")
        }
    }

    func run() async throws {
        let supervisor = ChildSupervisor()
        supervisor.installSignalHandlers()
        defer { supervisor.killAll() }
        let corpusPath = absolute(corpus)
        let lineCount = try countLines(corpusPath)
        guard FileManager.default.fileExists(atPath: absolute(peer)) else {
            throw BenchError("no peer script at \(absolute(peer)) (it lives in ../shared/bench/peer/)")
        }
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var logger = Logger(label: "quotewire-bench")
        logger.logLevel = .error
        let admin = try await reachableBroker(run.brokers, logger: logger)
        let latencyTexts = latencyArticles > 0 ? try BenchCorpus.load(corpusPath, limit: latencyArticles).map(\.text) : []
        print("corpus \(corpusPath): \(lineCount) articles; load average at start: \(ProcFS.loadAverage())")

        var ours: [OurRun] = []
        var theirs: [PeerRun] = []
        for round in 1...runs {
            let oursFirst = round % 2 == 1
            for side in oursFirst ? ["ours", "peer"] : ["peer", "ours"] {
                if side == "ours" {
                    let result = try await runOurs(
                        round: round, corpus: corpusPath, latencyTexts: latencyTexts, admin: admin, supervisor: supervisor, logger: logger)
                    print("run \(round) ours: \(result.summary)")
                    ours.append(result)
                } else {
                    let result = try await runPeer(round: round, corpus: corpusPath, articles: lineCount, supervisor: supervisor)
                    print("run \(round) peer: \(result.line)")
                    theirs.append(result)
                }
            }
        }
        report(ours: ours, theirs: theirs)
    }

    // MARK: Ours

    struct OurRun {
        var articles: Int
        var seconds: Double
        var cpu: [String: Double]
        var rss: [String: Int]
        /// Publish (acknowledged by the broker) to searchable, at `--rate`.
        var latency: LatencyStats
        var rate: Double { Double(articles) / seconds }
        var serviceCPU: Double { (cpu["quotewire-parser"] ?? 0) + (cpu["quotewire-indexer"] ?? 0) + (cpu["quotewire publish"] ?? 0) }
        var summary: String {
            "\(articles) articles in \(format(seconds, 2)) s = \(format(rate, 0)) articles/s; CPU s "
                + cpu.sorted { $0.key < $1.key }.map { "\($0.key) \(format($0.value, 2))" }.joined(separator: ", ")
                + "; peak RSS MB " + rss.sorted { $0.key < $1.key }.map { "\($0.key) \(megabytes($0.value))" }.joined(separator: ", ")
                + (latency.sortedMilliseconds.isEmpty ? "" : "; publish to searchable p50 \(format(latency.percentile(50), 0)) ms, "
                   + "p99 \(format(latency.percentile(99), 0)) ms")
        }
    }

    private func runOurs(
        round: Int, corpus: String, latencyTexts: [String], admin: KafkaAdmin, supervisor: ChildSupervisor, logger: Logger
    ) async throws -> OurRun {
        let tag = "\(round)-\(UUID().uuidString.prefix(6).lowercased())"
        let raw = "versus-raw-\(tag)", parsed = "versus-parsed-\(tag)", dlq = "versus-dlq-\(tag)"
        let sized = ["max.message.bytes": String(WireLimits.maxMessageBytes)]
        try await admin.createTopics([raw, parsed, dlq].map { TopicSpecification(name: $0, partitions: partitions, config: sized) })
        let folder = IndexFolder(path: work + "/index-\(tag)")
        let bin = run.binDir ?? ServiceBinaries.folder()
        let environment = ProcessInfo.processInfo.environment
        func start(_ name: String, executable: String, _ arguments: [String], log: String) throws -> ChildProcess {
            let child = try ChildProcess.spawn(
                name: name, executable: bin + "/" + executable, arguments: arguments, environment: environment,
                logPath: work + "/\(log)-\(tag).log")
            supervisor.adopt(child)
            return child
        }
        let parser = try start("quotewire-parser", executable: "quotewire-parser", [
            "--brokers", run.brokers, "--port", String(try ServicePorts.free()), "--group", "versus-parser-\(tag)",
            "--input-topic", raw, "--output-topic", parsed, "--dead-letter-topic", dlq,
        ], log: "parser")
        let indexer = try start("quotewire-indexer", executable: "quotewire-indexer", [
            "--brokers", run.brokers, "--port", String(try ServicePorts.free()), "--group", "versus-indexer-\(tag)",
            "--topic", parsed, "--dead-letter-topic", dlq, "--index", folder.url.path,
        ], log: "indexer")
        let services = [parser, indexer]
        defer { for child in services { child.killNow() } }
        try await waitForAssignment(services)

        let brokerPids = run.brokerPid.map { [$0] } ?? []
        let sampler = RSSSampler()
        let cpu0 = CPUSnapshot.take(services.map(\.pid) + brokerPids)
        let started = ContinuousClock.now
        let publisher = try start("quotewire publish", executable: "quotewire", ["publish", corpus, "--brokers", run.brokers, "--topic", raw], log: "publish")
        sampler.start(services.map(\.pid) + [publisher.pid])
        defer { sampler.stop() }

        let watcher = ShardWatcher(folder: folder)
        defer { watcher.close() }
        var target: Int?
        var publishExit: ChildExit?
        var lastCount = -1
        var lastProgress = ContinuousClock.now
        while true {
            for child in services {
                if let exit = child.poll() {
                    throw BenchError("\(child.name) exited (\(exit.description)); last log lines (\(child.logPath)):\n\(child.logTail())")
                }
            }
            if publishExit == nil, let exit = publisher.poll() {
                publishExit = exit
                guard exit.exitedNormally, exit.exitCode == 0 else {
                    throw BenchError("quotewire publish failed (\(exit.description)); last log lines (\(publisher.logPath)):\n\(publisher.logTail())")
                }
                target = try publishedIds(publisher.logPath)
            }
            let count = watcher.count()
            let now = ContinuousClock.now
            if let target, count >= target { break }
            if count != lastCount { lastProgress = now; lastCount = count }
            if now - lastProgress > .seconds(run.stallSeconds) {
                throw BenchError("no progress for \(run.stallSeconds) s: \(count) articles indexed; logs in \(work)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let cpu1 = CPUSnapshot.take(services.map(\.pid) + brokerPids)
        sampler.sample(services.map(\.pid))
        var cpu: [String: Double] = [:]
        var rss: [String: Int] = [:]
        for child in services {
            cpu[child.name] = cpu1.since(cpu0, child.pid) ?? 0
            rss[child.name] = max(sampler.peak(child.pid), ProcFS.memory(of: child.pid)?.hwmKilobytes ?? 0)
        }
        cpu["quotewire publish"] = publishExit?.cpuSeconds ?? 0
        rss["quotewire publish"] = sampler.peak(publisher.pid)
        if let pid = run.brokerPid { cpu["broker"] = cpu1.since(cpu0, pid) ?? 0 }
        let latency = try await latencyPhase(texts: latencyTexts, topic: raw, tag: tag, watcher: watcher, services: services, logger: logger)
        for child in services { _ = await child.stop(timeout: .seconds(15)) }
        try? await admin.deleteTopics([raw, parsed, dlq])
        try? FileManager.default.removeItem(atPath: folder.url.path)
        return OurRun(articles: target ?? 0, seconds: elapsed, cpu: cpu, rss: rss, latency: latency)
    }

    /// New articles (corpus texts with a unique closing sentence, so new ids) produced to the
    /// raw topic at `rate`, one record each as a scraper feeding the topic would; latency is
    /// the first 20 ms shard poll that sees the id minus the broker's acknowledgement.
    private func latencyPhase(
        texts: [String], topic: String, tag: String, watcher: ShardWatcher, services: [ChildProcess], logger: Logger
    ) async throws -> LatencyStats {
        guard !texts.isEmpty else { return LatencyStats([]) }
        let encoder = WireCoding.encoder()
        let records = try texts.enumerated().map { index, text in
            let article = RawArticle.make(body: text + "\n\nLatency marker \(tag) number \(index) closes this copy.")
            return (article.articleId, OutgoingMessage(topic: topic, key: article.articleId, value: try encoder.encode(article)))
        }
        let producer = try KafkaProducer(configuration: ProducerConfiguration(brokers: run.brokers), logger: logger)
        watcher.markCurrent()
        let acknowledged = Mutexed([String: ContinuousClock.Instant]())
        let (rate, start) = (self.rate, ContinuousClock.now)
        let publishing = Task {
            try await withThrowingDiscardingTaskGroup { group in
                for (index, (id, message)) in records.enumerated() {
                    try await Task.sleep(until: start + .seconds(Double(index) / rate), clock: .continuous)
                    group.addTask {
                        try await producer.send(message)
                        let at = ContinuousClock.now
                        acknowledged.update { $0[id] = at }
                    }
                }
            }
        }
        var appeared: [String: ContinuousClock.Instant] = [:]
        var lastProgress = ContinuousClock.now
        while appeared.count < records.count {
            for child in services {
                if let exit = child.poll() { throw BenchError("\(child.name) exited (\(exit.description)) in the latency phase") }
            }
            let now = ContinuousClock.now
            let fresh = watcher.newArticleIds()
            for id in fresh where appeared[id] == nil { appeared[id] = now }
            if !fresh.isEmpty { lastProgress = now }
            if now - lastProgress > .seconds(run.stallSeconds) {
                throw BenchError("latency phase: \(appeared.count) of \(records.count) articles searchable, none for \(run.stallSeconds) s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await publishing.value
        await producer.close(timeout: .seconds(5))
        let acks = acknowledged.value
        return LatencyStats(records.compactMap { id, _ in
            guard let seen = appeared[id], let ack = acks[id] else { return nil }
            return seen - ack
        })
    }

    /// Waits until every service logged its partition assignment (the peer waits the same way).
    private func waitForAssignment(_ services: [ChildProcess]) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        for child in services {
            while !(ProcFS.read(child.logPath) ?? "").contains("partitions assigned") {
                if let exit = child.poll() {
                    throw BenchError("\(child.name) exited (\(exit.description)) before it was assigned partitions:\n\(child.logTail())")
                }
                guard ContinuousClock.now < deadline else {
                    throw BenchError("\(child.name) was not assigned partitions within 60 s:\n\(child.logTail())")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// How many distinct article ids `quotewire publish` printed (one `ID  NAME` line each).
    private func publishedIds(_ log: String) throws -> Int {
        guard let text = ProcFS.read(log) else { throw BenchError("cannot read \(log)") }
        var ids = Set<Substring>()
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            ids.insert(line[..<space])
        }
        return ids.count
    }

    // MARK: The peer

    struct PeerRun {
        var line: String
        var rate: Double
        var seconds: Double
        var cpu: [String: Double]
        var rss: [String: Double]
    }

    private func runPeer(round: Int, corpus: String, articles: Int, supervisor: ChildSupervisor) async throws -> PeerRun {
        let out = work + "/peer-\(round)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        if let pid = run.brokerPid {
            try String(pid).write(toFile: out + "/broker.pid", atomically: true, encoding: .utf8)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PEER_CORPUS"] = corpus
        environment["PEER_TANSU"] = absolute(tansu)
        environment["PEER_OUT"] = out
        let log = out + "/peer.log"
        let child = try ChildProcess.spawn(
            name: "peer", executable: "/usr/bin/env",
            arguments: ["python3", absolute(peer), "run", "--n", String(articles), "--broker", run.brokers,
                        "--partitions", String(partitions)],
            environment: environment, logPath: log)
        supervisor.adopt(child)
        while child.poll() == nil { try await Task.sleep(for: .milliseconds(100)) }
        guard let exit = child.poll(), exit.exitedNormally, exit.exitCode == 0,
              let line = (ProcFS.read(log) ?? "").split(separator: "\n").last(where: { $0.hasPrefix("peer N=") }) else {
            throw BenchError("the peer failed (is confluent-kafka installed? pip install confluent-kafka); log \(log):\n\(child.logTail())")
        }
        let fields = Self.fields(of: String(line))
        guard let seconds = fields["e2e_s"], let rate = fields["articles_per_s"] else {
            throw BenchError("cannot read the peer's figures from: \(line)")
        }
        return PeerRun(
            line: String(line), rate: rate, seconds: seconds,
            cpu: ["producer": fields["producer"] ?? 0, "parser": fields["parser"] ?? 0, "indexer": fields["indexer"] ?? 0,
                  "broker": fields["broker"] ?? 0],
            rss: ["producer": fields["rss.producer"] ?? 0, "parser": fields["rss.parser"] ?? 0, "indexer": fields["rss.indexer"] ?? 0])
    }

    /// The peer's `key=value` figures; the values after `peak_rss_mb` are prefixed `rss.`.
    static func fields(of line: String) -> [String: Double] {
        var fields: [String: Double] = [:]
        var prefix = ""
        for word in line.split(separator: " ") {
            if word == "peak_rss_mb" { prefix = "rss."; continue }
            if word == "cpu_s" { prefix = ""; continue }
            let parts = word.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            fields[prefix + String(parts[0])] = value
        }
        return fields
    }

    // MARK: Report

    private func report(ours: [OurRun], theirs: [PeerRun]) {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        let ourRate = median(ours.map(\.rate)), peerRate = median(theirs.map(\.rate))
        let articles = Double(ours.first?.articles ?? 0)
        print("")
        print("## Versus the Python peer: median of \(ours.count) runs, same broker (load average now \(ProcFS.loadAverage()))")
        print("| measured | ours | peer | ours/peer |")
        print("| --- | --- | --- | --- |")
        print("| end to end, articles/s | \(format(ourRate, 0)) | \(format(peerRate, 0)) | **\(format(ourRate / peerRate, 2))x** (goal ≥ 2.0x) |")
        print("| end to end, seconds | \(format(median(ours.map(\.seconds)), 2)) | \(format(median(theirs.map(\.seconds)), 2)) | |")
        if ours.contains(where: { !$0.latency.sortedMilliseconds.isEmpty }) {
            print("| publish to searchable at \(format(rate, 0))/s, p50 / p99 ms (ours only: the peer has no such phase) "
                  + "| \(format(median(ours.map { $0.latency.percentile(50) }), 0)) / \(format(median(ours.map { $0.latency.percentile(99) }), 0)) | | |")
        }
        let ourCPU = median(ours.map(\.serviceCPU))
        let peerCPU = median(theirs.map { ($0.cpu["producer"] ?? 0) + ($0.cpu["parser"] ?? 0) + ($0.cpu["indexer"] ?? 0) })
        print("| CPU s, publisher + parser + indexer | \(format(ourCPU, 2)) (\(format(ourCPU / max(articles, 1) * 1000, 3)) ms/article; goal ≤ 0.9) "
              + "| \(format(peerCPU, 2)) | \(format(ourCPU / max(peerCPU, 1e-9), 2))x |")
        for (ourName, peerName) in [("quotewire publish", "producer"), ("quotewire-parser", "parser"),
                                    ("quotewire-indexer", "indexer"), ("broker", "broker")] {
            print("| CPU s, \(ourName) / \(peerName) | \(format(median(ours.map { $0.cpu[ourName] ?? 0 }), 2)) "
                  + "| \(format(median(theirs.map { $0.cpu[peerName] ?? 0 }), 2)) | |")
        }
        for (ourName, peerName) in [("quotewire publish", "producer"), ("quotewire-parser", "parser"), ("quotewire-indexer", "indexer")] {
            print("| peak RSS MB, \(ourName) / \(peerName) | \(format(median(ours.map { Double($0.rss[ourName] ?? 0) / 1024 }), 1)) "
                  + "| \(format(median(theirs.map { $0.rss[peerName] ?? 0 }), 0)) | |")
        }
    }

    // MARK: Helpers

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private func countLines(_ path: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchError("cannot read the corpus at \(path)") }
        // Over the raw bytes: iterating a Data checks exclusivity at every byte.
        return data.withUnsafeBytes { raw in raw.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }
    }
}
