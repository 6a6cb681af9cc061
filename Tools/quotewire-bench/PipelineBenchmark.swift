import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import QuotewireIndex
import QuotewireKafka
import QuotewireModels

/// `quotewire-bench pipeline`: the corpus posted to the real `quotewire-ingest` and carried
/// by the real `quotewire-parser` and `quotewire-indexer` processes into the index, against a
/// plain FTS5 insert of the same documents in the same run; then publish-to-searchable
/// latency at a steady rate.
struct PipelineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "End-to-end throughput, publish-to-searchable latency and RSS of ingest + parser + indexer processes.",
        discussion: """
            Starts quotewire-ingest, quotewire-parser and quotewire-indexer (found beside this executable) on free \
            ports against --brokers with the default pipeline topics, which should be empty: give it a fresh broker \
            (scripts/bench-pipeline.sh does).
            """)

    @OptionGroup var run: ServiceRunOptions

    @Option(help: "The corpus file (generated with make_corpus.py when missing).")
    var corpus: String = "/tmp/quotewire-bench/corpus.jsonl"

    @Option(help: "Working folder (emptied first): the plain table, the index folder, the services' logs.")
    var work: String = "/tmp/quotewire-bench/pipeline-run"

    @Option(help: "Articles per second in the latency phase.")
    var rate: Double = 200

    @Option(help: "New articles published in the latency phase.")
    var latencyArticles: Int = 2_000

    @Option(help: "Concurrent POSTs in the throughput phase.")
    var concurrency: Int = 24

    @Option(help: "Rows per transaction of the plain FTS5 insert.")
    var plainBatch: Int = 1_000

    func validate() throws {
        guard rate > 0, latencyArticles >= 0, concurrency > 0, plainBatch > 0, run.stallSeconds > 0 else {
            throw ValidationError("rates and counts must be positive")
        }
    }

    func run() async throws {
        let supervisor = ChildSupervisor()
        supervisor.installSignalHandlers()
        defer { supervisor.killAll() }
        print("load average at start: \(ProcFS.loadAverage())")

        let baseline = try PlainBaseline.measure(corpus: corpus, work: work, batch: plainBatch)
        var logger = Logger(label: "quotewire-bench")
        logger.logLevel = .error
        _ = try await reachableBroker(run.brokers, logger: logger)

        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency + 4)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        do {
            try await runPipeline(lines: baseline.lines, plain: baseline.duration, plainRate: baseline.rate, client: client, supervisor: supervisor)
        } catch {
            supervisor.killAll()
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    // MARK: The run

    private func runPipeline(
        lines: [BenchCorpus.Line], plain: Duration, plainRate: Double, client: HTTPClient, supervisor: ChildSupervisor
    ) async throws {
        let tag = String(UUID().uuidString.prefix(8).lowercased())
        let folder = IndexFolder(path: work + "/index")
        let services = try StageProcesses.start(
            brokers: run.brokers, bin: run.binDir ?? ServiceBinaries.folder(), work: work, index: folder, groupPrefix: "bench",
            supervisor: supervisor) { child in print("started \(child.name) (pid \(child.pid), log \(child.logPath))") }
        let token = services.token
        let brokerPids = run.brokerPid.map { [$0] } ?? []
        let watched = services.all.map(\.pid) + brokerPids
        let sampler = RSSSampler()
        sampler.start(watched)
        defer { sampler.stop() }

        let readyStart = ContinuousClock.now
        try await services.waitUntilReady(client: client)
        print("all three ready \(format((ContinuousClock.now - readyStart).seconds, 2)) s after start")

        let watcher = ShardWatcher(folder: folder)
        defer { watcher.close() }
        let ingestURL = services.ingestURL

        // Throughput.
        let cpu0 = CPUSnapshot.take(watched)
        let load0 = ProcFS.loadAverage()
        let throughput = try await throughputPhase(
            lines: lines, url: ingestURL, token: token, client: client, watcher: watcher, services: services)
        let cpu1 = CPUSnapshot.take(watched)
        let load1 = ProcFS.loadAverage()

        // Latency.
        let latency = try await latencyPhase(
            lines: lines, tag: tag, url: ingestURL, token: token, client: client, watcher: watcher, services: services)
        let cpu2 = CPUSnapshot.take(watched)
        let load2 = ProcFS.loadAverage()

        // Memory before stopping, then SIGTERM in pipeline order.
        sampler.sample(watched)
        var hwm: [pid_t: Int] = [:]
        for pid in watched { hwm[pid] = ProcFS.memory(of: pid)?.hwmKilobytes }
        sampler.stop()
        var exits: [(ChildProcess, ChildExit, Duration, Bool)] = []
        for child in services.all {
            let (exit, time, killed) = await child.stop(timeout: .seconds(30))
            exits.append((child, exit, time, killed))
        }

        // Report.
        let throughputRate = Double(throughput.distinct) / throughput.elapsed.seconds
        print("")
        print("## Throughput: \(throughput.accepted) articles accepted (202) by ingest, \(throughput.distinct) distinct ids, "
              + "\(concurrency) concurrent POSTs")
        if throughput.rejected > 0 {
            print("  \(throughput.rejected) articles rejected by ingest (not counted); first reason: \(throughput.firstRejection ?? "?")")
        }
        if throughput.retries > 0 { print("  \(throughput.retries) POSTs retried after 5xx or connection errors") }
        print("  all POSTs acknowledged after \(format(throughput.postsDone.seconds, 2)) s "
              + "(\(format(Double(throughput.accepted) / throughput.postsDone.seconds, 0)) articles/s into ingest)")
        print("  first article searchable after \(format(throughput.firstIndexed.seconds, 2)) s")
        print("  all \(throughput.distinct) searchable after \(format(throughput.elapsed.seconds, 2)) s: "
              + "\(format(throughputRate, 0)) articles/s end to end")
        print("  plain FTS5, same documents, this run: \(format(plain.seconds, 2)) s, \(format(plainRate, 0)) docs/s")
        print("  ratio end-to-end/plain (rate; goal >= 1.2x): \(format(throughputRate / plainRate, 2))x; "
              + "plain/end-to-end: \(format(plainRate / throughputRate, 2))x")
        print("")
        if latency.sent > 0 {
            print("## Latency: \(latency.sent) new articles at \(format(rate, 0))/s "
                  + "(sent over \(format(latency.sendSpan.seconds, 2)) s = \(format(Double(latency.sent) / max(latency.sendSpan.seconds, 1e-9), 1))/s)")
            print("  publish (202) to searchable (first seen by a 20 ms shard poll): p50 \(format(latency.stats.percentile(50), 1)) ms, "
                  + "p99 \(format(latency.stats.percentile(99), 1)) ms, max \(format(latency.stats.sortedMilliseconds.last ?? 0, 1)) ms "
                  + "over \(latency.stats.sortedMilliseconds.count) articles")
            if latency.missing > 0 { print("  \(latency.missing) articles never became searchable within \(run.stallSeconds) s") }
            if latency.negative > 0 { print("  \(latency.negative) articles were searchable before their 202 arrived (negative latency)") }
            if latency.rejected > 0 { print("  \(latency.rejected) articles rejected by ingest") }
        }
        print("")
        func name(_ pid: pid_t) -> String {
            services.all.first { $0.pid == pid }?.name ?? "broker (tansu)"
        }
        print("## Processes")
        print("| process | peak VmRSS sampled (50 ms) | VmHWM | CPU s, throughput phase | CPU s, latency phase | CPU s total (rusage) | SIGTERM |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for pid in watched {
            let exit = exits.first { $0.0.pid == pid }
            let total = exit.map { format($0.1.cpuSeconds, 2) } ?? cpuText(cpu2.byPid[pid])
            let stopText = exit.map { "\($0.1.description) after \(format($0.2.seconds * 1000, 0)) ms\($0.3 ? " (SIGKILL)" : "")" } ?? "-"
            print("| \(name(pid)) | \(megabytes(sampler.peak(pid))) MB | \(megabytes(hwm[pid] ?? 0)) MB | "
                  + "\(cpuText(cpu1.since(cpu0, pid))) | \(cpuText(cpu2.since(cpu1, pid))) | \(total) | \(stopText) |")
        }
        print("| quotewire-bench (HTTP client, shard polling) | - | - | \(format(cpu1.bench - cpu0.bench, 2)) | "
              + "\(format(cpu2.bench - cpu1.bench, 2)) | - | - |")
        print("load average (1/5/15 min): \(load0) at the start of the throughput phase, \(load1) at its end, \(load2) after the latency phase")
        print("")
        print("| measured | figure |")
        print("| --- | --- |")
        print("| plain FTS5 (same documents, same run) | \(format(plain.seconds, 2)) s, \(format(plainRate, 0)) docs/s |")
        print("| end to end, first POST → all \(throughput.distinct) searchable | \(format(throughput.elapsed.seconds, 2)) s, "
              + "\(format(throughputRate, 0)) articles/s, **\(format(throughputRate / plainRate, 2))x** plain (goal ≥ 1.2x) |")
        if latency.sent > 0 { print("| publish → searchable at \(format(rate, 0))/s, p50 / p99 / max | \(format(latency.stats.percentile(50), 0)) ms / "
              + "\(format(latency.stats.percentile(99), 0)) ms / \(format(latency.stats.sortedMilliseconds.last ?? 0, 0)) ms |") }
        for child in services.all {
            print("| \(child.name) peak RSS (sampled / VmHWM) | \(megabytes(sampler.peak(child.pid))) MB / \(megabytes(hwm[child.pid] ?? 0)) MB |")
        }
        for (child, exit, time, killed) in exits {
            if !exit.exitedNormally || exit.exitCode != 0 || killed {
                print("WARNING: \(child.name) did not exit cleanly on SIGTERM: \(exit.description) after \(format(time.seconds, 1)) s; see \(child.logPath)")
            }
        }
    }

    // MARK: Throughput phase

    private struct ThroughputResult {
        var accepted: Int
        var distinct: Int
        var rejected: Int
        var retries: Int
        var firstRejection: String?
        var postsDone: Duration
        var firstIndexed: Duration
        var elapsed: Duration
    }

    private struct PostOutcome: Sendable {
        var ids: [String] = []
        var rejected = 0
        var retries = 0
        var firstRejection: String?
        var done: ContinuousClock.Instant?
    }

    private func throughputPhase(
        lines: [BenchCorpus.Line], url: String, token: String, client: HTTPClient, watcher: ShardWatcher, services: StageProcesses
    ) async throws -> ThroughputResult {
        let bodies = try lines.map { try JSONEncoder().encode(ArticleBody(text: $0.text)) }
        let next = Mutexed(0)
        let outcome = Mutexed(PostOutcome())
        let concurrency = self.concurrency
        let start = ContinuousClock.now
        let posting = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while true {
                            var index = 0
                            next.update { index = $0; $0 += 1 }
                            guard index < bodies.count else { return }
                            let result = try await IngestPost.send(bodies[index], contentType: "application/json", url: url, token: token, client: client)
                            outcome.update { outcome in
                                outcome.retries += result.retries
                                switch result.answer {
                                case .accepted(let id): outcome.ids.append(id)
                                case .rejected(let reason):
                                    outcome.rejected += 1
                                    if outcome.firstRejection == nil { outcome.firstRejection = reason }
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            outcome.update { $0.done = ContinuousClock.now }
        }
        defer { posting.cancel() }

        var target: Int?
        var firstIndexed: ContinuousClock.Instant?
        var lastCount = -1
        var lastAccepted = -1
        var lastProgress = ContinuousClock.now
        while true {
            try services.checkAlive()
            let count = watcher.count()
            let now = ContinuousClock.now
            if count > 0, firstIndexed == nil { firstIndexed = now }
            let snapshot = outcome.value
            if target == nil, snapshot.done != nil {
                try await posting.value  // rethrows a failed POST
                target = Set(snapshot.ids).count
            }
            if let target, count >= target {
                return ThroughputResult(
                    accepted: snapshot.ids.count, distinct: target, rejected: snapshot.rejected, retries: snapshot.retries,
                    firstRejection: snapshot.firstRejection, postsDone: (snapshot.done ?? now) - start,
                    firstIndexed: (firstIndexed ?? now) - start, elapsed: now - start)
            }
            if count != lastCount || snapshot.ids.count != lastAccepted {
                lastProgress = now
            }
            lastCount = count
            lastAccepted = snapshot.ids.count
            if now - lastProgress > .seconds(run.stallSeconds) {
                let indexed = watcher.allArticleIds()
                let missing = Set(snapshot.ids).subtracting(indexed)
                throw BenchError("no progress for \(run.stallSeconds) s: \(count) articles in the index, \(snapshot.ids.count) accepted; "
                                 + "\(missing.count) accepted ids not indexed (e.g. \(missing.prefix(3).joined(separator: ", "))); "
                                 + "see the services' logs in \(work)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Latency phase

    private struct LatencyResult {
        var sent: Int
        var rejected: Int
        var sendSpan: Duration
        var stats: LatencyStats
        var missing: Int
        var negative: Int
    }

    private struct Sent: Sendable {
        var acknowledged: [String: ContinuousClock.Instant] = [:]
        var rejected = 0
        var done: ContinuousClock.Instant?
        var last: ContinuousClock.Instant?
    }

    private func latencyPhase(
        lines: [BenchCorpus.Line], tag: String, url: String, token: String, client: HTTPClient,
        watcher: ShardWatcher, services: StageProcesses
    ) async throws -> LatencyResult {
        guard latencyArticles > 0 else {
            return LatencyResult(sent: 0, rejected: 0, sendSpan: .zero, stats: LatencyStats([]), missing: 0, negative: 0)
        }
        // New articles: corpus texts with a unique closing sentence, so their ids (a hash of the text) are new.
        let bodies = try (0..<latencyArticles).map { i in
            let text = lines[i % lines.count].text + "\n\nBenchmark marker \(tag) number \(i) closes this copy."
            return try JSONEncoder().encode(ArticleBody(text: text))
        }
        watcher.markCurrent()
        let sent = Mutexed(Sent())
        let (rate, count) = (self.rate, latencyArticles)
        let start = ContinuousClock.now
        let publishing = Task {
            try await withThrowingDiscardingTaskGroup { group in
                for (index, body) in bodies.enumerated() {
                    try await Task.sleep(until: start + .seconds(Double(index) / rate), clock: .continuous)
                    group.addTask {
                        let result = try await IngestPost.send(body, contentType: "application/json", url: url, token: token, client: client)
                        let at = ContinuousClock.now
                        sent.update { sent in
                            switch result.answer {
                            case .accepted(let id): sent.acknowledged[id] = at
                            case .rejected: sent.rejected += 1
                            }
                        }
                    }
                }
                sent.update { $0.last = ContinuousClock.now }
            }
            sent.update { $0.done = ContinuousClock.now }
        }
        defer { publishing.cancel() }

        var appeared: [String: ContinuousClock.Instant] = [:]
        var sendSpan = Duration.zero
        var finished = false
        while true {
            try services.checkAlive()
            let now = ContinuousClock.now
            for id in watcher.newArticleIds() where appeared[id] == nil { appeared[id] = now }
            let snapshot = sent.value
            if let done = snapshot.done, !finished {
                try await publishing.value
                sendSpan = (snapshot.last ?? done) - start
                finished = true
            }
            if finished, let done = snapshot.done {
                let waiting = snapshot.acknowledged.keys.filter { appeared[$0] == nil }
                if waiting.isEmpty || now - done > .seconds(run.stallSeconds) {
                    var latencies: [Duration] = []
                    var negative = 0
                    for (id, acknowledged) in snapshot.acknowledged {
                        guard let seen = appeared[id] else { continue }
                        if seen < acknowledged { negative += 1 }
                        latencies.append(seen - acknowledged)
                    }
                    return LatencyResult(
                        sent: count, rejected: snapshot.rejected, sendSpan: sendSpan, stats: LatencyStats(latencies),
                        missing: waiting.count, negative: negative)
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: HTTP

    private struct ArticleBody: Encodable {
        var text: String
    }
}
