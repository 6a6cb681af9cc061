import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import QuotewireIndex
import QuotewireKafka
import QuotewireModels

/// `quotewire-bench indexer`: the real `quotewire-indexer` executable indexing the corpus
/// from a Kafka topic, against a plain FTS5 insert of the same documents in the same run.
struct IndexerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indexer",
        abstract: "Indexing throughput and RSS of the quotewire-indexer process from a parsed-articles topic vs a plain FTS5 insert.")

    @OptionGroup var run: ServiceRunOptions

    @Option(help: "The corpus file (generated with make_corpus.py when missing).")
    var corpus: String = "/tmp/quotewire-bench/corpus.jsonl"

    @Option(help: "Working folder (emptied first): the plain table, the index folder, the indexer's log.")
    var work: String = "/tmp/quotewire-bench/indexer-run"

    @Option(help: "Partitions of the benchmark topic (shards of the index).")
    var partitions: Int = 3

    @Option(help: "Rows per transaction of the plain FTS5 insert.")
    var plainBatch: Int = 1_000

    func validate() throws {
        guard partitions > 0, plainBatch > 0, run.stallSeconds > 0 else { throw ValidationError("counts must be positive") }
    }

    func run() async throws {
        let supervisor = ChildSupervisor()
        supervisor.installSignalHandlers()
        defer { supervisor.killAll() }

        print("load average at start: \(ProcFS.loadAverage())")
        // 1-2. Corpus, parsed once (untimed), and the plain FTS5 baseline, same documents, this process.
        let baseline = try PlainBaseline.measure(corpus: corpus, work: work, batch: plainBatch)
        let (articles, plain, plainRate) = (baseline.articles, baseline.duration, baseline.rate)
        let target = Set(articles.map(\.articleId)).count

        // 3. Publish every parsed article to a fresh topic (untimed).
        var logger = Logger(label: "quotewire-bench")
        logger.logLevel = .error
        let admin = try await reachableBroker(run.brokers, logger: logger)
        let tag = UUID().uuidString.prefix(8).lowercased()
        let topic = "bench-indexer-\(tag)"
        try await admin.createTopics([TopicSpecification(
            name: topic, partitions: partitions, config: ["max.message.bytes": String(WireLimits.maxMessageBytes)])])
        do {
            try await measure(articles: articles, target: target, plainRate: plainRate, plain: plain, topic: topic,
                              tag: String(tag), supervisor: supervisor, logger: logger)
        } catch {
            try? await admin.deleteTopics([topic])
            throw error
        }
        try await admin.deleteTopics([topic])
        print("deleted topic \(topic)")
    }

    private func measure(
        articles: [ParsedArticle], target: Int, plainRate: Double, plain: Duration, topic: String, tag: String,
        supervisor: ChildSupervisor, logger: Logger
    ) async throws {
        let publishStart = ContinuousClock.now
        try await publish(articles, topic: topic, logger: logger)
        print("published \(articles.count) parsed articles to \(topic) (\(partitions) partitions) in "
              + "\(format((ContinuousClock.now - publishStart).seconds, 2)) s (untimed)")

        // 4. The real indexer, timed from process start until every article is in the shards.
        let bin = run.binDir ?? ServiceBinaries.folder()
        let folder = IndexFolder(path: work + "/index")
        let port = try ServicePorts.free()
        var environment = ProcessInfo.processInfo.environment
        environment["QUOTEWIRE_BROKERS"] = run.brokers
        let before = CPUSnapshot.take(run.brokerPid.map { [$0] } ?? [])
        let loadBefore = ProcFS.loadAverage()
        let indexer = try ChildProcess.spawn(
            name: "quotewire-indexer", executable: bin + "/quotewire-indexer",
            arguments: ["--brokers", run.brokers, "--topic", topic, "--group", "bench-indexer-\(tag)",
                        "--index", folder.url.path, "--port", String(port)],
            environment: environment, logPath: work + "/quotewire-indexer.log")
        supervisor.adopt(indexer)
        print("started quotewire-indexer (pid \(indexer.pid), port \(port), log \(indexer.logPath))")
        let sampler = RSSSampler()
        sampler.start([indexer.pid])
        defer { sampler.stop() }

        let watcher = ShardWatcher(folder: folder)
        defer { watcher.close() }
        var first: (at: ContinuousClock.Instant, count: Int)?
        var lastCount = 0
        var lastProgress = ContinuousClock.now
        var done: ContinuousClock.Instant
        while true {
            if let exit = indexer.poll() {
                throw BenchError("quotewire-indexer exited (\(exit.description)) with \(lastCount) of \(target) articles indexed; "
                                 + "last log lines:\n\(indexer.logTail())")
            }
            let count = watcher.count()
            let now = ContinuousClock.now
            if count > 0, first == nil { first = (now, count) }
            if count > lastCount {
                lastCount = count
                lastProgress = now
            }
            if count >= target {
                done = now
                break
            }
            if now - lastProgress > .seconds(run.stallSeconds) {
                let missing = target - count
                throw BenchError("no indexing progress for \(run.stallSeconds) s: \(count) of \(target) articles indexed (\(missing) missing); "
                                 + "last log lines:\n\(indexer.logTail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let after = CPUSnapshot.take([indexer.pid] + (run.brokerPid.map { [$0] } ?? []))
        let loadAfter = ProcFS.loadAverage()
        sampler.sample([indexer.pid])
        let hwm = ProcFS.memory(of: indexer.pid)?.hwmKilobytes ?? 0
        let peak = sampler.peak(indexer.pid)
        let indexerCPU = after.byPid[indexer.pid]
        let brokerCPU = run.brokerPid.flatMap { after.since(before, $0) }

        // 5. SIGTERM and the exit.
        let (exit, exitTime, killed) = await indexer.stop(timeout: .seconds(30))

        let fromStart = done - indexer.startedAt
        let startRate = Double(target) / fromStart.seconds
        let steadyAt = first?.at ?? done
        let steadyCount = target - (first?.count ?? 0)
        let steady = done - steadyAt
        let steadyRate = steady > .zero ? Double(steadyCount) / steady.seconds : 0
        print("")
        print("quotewire-indexer, \(target) articles from \(topic) into \(partitions) shards:")
        print("  from process start: \(format(fromStart.seconds, 2)) s, \(format(startRate, 0)) articles/s "
              + "(first article visible after \(format((steadyAt - indexer.startedAt).seconds, 2)) s)")
        print("  from the first indexed article (\(first?.count ?? 0) visible then): \(format(steady.seconds, 2)) s for \(steadyCount), "
              + "\(format(steadyRate, 0)) articles/s")
        print("  plain FTS5, same documents, this run: \(format(plain.seconds, 2)) s, \(format(plainRate, 0)) docs/s")
        print("  ratio indexer/plain (rate; goal >= 1.3x): \(format(startRate / plainRate, 2))x from process start, "
              + "\(format(steadyRate / plainRate, 2))x steady-state")
        print("  ratio plain/indexer (how many times faster the plain insert is): \(format(plainRate / startRate, 2))x from process start, "
              + "\(format(plainRate / max(steadyRate, 1e-9), 2))x steady-state")
        print("  indexer RSS: peak sampled VmRSS \(megabytes(peak)) MB, VmHWM \(megabytes(hwm)) MB (goal < 100 MB)")
        print("  indexer CPU: \(cpuText(indexerCPU)) s until all indexed, \(format(exit.cpuSeconds, 2)) s in total (incl. shutdown)"
              + (brokerCPU.map { "; broker CPU in that time \(format($0, 2)) s" } ?? ""))
        print("  SIGTERM: \(exit.description)\(killed ? " (after SIGKILL: did not exit within 30 s)" : "") after \(format(exitTime.seconds * 1000, 0)) ms")
        print("  load average: \(loadBefore) at start, \(loadAfter) at the end")
        print("")
        print("| measured | figure |")
        print("| --- | --- |")
        print("| plain FTS5 (same documents, same run) | \(format(plain.seconds, 2)) s, \(format(plainRate, 0)) docs/s |")
        print("| indexer, from process start | \(format(fromStart.seconds, 2)) s, \(format(startRate, 0)) articles/s, "
              + "**\(format(startRate / plainRate, 2))x** plain (goal ≥ 1.3x) |")
        print("| indexer, from first indexed article | \(format(steady.seconds, 2)) s, \(format(steadyRate, 0)) articles/s, "
              + "**\(format(steadyRate / plainRate, 2))x** plain |")
        print("| indexer peak RSS (sampled / VmHWM) | \(megabytes(peak)) MB / \(megabytes(hwm)) MB (goal < 100 MB) |")
        print("| indexer CPU until done / total | \(cpuText(indexerCPU)) s / \(format(exit.cpuSeconds, 2)) s |")
        if let brokerCPU { print("| broker CPU while indexing | \(format(brokerCPU, 2)) s |") }
        print("| SIGTERM | \(exit.description) after \(format(exitTime.seconds * 1000, 0)) ms |")
        print("| load average (1/5/15 min) start → end | \(loadBefore) → \(loadAfter) |")
    }

    /// Sends each article as WireCoding JSON keyed by its id, in chunks, all acknowledged.
    private func publish(_ articles: [ParsedArticle], topic: String, logger: Logger) async throws {
        var configuration = ProducerConfiguration(brokers: run.brokers)
        configuration.queueCapacity = 100_000
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let encoder = WireCoding.encoder()
        do {
            var index = 0
            while index < articles.count {
                let end = min(index + 2_000, articles.count)
                let messages = try articles[index..<end].map { article in
                    OutgoingMessage(topic: topic, key: article.articleId, value: try encoder.encode(article))
                }
                for result in await producer.send(messages) { _ = try result.get() }
                index = end
            }
        } catch {
            await producer.close(timeout: .seconds(5))
            throw BenchError("publishing to \(topic) failed: \(error)")
        }
        await producer.close(timeout: .seconds(10))
    }
}
